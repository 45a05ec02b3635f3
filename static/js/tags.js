// Tags: a photo's tags on its page, "Tag" in every selection bar (the `tag-selection` event that
// selection.js dispatches), the Tags page's rename/merge/recolour/delete, and the Search form's tag
// chips (all / any / none). Every URL comes from data-* attributes. Loaded by several fragments:
// it sets itself up once and listens on the document, so fragments htmx swaps in work too.
(() => {
  if (window.mediahubTags) return;
  window.mediahubTags = true;
  const { api, withId } = window.mediahub;

  const say = (root, text, error = false) => {
    const status = root.querySelector("[data-tag-status]") || document.querySelector("[data-tag-status]");
    if (!status) return;
    status.textContent = text;
    status.classList.toggle("error", error);
  };
  const photos = (n) => interpolate(ngettext("%(count)s photo", "%(count)s photos", n), { count: n }, true);

  // Autocomplete: the caller's tags whose path contains what is typed, into the input's datalist.
  let typing;
  document.addEventListener("input", (event) => {
    const input = event.target.closest("[data-tag-input]");
    const root = input?.closest("[data-list-url]");
    if (!root) return;
    clearTimeout(typing);
    typing = setTimeout(async () => {
      const list = root.querySelector("[data-tag-suggestions]");
      const url = `${root.dataset.listUrl}?search=${encodeURIComponent(input.value.trim())}`;
      const tags = await api("GET", url).catch(() => []);
      list.replaceChildren(...tags.slice(0, 30).map((tag) => Object.assign(document.createElement("option"), { value: tag.path })));
    }, 150);
  });

  // A photo's page.
  const chip = (tag, searchUrl) => {
    const span = document.createElement("span");
    span.className = `tag-chip${tag.source === "file" ? " from-file" : ""}`;
    span.dataset.tagChip = tag.path;
    if (tag.colour) span.style.setProperty("--tag-colour", tag.colour);
    const link = Object.assign(document.createElement("a"), { href: `${searchUrl}?tags_all=${encodeURIComponent(tag.path)}`, textContent: tag.path });
    const remove = Object.assign(document.createElement("button"), { type: "button", className: "link", textContent: "×" });
    remove.dataset.tagRemove = tag.path;
    remove.setAttribute("aria-label", interpolate(gettext("Remove the tag %(path)s"), { path: tag.path }, true));
    span.append(link, " ", remove);
    return span;
  };

  document.addEventListener("submit", async (event) => {
    const form = event.target;
    const box = form.closest("[data-asset-tags]");
    if (form.matches("[data-tag-add-form]") && box) {
      event.preventDefault();
      const path = form.elements.tag.value.trim();
      if (!path) return;
      try {
        const reply = await api("POST", box.dataset.addUrl, { assets: [box.dataset.asset], tags: [path] });
        const chips = box.querySelector("[data-tag-chips]");
        chips.querySelector("[data-no-tags]")?.remove();
        for (const tag of reply.tags) {
          if (![...chips.querySelectorAll("[data-tag-chip]")].some((c) => c.dataset.tagChip.toLowerCase() === tag.path.toLowerCase())) {
            chips.append(chip(tag, box.dataset.searchUrl));
          }
        }
        form.reset();
        say(box, interpolate(gettext("Tagged %(tags)s"), { tags: reply.tags.map((t) => t.path).join(", ") }, true));
      } catch (error) {
        say(box, interpolate(gettext("Failed: %(error)s"), { error: error.message }, true), true);
      }
      return;
    }
    if (form.matches("[data-tag-batch-form]")) {
      event.preventDefault();
      batch(form, event.submitter?.value || "add");
      return;
    }
    if (form.matches("[data-tag-create]")) {
      event.preventDefault();
      try {
        await api("POST", form.dataset.listUrl, { path: form.elements.path.value, colour: form.elements.colour.value });
        window.location.reload();
      } catch (error) {
        say(document, interpolate(gettext("Failed: %(error)s"), { error: error.message }, true), true);
      }
    }
  });

  document.addEventListener("click", async (event) => {
    const remove = event.target.closest("[data-tag-remove]");
    const box = remove?.closest("[data-asset-tags]");
    if (!box) return;
    try {
      const reply = await api("POST", box.dataset.removeUrl, { assets: [box.dataset.asset], tags: [remove.dataset.tagRemove] });
      if (reply.refused) say(box, gettext("This keyword is in the file and the photo is not yours to change"), true);
      else { remove.closest("[data-tag-chip]").remove(); say(box, interpolate(gettext("Removed %(tag)s"), { tag: remove.dataset.tagRemove }, true)); }
    } catch (error) {
      say(box, interpolate(gettext("Failed: %(error)s"), { error: error.message }, true), true);
    }
  });

  // "Tag" in a selection bar.
  let picked = [];
  document.addEventListener("tag-selection", (event) => {
    const dialog = document.querySelector("[data-tag-dialog]");
    if (!dialog) return;
    picked = event.detail.ids;
    dialog.querySelector("[data-picked]").textContent = photos(picked.length);
    say(dialog, "");
    dialog.showModal();
  });

  async function batch(form, how) {
    const dialog = form.closest("[data-tag-dialog]");
    const path = form.elements.tag.value.trim();
    if (!path) return;
    try {
      if (how === "remove") {
        const reply = await api("POST", dialog.dataset.removeUrl, { assets: picked, tags: [path] });
        const refused = reply.refused ? interpolate(ngettext("; %(count)s file keyword not yours to remove", "; %(count)s file keywords not yours to remove", reply.refused), { count: reply.refused }, true) : "";
        say(dialog, `${interpolate(gettext("Removed %(tag)s from %(photos)s"), { tag: path, photos: photos(reply.removed) }, true)}${refused}.`);
      } else {
        const reply = await api("POST", dialog.dataset.addUrl, { assets: picked, tags: [path] });
        say(dialog, interpolate(gettext("Tagged %(photos)s %(tags)s."), { photos: photos(reply.tagged), tags: reply.tags.map((t) => t.path).join(", ") }, true));
      }
    } catch (error) {
      say(dialog, interpolate(gettext("Failed: %(error)s"), { error: error.message }, true), true);
    }
  }

  // The Tags page.
  const tree = document.querySelector("[data-tag-tree]");
  if (tree) {
    const urls = tree.dataset;
    const act = async (work) => {
      try { await work(); window.location.reload(); } catch (error) { say(document, interpolate(gettext("Failed: %(error)s"), { error: error.message }, true), true); }
    };
    tree.addEventListener("click", (event) => {
      const row = event.target.closest("[data-tag-id]");
      if (!row) return;
      const id = row.dataset.tagId;
      const path = row.dataset.tagRow;
      if (event.target.closest("[data-tag-rename]")) {
        const to = window.prompt(interpolate(gettext("Rename %(tag)s (its children move with it)"), { tag: path }, true), path);
        if (to && to !== path) act(() => api("PATCH", withId(urls.detailUrl, id), { path: to }));
      } else if (event.target.closest("[data-tag-merge]")) {
        const into = window.prompt(interpolate(gettext("Merge %(tag)s into which tag? (its path)"), { tag: path }, true));
        const target = into && tree.querySelector(`[data-tag-row="${CSS.escape(into)}"][data-tag-id]`);
        if (into && !target) say(document, interpolate(gettext("No tag of yours named %(tag)s"), { tag: into }, true), true);
        else if (target) act(() => api("POST", withId(urls.mergeUrl, id), { into: Number(target.dataset.tagId) }));
      } else if (event.target.closest("[data-tag-delete]")) {
        if (window.confirm(interpolate(gettext("Delete %(tag)s and its children? The photos stay."), { tag: path }, true))) act(() => api("DELETE", withId(urls.detailUrl, id)));
      }
    });
    tree.addEventListener("change", (event) => {
      const colour = event.target.closest("[data-tag-colour]");
      if (colour) act(() => api("PATCH", withId(urls.detailUrl, colour.closest("[data-tag-id]").dataset.tagId), { colour: colour.value }));
    });
  }

  // The Search form's chips: one hidden input per mode holds its comma-separated paths.
  const filter = document.querySelector("[data-tag-filter]");
  if (filter) {
    const labels = { tags_all: gettext("all of"), tags_any: gettext("any of"), tags_none: gettext("not") };
    const field = (mode) => filter.querySelector(`input[type=hidden][name=${mode}]`);
    const values = (mode) => field(mode).value.split(",").map((v) => v.trim()).filter(Boolean);
    const render = () => {
      const chips = filter.querySelector("[data-tag-filter-chips]");
      chips.replaceChildren();
      for (const mode of Object.keys(labels)) {
        for (const path of values(mode)) {
          const span = document.createElement("span");
          span.className = "tag-chip";
          span.dataset.tagFilterChip = `${mode}:${path}`;
          const remove = Object.assign(document.createElement("button"), { type: "button", className: "link", textContent: "×" });
          remove.setAttribute("aria-label", interpolate(gettext("Remove the filter %(mode)s %(tag)s"), { mode: labels[mode], tag: path }, true));
          remove.addEventListener("click", () => { set(mode, values(mode).filter((v) => v !== path)); });
          span.append(Object.assign(document.createElement("span"), { className: "mode", textContent: labels[mode] }), " ", path, " ", remove);
          chips.append(span);
        }
      }
    };
    const set = (mode, list) => {
      field(mode).value = list.join(",");
      render();
      field(mode).dispatchEvent(new Event("change", { bubbles: true })); // the form's htmx trigger
    };
    const add = () => {
      const input = filter.querySelector("[data-tag-input]");
      const mode = filter.querySelector("[data-tag-mode]").value;
      const path = input.value.trim().replace(/,/g, " ");
      if (!path) return;
      input.value = "";
      if (!values(mode).includes(path)) set(mode, [...values(mode), path]);
    };
    filter.querySelector("[data-tag-filter-add]").addEventListener("click", add);
    filter.querySelector("[data-tag-input]").addEventListener("keydown", (event) => {
      if (event.key === "Enter") { event.preventDefault(); add(); }
    });
    // Typing in the tag box or picking a mode is not a search yet: only a chip is.
    for (const input of filter.querySelectorAll("[data-tag-input], [data-tag-mode]")) {
      input.addEventListener("change", (event) => event.stopPropagation());
    }
    render();
  }
})();
