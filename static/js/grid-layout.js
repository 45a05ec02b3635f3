// Every photo grid ([data-gallery="grid"]: Photos, Search, albums, people, folders, shared links)
// as justified rows (Flickr's justified-layout, as in Immich) or as square tiles, at a size picked
// with a slider. The choice is remembered in this browser and applies to every grid.
//
// Tiles carry their shown size (data-width / data-height, after orientation and the user's turns).
// Each run of tiles between two headings (a day, a month) is laid out on its own. The layout is
// redone when tiles come or go (infinite scroll both ways, a scrubber jump, a removal from an
// album) and when the grid's width changes. Tiles stay in document order as flex items, so
// keyboard moves, selection and the infinite-scroll sentinels work as in the square grid.
(() => {
  const KEY = "mediahub-grid";
  const phone = window.matchMedia("(max-width: 720px)").matches;
  const DEFAULTS = { mode: "justified", size: phone ? 120 : 200 };
  const SIZE = { min: 80, max: 400, step: 10 };
  const justify = typeof window.require === "function" ? window.require("justified-layout") : null;

  const read = () => {
    try {
      const saved = JSON.parse(localStorage.getItem(KEY) || "{}");
      const size = Math.min(SIZE.max, Math.max(SIZE.min, Number(saved.size) || DEFAULTS.size));
      return { mode: saved.mode === "square" ? "square" : DEFAULTS.mode, size };
    } catch {
      return { ...DEFAULTS };
    }
  };
  let settings = read();
  const justified = () => settings.mode === "justified" && justify !== null;

  // Widths are floored to Chromium's layout unit (1/64 px): a row's tiles then never add up to more
  // than the grid's width, which would push the last one onto a line of its own.
  const unit = (px) => `${Math.floor(px * 64) / 64}px`;

  function contentWidth(grid) {
    const style = getComputedStyle(grid);
    const padding = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
    return Math.floor(grid.getBoundingClientRect().width - padding);
  }

  function layRun(run, width, gap) {
    if (!run.length) return;
    const ratios = run.map((tile) => (Number(tile.dataset.width) || 1) / (Number(tile.dataset.height) || 1));
    const { boxes } = justify(ratios, {
      containerWidth: width, containerPadding: 0, boxSpacing: gap, targetRowHeight: settings.size,
    });
    boxes.forEach((box, i) => {
      run[i].style.width = unit(box.width);
      run[i].style.height = unit(box.height);
    });
  }

  function layout(grid) {
    const rows = justified();
    // Every read before the first write: one layout of the browser's own, not one per step.
    const width = rows ? contentWidth(grid) : 0;
    const gap = rows ? parseFloat(getComputedStyle(grid).columnGap) || 4 : 0;
    grid.classList.toggle("grid-justified", rows);
    grid.classList.toggle("grid-square", !rows);
    grid.style.setProperty("--tile", `${settings.size}px`);
    if (!rows) {
      for (const tile of grid.querySelectorAll(":scope > .tile")) {
        tile.style.removeProperty("width");
        tile.style.removeProperty("height");
      }
      return;
    }
    if (width <= 0) return;
    grid.dataset.laidOutWidth = String(width);
    let run = [];
    for (const child of grid.children) {
      if (child.classList.contains("tile")) run.push(child);
      else if (!child.hidden && child.tagName !== "SCRIPT" && child.tagName !== "TEMPLATE") { // a heading, a sentinel
        layRun(run, width, gap);
        run = [];
      }
    }
    layRun(run, width, gap);
  }

  const pending = new Set();
  function soon(grid) {
    if (!pending.size) requestAnimationFrame(() => { for (const g of pending) layout(g); pending.clear(); });
    pending.add(grid);
  }

  const watched = new WeakSet();
  const resized = new ResizeObserver((entries) => {
    for (const { target } of entries) {
      if (target.isConnected && justified() && String(contentWidth(target)) !== target.dataset.laidOutWidth) soon(target);
    }
  });
  const changed = new MutationObserver((records) => {
    for (const record of records) soon(record.target);
  });

  function watch(grid) {
    if (watched.has(grid)) return;
    watched.add(grid);
    layout(grid);
    resized.observe(grid);
    changed.observe(grid, { childList: true });
  }

  // One set of controls per page, above the first grid (and above the Photos page's scrubber column).
  function controls() {
    const first = document.querySelector('[data-gallery="grid"]');
    if (!first || document.querySelector("[data-grid-view]")) return;
    const bar = document.createElement("div");
    bar.className = "grid-view";
    bar.dataset.gridView = "";
    bar.setAttribute("role", "group");
    bar.setAttribute("aria-label", gettext("Grid layout"));
    bar.innerHTML = `
      <button type="button" class="secondary" data-grid-mode="justified">${gettext("Justified")}</button>
      <button type="button" class="secondary" data-grid-mode="square">${gettext("Square")}</button>
      <label>${gettext("Size")} <input type="range" data-grid-size min="${SIZE.min}" max="${SIZE.max}" step="${SIZE.step}"></label>`;
    if (!justify) bar.querySelector('[data-grid-mode="justified"]').disabled = true;
    (first.closest("[data-timeline]") || first).before(bar);
    sync(bar);
    bar.addEventListener("click", (event) => {
      const button = event.target.closest("[data-grid-mode]");
      if (button) apply({ mode: button.dataset.gridMode });
    });
    bar.querySelector("[data-grid-size]").addEventListener("input", (event) => apply({ size: Number(event.target.value) }));
  }

  function sync(bar) {
    for (const button of bar.querySelectorAll("[data-grid-mode]")) {
      button.setAttribute("aria-pressed", String(button.dataset.gridMode === (justified() ? "justified" : "square")));
    }
    const slider = bar.querySelector("[data-grid-size]");
    slider.value = String(settings.size);
    slider.setAttribute("aria-valuetext", interpolate(justified() ? gettext("rows %(size)s pixels high") : gettext("tiles %(size)s pixels wide"), { size: settings.size }, true));
  }

  function apply(change) {
    settings = { ...settings, ...change };
    localStorage.setItem(KEY, JSON.stringify(settings));
    document.querySelectorAll("[data-grid-view]").forEach(sync);
    document.querySelectorAll('[data-gallery="grid"]').forEach(layout);
  }

  function scan() {
    document.querySelectorAll('[data-gallery="grid"]').forEach(watch);
    controls();
  }

  // Another script that swaps a grid's tiles and measures them at once (the scrubber's jump) lays
  // them out first, rather than waiting for the next frame.
  window.mediahub.layoutGrid = layout;
  scan();
  document.addEventListener("htmx:afterSettle", scan); // a Search swaps in a new grid
})();
