// The Photos timeline scrubber, as in Immich: the viewport's full height stands for the whole
// library (of what the grid's filters show), month by month in proportion to their photos, with
// year labels. Dragging shows the month under the pointer; letting go (or a click, or Enter on a
// month) loads the grid from there without reloading the page. The grid then scrolls both ways:
// down through the usual "more" sentinel, up through a "newer" one (apps/assets/grid_pages.py).
(() => {
  const layout = document.querySelector("[data-timeline]");
  const grid = layout?.querySelector("#photo-grid");
  if (!grid) return;
  const { bucketsUrl, pageUrl } = layout.dataset;
  const withParam = (base, key, value) => `${base}${base.includes("?") ? "&" : "?"}${key}=${encodeURIComponent(value)}`;
  const monthName = (bucket) => new Date(`${bucket}-15T12:00:00Z`)
    .toLocaleDateString(document.documentElement.lang || undefined, { month: "long", year: "numeric", timeZone: "UTC" });

  const bar = document.createElement("nav");
  bar.className = "timeline-scrubber";
  bar.setAttribute("aria-label", gettext("Timeline"));
  const hover = document.createElement("div");
  hover.className = "scrubber-hover";
  hover.hidden = true;
  let months = []; // [{bucket, count, before, top, height}] as fractions of the bar

  mediahub.api("GET", bucketsUrl).then((rows) => {
    const total = rows.reduce((sum, row) => sum + row.count, 0);
    if (!total) return;
    let top = 0;
    months = rows.map((row) => {
      const month = { ...row, top, height: row.count / total };
      top += month.height;
      return month;
    });
    draw();
    layout.classList.add("has-scrubber");
    document.body.append(bar);
    new ResizeObserver(draw).observe(bar);
    markCurrent();
  }).catch(() => {}); // without counts the month list beside the grid still jumps

  function draw() {
    const height = bar.clientHeight || window.innerHeight;
    const parts = [];
    let lastYear = null;
    let lastLabel = -Infinity;
    for (const month of months) {
      const link = document.createElement("a");
      link.className = "scrubber-month";
      link.href = withParam(pageUrl, "at", month.before);
      link.dataset.bucket = month.bucket;
      link.title = `${monthName(month.bucket)}: ${month.count}`;
      link.setAttribute("aria-label", link.title);
      link.style.top = `${month.top * 100}%`;
      link.style.height = `${month.height * 100}%`;
      parts.push(link);
      const year = month.bucket.slice(0, 4);
      // A year label where the year starts, unless it would sit on the previous label.
      if (year !== lastYear && month.top * height - lastLabel >= 16) {
        const label = document.createElement("span");
        label.className = "scrubber-year";
        label.textContent = year;
        label.style.top = `${month.top * 100}%`;
        parts.push(label);
        lastLabel = month.top * height;
      }
      lastYear = year;
    }
    bar.replaceChildren(...parts, hover);
  }

  const monthAt = (clientY) => {
    const box = bar.getBoundingClientRect();
    const fraction = Math.min(Math.max((clientY - box.top) / box.height, 0), 0.999999);
    return months.find((m) => fraction < m.top + m.height) || months[months.length - 1];
  };
  const showHover = (clientY, month) => {
    hover.hidden = false;
    hover.textContent = monthName(month.bucket);
    hover.style.top = `${clientY - bar.getBoundingClientRect().top}px`;
  };

  let dragging = false;
  bar.addEventListener("pointerdown", (event) => {
    if (!months.length) return;
    event.preventDefault();
    dragging = true;
    bar.setPointerCapture(event.pointerId);
    bar.classList.add("dragging");
    showHover(event.clientY, monthAt(event.clientY));
  });
  bar.addEventListener("pointermove", (event) => {
    if (months.length) showHover(event.clientY, monthAt(event.clientY));
  });
  bar.addEventListener("pointerleave", () => { if (!dragging) hover.hidden = true; });
  bar.addEventListener("pointerup", (event) => {
    if (!dragging) return;
    dragging = false;
    bar.classList.remove("dragging");
    hover.hidden = true;
    jump(monthAt(event.clientY));
  });
  bar.addEventListener("click", (event) => { // keyboard (Enter on a month); pointer clicks ended in pointerup
    event.preventDefault();
    if (event.detail === 0) {
      const link = event.target.closest(".scrubber-month");
      if (link) jump(months.find((m) => m.bucket === link.dataset.bucket));
    }
  });

  async function jump(month) {
    const url = withParam(pageUrl, "at", month.before);
    layout.setAttribute("aria-busy", "true");
    try {
      const response = await fetch(url, { headers: { "HX-Request": "true" }, credentials: "same-origin" });
      if (!response.ok) throw new Error(response.statusText);
      grid.innerHTML = await response.text();
      htmx.process(grid);
      mediahub.layoutGrid?.(grid); // the justified rows, before measuring where to scroll
      const first = grid.querySelector("h2.month, h3.day, .tile");
      if (first) window.scrollTo({ top: first.getBoundingClientRect().top + window.scrollY - 72 });
      history.replaceState(history.state, "", url);
      markCurrent();
    } catch {
      location.href = url; // the page itself can still jump
    } finally {
      layout.removeAttribute("aria-busy");
    }
  }

  // A newer page lands above the first rows: the headings of a day or month split across the two
  // pages are kept once, at the top. (The browser's scroll anchoring keeps the view where it was.)
  grid.addEventListener("htmx:afterSettle", () => {
    const seen = new Set();
    for (const heading of grid.querySelectorAll("h2.month[id], h3.day[id]")) {
      if (seen.has(heading.id)) heading.remove();
      else seen.add(heading.id);
    }
    markCurrent();
  });

  // The month being looked at is marked on the bar.
  function markCurrent() {
    let current = null;
    for (const heading of grid.querySelectorAll("h2.month[id]")) {
      if (heading.getBoundingClientRect().top > 120) break;
      current = heading.id.replace("month-", "");
    }
    current = current || grid.querySelector("h2.month[id]")?.id.replace("month-", "");
    bar.querySelectorAll(".scrubber-month.current").forEach((link) => link.classList.remove("current"));
    if (current) bar.querySelector(`.scrubber-month[data-bucket="${current}"]`)?.classList.add("current");
  }
  let ticking = false;
  window.addEventListener("scroll", () => {
    if (ticking) return;
    ticking = true;
    requestAnimationFrame(() => { ticking = false; markCurrent(); });
  }, { passive: true });
})();
