// The detail view's "Edit details" form and the "revert" buttons beside a field's value from the
// file (templates/assets/_edit.html, _from_file.html). Only what the user changed is sent; the page
// is loaded again afterwards, so every part of it (the map, the place, previous/next) shows the edit.
(() => {
  const form = document.querySelector("[data-edit-form]");
  if (!form || form.dataset.ready) return;
  form.dataset.ready = "yes";
  const url = form.dataset.editUrl;
  const status = form.querySelector("[data-edit-status]");
  const say = (text, error = false) => { status.textContent = text; status.classList.toggle("error", error); };
  const field = (name) => form.elements.namedItem(name);
  const changed = (name) => field(name).value !== field(name).defaultValue;
  const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

  function body() {
    const edit = {};
    for (const name of ["title", "description"]) if (changed(name)) edit[name] = field(name).value;
    const zone = field("time_zone").value.trim();
    if (changed("taken_at") && field("taken_at").value) {
      edit.taken_at = field("taken_at").value;
      if (zone) edit.time_zone = zone;
    } else if (changed("time_zone") && zone) {
      edit.time_zone = zone; // the camera's clock stays; it is read in this zone
    }
    const copy = field("copy_location_from").value.trim();
    if (copy) {
      const id = copy.match(UUID);
      if (!id) throw new Error(gettext("Paste a photo's link or id to copy its location"));
      edit.copy_location_from = id[0];
    } else if (changed("latitude") || changed("longitude")) {
      edit.latitude = Number(field("latitude").value);
      edit.longitude = Number(field("longitude").value);
    }
    return edit;
  }

  async function send(edit, done) {
    try {
      await mediahub.api("POST", url, edit);
      say(done);
      location.reload();
    } catch (error) {
      say(interpolate(gettext("Failed: %(error)s"), { error: error.message }, true), true);
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    let edit;
    try {
      edit = body();
    } catch (error) {
      say(error.message, true);
      return;
    }
    if (!Object.keys(edit).length) { say(gettext("Nothing changed")); return; }
    send(edit, gettext("Saved"));
  });

  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-revert]");
    if (!button) return;
    button.disabled = true;
    send({ revert: [button.dataset.revert] }, gettext("Back to the file's value"));
  });
})();
