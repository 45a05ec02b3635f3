// "Shift dates…" and "Set location…" for a grid's selection: selection.js dispatches `shift-dates`
// or `set-location` with the picked ids; the dialog (templates/assets/_edit_dialog.html) sends one
// batch edit for all of them. The page is loaded again after a change: tiles move to their new day.
(() => {
  const dialog = document.querySelector("[data-edit-dialog]");
  if (!dialog || dialog.dataset.ready) return;
  dialog.dataset.ready = "yes";
  const status = dialog.querySelector("[data-edit-status]");
  const say = (text, error = false) => { status.textContent = text; status.classList.toggle("error", error); };
  const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
  let picked = [];

  const open = (mode, ids) => {
    picked = ids;
    const count = ids.length === 1 ? "1 photo" : `${ids.length} photos`;
    dialog.querySelector("[data-edit-title]").textContent =
      interpolate(mode === "dates" ? gettext("Shift the dates of %(count)s") : gettext("Set the location of %(count)s"), { count }, true);
    for (const form of dialog.querySelectorAll("[data-edit-mode]")) form.hidden = form.dataset.editMode !== mode;
    say("");
    dialog.showModal();
  };
  document.addEventListener("shift-dates", (event) => open("dates", event.detail.ids));
  document.addEventListener("set-location", (event) => open("location", event.detail.ids));

  const bodies = {
    dates(form) {
      const value = (name) => Number(form.elements.namedItem(name).value) || 0;
      const seconds = ((value("days") * 24 + value("hours")) * 60 + value("minutes")) * 60 * value("direction");
      const edit = {};
      if (seconds) edit.shift_seconds = seconds;
      const zone = form.elements.namedItem("time_zone").value.trim();
      if (zone) Object.assign(edit, { time_zone: zone, keep: form.elements.namedItem("keep").value });
      if (!Object.keys(edit).length) throw new Error(gettext("Give a shift or a time zone"));
      return edit;
    },
    location(form) {
      const copy = form.elements.namedItem("copy_location_from").value.trim();
      if (copy) {
        const id = copy.match(UUID);
        if (!id) throw new Error(gettext("Paste a photo's link or id to copy its location"));
        return { copy_location_from: id[0] };
      }
      const lat = form.elements.namedItem("latitude").value;
      const lon = form.elements.namedItem("longitude").value;
      if (lat === "" || lon === "") throw new Error(gettext("Click the map or type a latitude and longitude"));
      return { latitude: Number(lat), longitude: Number(lon) };
    },
  };

  dialog.addEventListener("submit", async (event) => {
    const form = event.target.closest("[data-edit-mode]");
    if (!form) return; // the Close button's form
    event.preventDefault();
    try {
      const reply = await mediahub.api("POST", dialog.dataset.url, { ids: picked, ...bodies[form.dataset.editMode](form) });
      say(interpolate(ngettext("Changed %(count)s photo", "Changed %(count)s photos", reply.updated), { count: reply.updated }, true));
      location.reload();
    } catch (error) {
      say(interpolate(gettext("Failed: %(error)s"), { error: error.message }, true), true);
    }
  });
})();
