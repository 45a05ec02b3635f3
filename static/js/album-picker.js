// "Add to album": a dialog listing the albums one may add to, plus a new one. Opened by a
// selection bar (selection.js dispatches `add-to-album` with the picked ids) or by any
// [data-add-to-album] button naming its photos in data-assets. URLs come from the dialog's data-*.
(() => {
  const dialog = document.querySelector("[data-album-picker]");
  if (!dialog || dialog.dataset.ready) return;
  dialog.dataset.ready = "yes";
  const { api, withId } = window.mediahub;
  const urls = dialog.dataset;
  const list = dialog.querySelector("[data-picker-list]");
  const status = dialog.querySelector("[data-picker-status]");
  let picked = [];

  const say = (html, error = false) => {
    status.innerHTML = html;
    status.classList.toggle("error", error);
  };
  const escape = (text) => text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);

  async function open(ids) {
    picked = ids;
    dialog.querySelector("[data-picked]").textContent = interpolate(ngettext("%(count)s photo", "%(count)s photos", ids.length), { count: ids.length }, true);
    say("");
    dialog.showModal();
    const response = await fetch(urls.pickerUrl, { credentials: "same-origin" });
    list.innerHTML = response.ok ? await response.text() : `<p class="error">${gettext("The albums could not be loaded.")}</p>`;
  }

  async function addTo(albumId, title) {
    try {
      const results = await api("POST", withId(urls.itemsUrl, albumId), { assets: picked });
      const added = results.filter((r) => r.status === 201).length;
      const already = results.filter((r) => r.status === 200).length;
      const refused = results.length - added - already;
      const link = `<a href="${withId(urls.albumPageUrl, albumId)}">${escape(title)}</a>`;
      const parts = [interpolate(gettext("Added %(added)s to %(album)s"), { added, album: link }, true)];
      if (already) parts.push(interpolate(gettext("%(count)s already there"), { count: already }, true));
      if (refused) parts.push(interpolate(gettext("%(count)s not yours to add"), { count: refused }, true));
      say(`${parts.join(", ")}.`);
      document.dispatchEvent(new CustomEvent("albums:added", { detail: { album: albumId, results } }));
    } catch (error) {
      say(escape(interpolate(gettext("Failed: %(error)s"), { error: error.message }, true)), true);
    }
  }

  list.addEventListener("click", (event) => {
    const button = event.target.closest("[data-pick]");
    if (button) addTo(button.dataset.pick, button.querySelector(".album-title").textContent);
  });
  dialog.querySelector("[data-new-album]").addEventListener("submit", async (event) => {
    event.preventDefault();
    const title = event.target.elements.title.value.trim();
    try {
      const album = await api("POST", urls.albumsUrl, { title });
      event.target.reset();
      await addTo(album.id, album.title);
    } catch (error) {
      say(escape(interpolate(gettext("Failed: %(error)s"), { error: error.message }, true)), true);
    }
  });

  document.addEventListener("add-to-album", (event) => open(event.detail.ids));
  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-add-to-album][data-assets]");
    if (button) open(button.dataset.assets.split(","));
  });
})();
