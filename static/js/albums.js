// An album's page: inline title and description, order, drag-and-drop reorder (SortableJS), cover,
// remove, freeze, delete or leave, and the share dialog (members and public links). Every change
// goes through the albums API; its URLs come from the page's data-* attributes (api.js). Picking
// photos (download, delete to the trash, add to another album) is selection.js, as on Photos.
(() => {
  const page = document.querySelector("[data-album-page]");
  if (!page) return;
  const urls = page.dataset;
  const { api, withId } = window.mediahub;
  const status = page.querySelector("[data-status]");
  const grid = page.querySelector("[data-album-grid]");
  const say = (text, error = false, line = status) => {
    line.textContent = text;
    line.classList.toggle("error", error);
  };
  const attempt = async (work, done) => {
    try {
      const reply = await work();
      if (done) say(typeof done === "function" ? done(reply) : done);
      return reply;
    } catch (error) {
      say(interpolate(gettext("Failed: %(error)s"), { error: error.message }, true), true);
      return undefined;
    }
  };

  // Title, description and order save when they change; a new order reloads the grid.
  for (const field of page.querySelectorAll("[data-field]")) {
    field.addEventListener("change", async () => {
      const reply = await attempt(() => api("PATCH", urls.albumUrl, { [field.dataset.field]: field.value }), gettext("Saved"));
      if (reply && field.dataset.field === "sort") location.reload();
      if (reply && field.dataset.field === "title") document.title = `${reply.title} · MediaHub`;
    });
  }
  page.querySelector(".album-title-input")?.addEventListener("keydown", (event) => {
    if (event.key === "Enter") event.target.blur();
  });

  // Drag and drop in manual order: the moved photo goes right after the one now before it.
  if (grid?.hasAttribute("data-sortable") && window.Sortable) {
    Sortable.create(grid, {
      draggable: ".album-tile",
      filter: "button, .tick", // the tick picks the photo (selection.js), it does not drag it
      preventOnFilter: false,
      delay: 200,
      delayOnTouchOnly: true,
      animation: 120,
      forceFallback: true, // pointer events rather than native drag: the same on phones, mice and tests
      onEnd: async ({ item, oldIndex, newIndex }) => {
        if (oldIndex === newIndex) return;
        const before = item.previousElementSibling?.closest(".album-tile");
        await attempt(() => api("POST", urls.reorderUrl, {
          asset: item.dataset.asset, after: before ? before.dataset.asset : null,
        }), gettext("Order saved"));
      },
    });
  }

  grid?.addEventListener("click", async (event) => {
    const button = event.target.closest("button");
    const tile = button?.closest(".album-tile");
    if (!tile) return;
    event.preventDefault();
    const asset = tile.dataset.asset;
    if (button.matches("[data-cover]")) {
      const reply = await attempt(() => api("PATCH", urls.albumUrl, { cover: asset }), gettext("Cover set"));
      if (reply) grid.querySelectorAll("[data-cover]").forEach((b) => b.toggleAttribute("aria-pressed", b === button));
    } else if (button.matches("[data-remove]")) {
      removeFromAlbum([asset], status);
    }
  });

  // Out of the album, the photos stay in the library; each answers for itself (a contributor
  // removes only what they added). From a tile's Remove or the selection bar's.
  const removeFromAlbum = async (ids, line) => {
    const results = await attempt(() => api("DELETE", urls.itemsUrl, { assets: ids }));
    if (!results) return;
    const done = results.filter((r) => r.status === 204);
    done.forEach((r) => grid.querySelector(`.album-tile[data-asset="${CSS.escape(r.id)}"]`)?.remove());
    const refused = results.find((r) => r.status !== 204);
    const removed = done.length ? interpolate(gettext("Removed %(count)s; "), { count: done.length }, true) : "";
    if (refused) say(removed + interpolate(gettext("Not removed: %(error)s"), { error: refused.detail }, true), true, line);
    else say(interpolate(gettext("Removed %(count)s from the album (the photos stay in your library)"), { count: done.length }, true), false, line);
  };
  page.addEventListener("remove-from-album", (event) => {
    removeFromAlbum(event.detail.ids, event.target.querySelector("[data-status]"));
  });

  page.querySelector("[data-freeze]")?.addEventListener("click", async () => {
    if (await attempt(() => api("POST", urls.freezeUrl), gettext("Frozen"))) location.reload();
  });
  page.querySelector("[data-delete]")?.addEventListener("click", async () => {
    if (!confirm(gettext("Delete this album? Its photos stay in your library."))) return;
    if (await attempt(() => api("DELETE", urls.albumUrl), gettext("Deleted")) !== undefined) location.href = urls.albumsUrl;
  });
  page.querySelector("[data-leave]")?.addEventListener("click", async () => {
    if (!confirm(gettext("Leave this album? You will no longer see it."))) return;
    const left = await attempt(() => api("DELETE", withId(urls.memberUrl, urls.me)), gettext("Left"));
    if (left !== undefined) location.href = urls.albumsUrl;
  });

  // The share dialog: its body is a fragment of the page, loaded again after each change.
  const dialog = page.querySelector("[data-share-dialog]");
  if (!dialog) return;
  const body = dialog.querySelector("[data-share-body]");
  const load = () => htmx.ajax("GET", urls.shareUrl, { target: body, swap: "innerHTML" });
  const told = (text, error = false) => {
    const line = body.querySelector("[data-share-status]");
    if (line) { line.textContent = text; line.classList.toggle("error", error); }
  };
  const change = async (work, done) => {
    try {
      await work();
      await load();
      told(done);
    } catch (error) {
      told(interpolate(gettext("Failed: %(error)s"), { error: error.message }, true), true);
    }
  };
  page.querySelector("[data-share]").addEventListener("click", () => { dialog.showModal(); load(); });

  body.addEventListener("submit", (event) => {
    event.preventDefault();
    const form = event.target;
    const data = new FormData(form);
    if (form.matches("[data-add-member]")) {
      change(() => api("POST", urls.membersUrl, { user: data.get("user"), role: data.get("role") }),
        interpolate(gettext("Shared with %(user)s"), { user: data.get("user") }, true));
    } else if (form.matches("[data-add-link]")) {
      const expires = data.get("expires_at");
      change(() => api("POST", urls.linksUrl, {
        expires_at: expires ? new Date(expires).toISOString() : null,
        password: data.get("password") || "",
        allow_download: data.has("allow_download"),
        show_metadata: data.has("show_metadata"),
      }), gettext("Link created: copy it below"));
    }
  });
  body.addEventListener("change", (event) => {
    const member = event.target.closest("[data-member]");
    if (member && event.target.matches("[data-role]")) {
      change(() => api("PATCH", withId(urls.memberUrl, member.dataset.member), { role: event.target.value }), gettext("Role changed"));
    }
  });
  body.addEventListener("click", async (event) => {
    const member = event.target.closest("[data-member]");
    const link = event.target.closest("[data-link]");
    if (member && event.target.matches("[data-remove-member]")) {
      change(() => api("DELETE", withId(urls.memberUrl, member.dataset.member)), gettext("No longer shared with them"));
    } else if (link && event.target.matches("[data-revoke]")) {
      change(() => api("PATCH", withId(urls.linkUrl, link.dataset.link), { revoked: true }), gettext("Link revoked"));
    } else if (link && event.target.matches("[data-copy]")) {
      const field = link.querySelector(".link-url");
      field.select();
      try {
        await navigator.clipboard.writeText(field.value);
        told(gettext("Link copied"));
      } catch {
        told(gettext("Press Ctrl+C to copy the selected link"));
      }
    }
  });
})();
