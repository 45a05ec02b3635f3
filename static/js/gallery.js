// Photos grid and detail view: keyboard, swipe, zoom, and tiles whose thumbnail is not made yet.
(() => {
  const grid = document.querySelector('[data-gallery="grid"]');
  if (grid) {
    // A poster still being made answers 404: show the tile's placeholder instead of a broken image.
    grid.addEventListener("error", (event) => {
      if (event.target.tagName === "IMG") event.target.closest(".tile")?.classList.add("no-thumb");
    }, true);

    // Arrow keys move between tiles (up/down by one row, whatever the column count), Enter opens.
    grid.addEventListener("keydown", (event) => {
      const tile = event.target.closest?.(".tile");
      const moves = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: "up", ArrowDown: "down" };
      if (!tile || !(event.key in moves)) return;
      const tiles = [...grid.querySelectorAll(".tile")];
      const index = tiles.indexOf(tile);
      let target;
      if (typeof moves[event.key] === "number") target = tiles[index + moves[event.key]];
      else {
        const step = event.key === "ArrowDown" ? 1 : -1;
        const { left, top } = tile.getBoundingClientRect();
        for (let i = index + step; i >= 0 && i < tiles.length; i += step) {
          const box = tiles[i].getBoundingClientRect();
          if (box.top !== top && Math.abs(box.left - left) < 4) { target = tiles[i]; break; }
        }
      }
      if (target) {
        event.preventDefault();
        target.focus();
        target.scrollIntoView({ block: "nearest" });
      }
    });
  }

  const viewer = document.querySelector('[data-gallery="detail"]');
  if (!viewer) return;
  const link = (key) => viewer.querySelector(`a[data-key="${key}"]`);
  const gridUrl = viewer.dataset.gridUrl;

  // Stepping through photos replaces the history entry, so Back (and Esc) returns to the grid
  // where the user was, scroll position included, rather than through every photo seen.
  const go = (anchor) => { if (anchor) location.replace(anchor.href); };
  const backToGrid = () => {
    const cameFromGrid = document.referrer && new URL(document.referrer).pathname === gridUrl
      && new URL(document.referrer).origin === location.origin;
    if (cameFromGrid && history.length > 1) history.back();
    else location.href = gridUrl;
  };

  for (const key of ["ArrowLeft", "ArrowRight"]) {
    link(key)?.addEventListener("click", (event) => { event.preventDefault(); go(event.currentTarget); });
  }
  link("Escape")?.addEventListener("click", (event) => { event.preventDefault(); backToGrid(); });

  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey || event.target.closest("input, textarea, select")) return;
    if (event.key === "Escape") backToGrid();
    else if (event.key === "ArrowLeft" || event.key === "ArrowRight") {
      if (event.target.closest("video, audio")) return; // arrows seek inside a focused player
      event.preventDefault();
      go(link(event.key));
    }
  });

  // Phones: swipe left for the next (older) photo, right for the previous one.
  let start = null;
  const media = viewer.querySelector(".viewer-media");
  media.addEventListener("touchstart", (e) => { start = e.touches.length === 1 ? e.touches[0] : null; }, { passive: true });
  media.addEventListener("touchend", (e) => {
    if (!start || viewer.classList.contains("zoomed")) return;
    const dx = e.changedTouches[0].clientX - start.clientX;
    const dy = e.changedTouches[0].clientY - start.clientY;
    if (Math.abs(dx) > 60 && Math.abs(dx) > 2 * Math.abs(dy)) go(link(dx < 0 ? "ArrowRight" : "ArrowLeft"));
    start = null;
  });

  // Click the preview to see it at full preview resolution, click again to fit.
  viewer.querySelector("img.preview")?.addEventListener("click", () => viewer.classList.toggle("zoomed"));

  // Warm the cache for the likely next step.
  for (const key of ["ArrowRight", "ArrowLeft"]) {
    const anchor = link(key);
    if (anchor) {
      const hint = document.createElement("link");
      hint.rel = "prefetch";
      hint.href = anchor.href;
      document.head.append(hint);
    }
  }
})();
