// Multi-select in a grid of photos (Photos, Search, a person, an album): Ctrl/Cmd-click or the tick toggles a photo, Shift-click
// selects the range from the last one picked, "Select day" takes a whole day; once something
// is selected a plain click toggles too. The toolbar applies an action to all of them at once
// through the batch endpoint of the API (the bar's data-url), or hands them to another script
// (a button's data-selection-event).
(() => {
  const grid = document.querySelector('[data-gallery="grid"]');
  const bar = document.querySelector("[data-selection-bar]");
  if (!grid || !bar) return;
  const selected = new Set();
  let anchor = null;
  const tiles = () => [...grid.querySelectorAll(".tile[data-asset]")];

  const render = () => {
    for (const tile of tiles()) tile.classList.toggle("selected", selected.has(tile.dataset.asset));
    bar.hidden = selected.size === 0;
    grid.classList.toggle("selecting", selected.size > 0);
    bar.querySelector("[data-count]").textContent = interpolate(gettext("%(count)s selected"), { count: selected.size }, true);
  };
  const toggle = (tile, on = !selected.has(tile.dataset.asset)) => {
    if (on) selected.add(tile.dataset.asset); else selected.delete(tile.dataset.asset);
  };

  grid.addEventListener("click", (event) => {
    const dayButton = event.target.closest("[data-select-day]");
    if (dayButton) {
      // A day's tiles are the ones between its heading and the next heading.
      let node = dayButton.closest(".day").nextElementSibling;
      const day = [];
      for (; node && !node.matches(".day, .month"); node = node.nextElementSibling) {
        if (node.matches(".tile[data-asset]")) day.push(node);
      }
      const all = day.every((tile) => selected.has(tile.dataset.asset));
      day.forEach((tile) => toggle(tile, !all));
      render();
      return;
    }
    const tile = event.target.closest(".tile[data-asset]");
    if (!tile || event.target.closest("button")) return; // a tile's own buttons (an album's Cover, Remove)
    const picking = event.ctrlKey || event.metaKey || event.shiftKey
      || event.target.closest(".tick") || selected.size > 0;
    if (!picking) return; // a plain click opens the photo
    event.preventDefault();
    if (event.shiftKey && anchor) {
      const list = tiles();
      const [from, to] = [list.indexOf(anchor), list.indexOf(tile)].sort((a, b) => a - b);
      list.slice(from, to + 1).forEach((t) => toggle(t, true));
    } else {
      toggle(tile);
    }
    anchor = tile;
    render();
  });

  const say = (text, error = false) => {
    const status = bar.querySelector("[data-status]");
    status.textContent = text;
    status.classList.toggle("error", error);
  };

  // A ZIP of the originals, fetched by downloads.js so the bar shows its progress and says how
  // many photos were left out (a shared photo whose album does not allow downloads).
  const download = async () => {
    const count = selected.size;
    try {
      const reply = await mediahub.download(bar.dataset.downloadUrl, {
        method: "POST", body: { ids: [...selected] }, progress: bar.querySelector("[data-progress]"), say,
      });
      const got = count - reply.leftOut;
      say(reply.leftOut
        ? interpolate(gettext("Downloaded %(got)s of %(count)s; %(left)s left out: not yours to download"), { got, count, left: reply.leftOut }, true)
        : interpolate(ngettext("Downloaded %(count)s photo", "Downloaded %(count)s photos", count), { count }, true), reply.leftOut > 0);
    } catch (error) {
      say(interpolate(gettext("Download failed: %(error)s"), { error: error.message }, true), true);
    }
  };

  // To the trash (restorable from the Trash page); each photo answers for itself, so a shared
  // photo that is not the user's to delete stays selected with the reason.
  const trash = async () => {
    try {
      const results = await mediahub.api("POST", bar.dataset.deleteUrl, { ids: [...selected] });
      const done = results.filter((r) => r.status === 204).map((r) => r.id);
      for (const id of done) {
        selected.delete(id);
        grid.querySelector(`.tile[data-asset="${CSS.escape(id)}"]`)?.remove();
      }
      const refused = results.find((r) => r.status !== 204);
      render();
      if (refused) say(interpolate(gettext("Moved %(moved)s to the trash; %(kept)s not: %(error)s"), { moved: done.length, kept: results.length - done.length, error: refused.detail }, true), true);
      else say(interpolate(gettext("Moved %(count)s to the trash"), { count: done.length }, true));
      bar.hidden = false; // keep the message in sight
    } catch (error) {
      say(interpolate(gettext("Failed: %(error)s"), { error: error.message }, true), true);
    }
  };

  bar.addEventListener("click", async (event) => {
    const button = event.target.closest("[data-action], [data-selection-event]");
    if (!button) return;
    if (button.dataset.action === "clear") { selected.clear(); render(); return; }
    if (button.dataset.action === "download") { download(); return; }
    if (button.dataset.action === "delete") { trash(); return; }
    if (button.dataset.selectionEvent) {
      // Handled by another script (e.g. album-picker.js's "add-to-album"), given the picked ids.
      bar.dispatchEvent(new CustomEvent(button.dataset.selectionEvent, { bubbles: true, detail: { ids: [...selected] } }));
      return;
    }
    const body = { ids: [...selected], action: button.dataset.action };
    if (body.action === "rate") body.rating = Number(bar.querySelector("[data-rating]").value);
    const status = bar.querySelector("[data-status]");
    try {
      const reply = await mediahub.api("POST", bar.dataset.url, body);
      status.textContent = interpolate(ngettext("%(action)s: %(count)s photo", "%(action)s: %(count)s photos", reply.updated), { action: button.textContent.trim(), count: reply.updated }, true);
      status.classList.remove("error");
    } catch (error) {
      status.textContent = interpolate(gettext("Failed: %(error)s"), { error: error.message }, true);
      status.classList.add("error");
    }
  });

  // A tile another script takes away (an album's Remove) leaves the selection too.
  new MutationObserver(() => {
    const gone = [...selected].filter((id) => !grid.querySelector(`.tile[data-asset="${CSS.escape(id)}"]`));
    if (!gone.length) return;
    const shown = !bar.hidden;
    gone.forEach((id) => selected.delete(id));
    render();
    bar.hidden = !shown; // the other script's message stays in sight
  }).observe(grid, { childList: true });

  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && selected.size) { selected.clear(); render(); }
  });
  grid.dataset.selection = "ready"; // a grid htmx swaps in gets it once this script ran again
})();
