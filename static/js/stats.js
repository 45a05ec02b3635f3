// The Stats page's charts (Chart.js, and chartjs-chart-matrix for the calendar heatmap), drawn from
// the /api/stats/ endpoints whose URLs the template puts on #stats. A bar or a day that carries
// `filters` opens the Photos grid (data-grid-url) filtered to it. A canvas gets data-loaded once
// its data is drawn, and the number of its bars in data-points.
(() => {
  const root = document.getElementById("stats");
  if (!root || !window.Chart) return;

  // Monday first, in the page's language (1 January 2024 was a Monday).
  const WEEKDAYS = [0, 1, 2, 3, 4, 5, 6].map((day) => new Intl.DateTimeFormat(document.documentElement.lang || undefined,
    { weekday: "short", timeZone: "UTC" }).format(new Date(Date.UTC(2024, 0, 1 + day))));
  const style = getComputedStyle(document.documentElement);
  const colour = (name, fallback) => style.getPropertyValue(name).trim() || fallback;
  const accent = colour("--accent", "#1f5bc4");
  const muted = colour("--muted", "#6b6b74");
  const line = colour("--line", "#e2e2e6");
  const numbers = new Intl.NumberFormat(document.documentElement.lang || undefined);
  const charts = {};

  Chart.defaults.color = muted;
  Chart.defaults.borderColor = line;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.plugins.legend.display = false;

  const canvas = (name) => root.querySelector(`[data-chart="${name}"]`);

  function open(filters) {
    if (!filters || !Object.keys(filters).length) return;
    window.location.href = `${root.dataset.gridUrl}?${new URLSearchParams(filters)}`;
  }

  function showEmpty(name, empty) {
    const note = root.querySelector(`[data-empty="${name}"]`);
    if (note) note.hidden = !empty;
    const box = canvas(name)?.closest(".chart-box");
    if (box) box.hidden = empty;
  }

  // One bar chart per statistic: `rows` of {count, filters?}, labelled by `label(row)`.
  function bars(name, rows, label, { horizontal = false } = {}) {
    const target = canvas(name);
    if (!target) return;
    charts[name]?.destroy();
    const empty = !rows.some((row) => row.count);
    showEmpty(name, empty);
    const clickable = rows.some((row) => row.filters);
    charts[name] = new Chart(target, {
      type: "bar",
      data: {
        labels: rows.map((row) => short(label(row))),
        datasets: [{
          label: gettext("Items"), data: rows.map((row) => row.count), backgroundColor: accent, borderRadius: 3, maxBarThickness: 56,
        }],
      },
      options: {
        indexAxis: horizontal ? "y" : "x",
        animation: false,
        scales: {
          [horizontal ? "x" : "y"]: { beginAtZero: true, ticks: { precision: 0, callback: (v) => numbers.format(v) } },
          [horizontal ? "y" : "x"]: { grid: { display: false }, ticks: { autoSkip: !horizontal } },
        },
        plugins: { tooltip: { callbacks: { title: (items) => label(rows[items[0].dataIndex]) } } },
        onClick: (event, elements) => elements.length && open(rows[elements[0].index].filters),
        onHover: (event, elements) => {
          event.native.target.style.cursor = clickable && elements.length ? "pointer" : "default";
        },
      },
    });
    target.dataset.points = String(rows.length);
    target.dataset.loaded = "true";
  }

  // Long lens and camera names would squeeze a phone's bars to nothing: the tooltip has them whole.
  const longest = window.innerWidth < 600 ? 24 : 44;
  const short = (text) => (text.length > longest ? `${text.slice(0, longest - 1)}…` : text);

  // --- when --------------------------------------------------------------------------------------
  let activity = null;
  const yearSelect = root.querySelector("[data-year-select]");

  function drawActivity(body) {
    activity = body;
    bars("years", body.years, (row) => String(row.year));
    // The same years as links, for the keyboard (a canvas's bars take no focus).
    const links = root.querySelector("[data-year-links]");
    links.replaceChildren(...body.years.map((row) => {
      const link = document.createElement("a");
      link.href = `${root.dataset.gridUrl}?${new URLSearchParams(row.filters)}`;
      link.textContent = `${row.year} (${numbers.format(row.count)})`;
      return link;
    }));
    links.hidden = !body.years.length;
    bars("hours", body.hours, (row) => String(row.hour).padStart(2, "0"));
    bars("weekdays", body.weekdays, (row) => WEEKDAYS[row.weekday - 1]);
    const years = body.years.map((row) => row.year).reverse();
    yearSelect.replaceChildren(...years.map((year) => new Option(String(year), String(year))));
    yearSelect.disabled = !years.length;
    if (years.length) showYear(years[0]);
    else { showEmpty("months", true); showEmpty("calendar", true); }
  }

  function showYear(year) {
    yearSelect.value = String(year);
    const months = Array.from({ length: 12 }, (_, n) => {
      const key = `${String(year).padStart(4, "0")}-${String(n + 1).padStart(2, "0")}`;
      return activity.months.find((row) => row.month === key) || { month: key, count: 0 };
    });
    const monthName = new Intl.DateTimeFormat(document.documentElement.lang || undefined, { month: "short", timeZone: "UTC" });
    bars("months", months, (row) => monthName.format(new Date(`${row.month}-01T00:00:00Z`)));
    const url = new URL(root.dataset.calendarUrl, window.location.href);
    url.searchParams.set("year", year);
    mediahub.api("GET", url.toString()).then(drawCalendar, failed("calendar"));
  }

  yearSelect.addEventListener("change", () => showYear(Number(yearSelect.value)));

  // The heatmap: a column per week, a row per weekday (Monday on top), a square per day of the year.
  function drawCalendar(body) {
    const target = canvas("calendar");
    charts.calendar?.destroy();
    const counts = new Map(body.days.map((day) => [day.date, day]));
    const start = new Date(Date.UTC(body.year, 0, 1));
    const offset = (start.getUTCDay() + 6) % 7; // Monday 0
    const cells = [];
    for (let day = new Date(start); day.getUTCFullYear() === body.year; day.setUTCDate(day.getUTCDate() + 1)) {
      const iso = day.toISOString().slice(0, 10);
      const index = Math.round((day - start) / 86400000) + offset;
      const found = counts.get(iso);
      cells.push({ x: Math.floor(index / 7), y: index % 7, v: found ? found.count : 0, date: iso, filters: found?.filters });
    }
    const weeks = cells[cells.length - 1].x + 1;
    const monthName = new Intl.DateTimeFormat(document.documentElement.lang || undefined, { month: "short", timeZone: "UTC" });
    const monthStarts = new Map(cells.filter((cell) => cell.date.endsWith("-01"))
      .map((cell) => [cell.x, monthName.format(new Date(`${cell.date}T00:00:00Z`))]));
    showEmpty("calendar", !body.days.length);
    charts.calendar = new Chart(target, {
      type: "matrix",
      data: {
        datasets: [{
          label: gettext("Items"),
          data: cells,
          backgroundColor: (ctx) => {
            const value = ctx.raw?.v || 0;
            return value ? withAlpha(accent, 0.25 + 0.75 * (value / (body.max || 1))) : line;
          },
          width: ({ chart }) => Math.max(((chart.chartArea || {}).width || 0) / weeks - 1, 1),
          height: ({ chart }) => Math.max(((chart.chartArea || {}).height || 0) / 7 - 1, 1),
        }],
      },
      options: {
        animation: false,
        scales: {
          x: {
            type: "linear", min: -0.5, max: weeks - 0.5, offset: false, grid: { display: false },
            // A tick at the week of each month's first day, named after the month.
            afterBuildTicks: (axis) => { axis.ticks = [...monthStarts.keys()].map((value) => ({ value })); },
            ticks: { autoSkip: true, maxRotation: 0, callback: (v) => monthStarts.get(v) ?? "" },
          },
          y: {
            type: "linear", min: -0.5, max: 6.5, reverse: true, offset: false, grid: { display: false },
            afterBuildTicks: (axis) => { axis.ticks = [0, 2, 4, 6].map((value) => ({ value })); },
            ticks: { callback: (v) => WEEKDAYS[v] ?? "" },
          },
        },
        plugins: {
          tooltip: {
            callbacks: {
              title: (items) => items[0].raw.date,
              label: (item) => interpolate(ngettext("%(count)s item", "%(count)s items", item.raw.v), { count: numbers.format(item.raw.v) }, true),
            },
          },
        },
        onClick: (event, elements) => elements.length && open(cells[elements[0].index].filters),
      },
    });
    target.dataset.points = String(body.days.length);
    target.dataset.loaded = "true";
  }

  function withAlpha(hex, alpha) {
    const match = /^#([0-9a-f]{6})$/i.exec(hex);
    if (!match) return hex;
    const value = parseInt(match[1], 16);
    return `rgba(${value >> 16}, ${(value >> 8) & 255}, ${value & 255}, ${alpha.toFixed(2)})`;
  }

  // --- gear and settings -------------------------------------------------------------------------
  function drawGear(body) {
    for (const name of ["cameras", "lenses", "pairs"]) bars(name, body[name], (row) => row.label, { horizontal: true });
  }

  function drawExposure(body) {
    for (const name of ["iso", "aperture", "shutter", "focal"]) bars(name, body[name], (row) => row.label);
  }

  function failed(name) {
    return (error) => {
      const note = root.querySelector(`[data-empty="${name}"]`) || canvas(name)?.closest("section");
      if (note) {
        const message = document.createElement("p");
        message.className = "error";
        message.setAttribute("role", "alert");
        message.textContent = interpolate(gettext("Could not load these figures: %(error)s"), { error: error.message }, true);
        note.after(message);
      }
    };
  }

  mediahub.api("GET", root.dataset.activityUrl).then(drawActivity, failed("years"));
  mediahub.api("GET", root.dataset.gearUrl).then(drawGear, failed("cameras"));
  mediahub.api("GET", root.dataset.exposureUrl).then(drawExposure, failed("iso"));
})();
