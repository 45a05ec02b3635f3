// The Trash page: click (or tick) tiles to select them, then restore them; or restore everything,
// or empty the trash for good. Opening a photo (Ctrl/Cmd-click, or a click while nothing is
// selected) shows it with its own Restore button. URLs come from the bar's data-* attributes.
(() => {
  const grid = document.querySelector("[data-trash-grid]");
  const bar = document.querySelector("[data-trash-bar]");
  if (!grid || !bar) return;
  const selected = new Set();
  const status = bar.querySelector("[data-status]");
  const restoreButton = bar.querySelector('[data-trash-action="restore"]');
  const say = (text, error = false) => { status.textContent = text; status.classList.toggle("error", error); };

  const render = () => {
    for (const tile of grid.querySelectorAll(".tile[data-asset]")) tile.classList.toggle("selected", selected.has(tile.dataset.asset));
    grid.classList.toggle("selecting", selected.size > 0);
    restoreButton.disabled = selected.size === 0;
    bar.querySelector("[data-count]").textContent = selected.size ? interpolate(gettext("%(count)s selected"), { count: selected.size }, true) : gettext("Select photos to restore them");
  };
  const removeTiles = (ids) => {
    for (const id of ids) grid.querySelector(`.tile[data-asset="${CSS.escape(id)}"]`)?.remove();
    if (!grid.querySelector(".tile[data-asset]")) location.reload(); // "The trash is empty."
  };

  grid.addEventListener("click", (event) => {
    const tile = event.target.closest(".tile[data-asset]");
    if (!tile || event.ctrlKey || event.metaKey) return;
    if (!event.target.closest(".tick") && selected.size === 0) return; // a plain click opens the photo
    event.preventDefault();
    if (selected.has(tile.dataset.asset)) selected.delete(tile.dataset.asset); else selected.add(tile.dataset.asset);
    render();
  });

  const actions = {
    restore: async () => {
      const ids = [...selected];
      const reply = await mediahub.api("POST", bar.dataset.restoreUrl, { ids });
      selected.clear();
      render();
      say(interpolate(gettext("Restored %(count)s"), { count: reply.restored }, true));
      removeTiles(ids);
    },
    "restore-all": async () => {
      const reply = await mediahub.api("POST", bar.dataset.restoreAllUrl);
      say(interpolate(gettext("Restored %(count)s"), { count: reply.restored }, true));
      location.reload();
    },
    empty: async () => {
      if (!confirm(gettext("Delete everything in the trash for good? It cannot be restored."))) return;
      const reply = await mediahub.api("POST", bar.dataset.emptyUrl);
      if (reply.kept.length) say(interpolate(gettext("Deleted %(deleted)s; kept %(kept)s: %(error)s"), { deleted: reply.deleted, kept: reply.kept.length, error: reply.kept[0].detail }, true), true);
      else location.reload();
    },
  };

  bar.addEventListener("click", async (event) => {
    const button = event.target.closest("[data-trash-action]");
    if (!button) return;
    try {
      await actions[button.dataset.trashAction]();
    } catch (error) {
      say(interpolate(gettext("Failed: %(error)s"), { error: error.message }, true), true);
    }
  });
})();
