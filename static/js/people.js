// People pages (templates/people/): inline rename, hide/show, merge by selecting, remove a face from
// a person, set the cover, assign unassigned faces, merge suggestions. Pages are rendered by the
// server; every change goes through the JSON API (api.js) at the URLs the templates put in data-*:
// a person's data-person-url, the bars' data-merge-url / data-assign-url, a button's data-url.
(() => {
  const { api } = mediahub;
  const say = (status, message, failed = false) => {
    if (!status) return;
    status.textContent = message;
    status.classList.toggle("error", failed);
  };
  const statusNear = (node) => node.closest("[data-person-page]")?.querySelector("[data-status]")
    || document.querySelector("[data-people-bar] [data-status]");

  // Inline rename: Enter or leaving the field saves, Escape puts the old name back.
  document.addEventListener("keydown", (event) => {
    const input = event.target.closest?.("[data-rename]");
    if (!input) return;
    if (event.key === "Enter") { event.preventDefault(); input.blur(); }
    if (event.key === "Escape") { input.value = input.defaultValue; input.blur(); }
  });
  document.addEventListener("change", async (event) => {
    const input = event.target.closest("[data-rename]");
    if (!input) return;
    const holder = input.closest("[data-person]");
    const name = input.value.trim();
    input.classList.remove("saved", "failed");
    try {
      await api("PATCH", holder.dataset.personUrl, { name });
      input.value = input.defaultValue = name;
      holder.dataset.name = name || `Person ${holder.dataset.person}`;
      input.classList.add("saved");
      input.title = gettext("Saved");
      if (holder.matches("[data-person-page]")) document.title = `${holder.dataset.name} · MediaHub`;
    } catch (error) {
      input.classList.add("failed");
      input.title = interpolate(gettext("Not saved: %(error)s"), { error: error.message }, true);
      say(statusNear(input), interpolate(gettext("Rename failed: %(error)s"), { error: error.message }, true), true);
    }
  });

  // Hide / show. Hidden people leave the People grid unless it shows hidden ones too.
  document.addEventListener("click", async (event) => {
    const button = event.target.closest("button[data-hidden]");
    if (!button) return;
    const holder = button.closest("[data-person]");
    const hidden = button.dataset.hidden === "true";
    try {
      await api("PATCH", holder.dataset.personUrl, { hidden });
    } catch (error) {
      say(statusNear(button), interpolate(gettext("Failed: %(error)s"), { error: error.message }, true), true);
      return;
    }
    const showingHidden = new URLSearchParams(location.search).get("hidden") === "1";
    if (hidden && holder.matches(".person-card") && !showingHidden) { holder.remove(); return; }
    holder.classList.toggle("is-hidden", hidden);
    holder.dataset.hidden = String(hidden);
    button.dataset.hidden = String(!hidden);
    button.textContent = hidden ? gettext("Show") : gettext("Hide");
    if (holder.matches("[data-person-page]")) say(statusNear(button), hidden ? gettext("Hidden from People") : gettext("Shown in People"));
  });

  peopleGrid(document.querySelector("[data-people-grid]"), document.querySelector("[data-people-bar]"));
  personPage(document.querySelector("[data-person-page]"));
  facePicker(document.querySelector("[data-face-picker]"), document.querySelector("[data-assign-bar]"));
  suggestions(document.querySelector("[data-suggestions]"));

  // People grid: tick two or more, pick the one to keep, merge the others into it.
  function peopleGrid(grid, bar) {
    if (!grid || !bar) return;
    const picked = []; // in the order ticked: the first is the default to keep
    const into = bar.querySelector("[data-merge-into]");
    const status = bar.querySelector("[data-status]");
    const render = () => {
      const keep = picked.includes(into.value) ? into.value : picked[0];
      into.replaceChildren(...picked.map((id) => new Option(grid.querySelector(`[data-person="${id}"]`).dataset.name, id)));
      if (keep) into.value = keep;
      bar.hidden = picked.length === 0;
      bar.querySelector("[data-count]").textContent = interpolate(gettext("%(count)s selected"), { count: picked.length }, true);
      bar.querySelector('[data-action="merge"]').disabled = picked.length < 2;
      for (const card of grid.querySelectorAll(".person-card")) card.classList.toggle("selected", picked.includes(card.dataset.person));
      grid.classList.toggle("selecting", picked.length > 0);
    };
    grid.addEventListener("change", (event) => {
      const box = event.target.closest("[data-pick]");
      if (!box) return;
      const id = box.closest("[data-person]").dataset.person;
      const at = picked.indexOf(id);
      if (box.checked && at < 0) picked.push(id);
      if (!box.checked && at >= 0) picked.splice(at, 1);
      render();
    });
    bar.addEventListener("click", async (event) => {
      const action = event.target.closest("[data-action]")?.dataset.action;
      if (action === "clear") {
        picked.length = 0;
        grid.querySelectorAll("[data-pick]").forEach((box) => { box.checked = false; });
        render();
      } else if (action === "merge" && picked.length >= 2) {
        const keep = Number(into.value);
        const people = picked.map(Number).filter((id) => id !== keep);
        say(status, gettext("Merging…"));
        try {
          await api("POST", bar.dataset.mergeUrl, { people, into: keep });
        } catch (error) {
          say(status, interpolate(gettext("Merge failed: %(error)s"), { error: error.message }, true), true);
          return;
        }
        location.reload(); // counts and covers of the merged person come from the server
      }
    });
  }

  // Person page: "Remove" takes a face out of this person (clustering will not put it back),
  // "Cover" makes it the person's picture.
  function personPage(page) {
    if (!page) return;
    const status = page.querySelector("[data-status]");
    page.addEventListener("click", async (event) => {
      const button = event.target.closest("[data-unassign], [data-cover]");
      if (!button) return;
      const tile = button.closest("[data-face]");
      const face = tile.dataset.face;
      button.disabled = true;
      try {
        if (button.matches("[data-unassign]")) {
          await api("POST", button.dataset.url, {});
          tile.remove();
          say(status, gettext("Face removed from this person"));
        } else {
          await api("PATCH", page.dataset.personUrl, { cover_face: Number(face) });
          const avatar = page.querySelector("[data-cover-img]");
          const source = new URL(tile.querySelector("img").src);
          source.searchParams.set("size", "240");
          if (avatar) avatar.src = source.href;
          say(status, gettext("Cover changed"));
        }
      } catch (error) {
        say(status, interpolate(gettext("Failed: %(error)s"), { error: error.message }, true), true);
      } finally {
        button.disabled = false;
      }
    });
  }

  // Unassigned faces: click (or Space) picks a face, Shift-click a range, a look-alike group's
  // button picks that group instead; the bar assigns them all to an existing person or to a new one
  // named on the spot. A face may show twice (in a group and in the grid): both follow its state.
  function facePicker(grid, bar) {
    if (!grid || !bar) return;
    const selected = new Set();
    let anchor = null;
    const tiles = () => [...grid.querySelectorAll("[data-face]")];
    const choice = bar.querySelector("[data-person]");
    const newName = bar.querySelector("[data-new-name]");
    const status = bar.querySelector("[data-status]");
    const render = () => {
      for (const tile of tiles()) {
        const on = selected.has(tile.dataset.face);
        tile.classList.toggle("selected", on);
        tile.querySelector("[role=checkbox]")?.setAttribute("aria-checked", String(on));
      }
      bar.hidden = selected.size === 0;
      bar.querySelector("[data-count]").textContent = interpolate(gettext("%(count)s selected"), { count: selected.size }, true);
      newName.hidden = choice.value !== "";
    };
    const pick = (tile, shift) => {
      if (shift && anchor) {
        const list = tiles();
        const [from, to] = [list.indexOf(anchor), list.indexOf(tile)].sort((a, b) => a - b);
        list.slice(from, to + 1).forEach((t) => selected.add(t.dataset.face));
      } else if (selected.has(tile.dataset.face)) selected.delete(tile.dataset.face);
      else selected.add(tile.dataset.face);
      anchor = tile;
      render();
    };
    grid.addEventListener("click", (event) => {
      const group = event.target.closest("[data-select-group]")?.closest("[data-face-group]");
      if (group) {
        selected.clear();
        group.querySelectorAll("[data-face]").forEach((t) => selected.add(t.dataset.face));
        anchor = null;
        render();
        (choice.value ? choice : newName).focus();
        return;
      }
      const tile = event.target.closest("[data-face]");
      if (!tile || event.target.closest("a")) return; // the "Photo" link opens the photo
      pick(tile, event.shiftKey);
    });
    grid.addEventListener("keydown", (event) => {
      const tile = event.target.closest?.("[data-face]");
      if (tile && (event.key === " " || event.key === "Enter")) { event.preventDefault(); pick(tile, event.shiftKey); }
    });
    choice.addEventListener("change", render);
    bar.addEventListener("click", async (event) => {
      const action = event.target.closest("[data-action]")?.dataset.action;
      if (action === "clear") { selected.clear(); render(); return; }
      if (action !== "assign") return;
      const body = { faces: [...selected].map(Number) };
      const name = newName.value.trim();
      if (choice.value) body.person = Number(choice.value);
      else if (name) body.name = name;
      else { say(status, gettext("Type the new person's name, or pick a person"), true); newName.focus(); return; }
      say(status, gettext("Assigning…"));
      let reply;
      try {
        reply = await api("POST", bar.dataset.assignUrl, body);
      } catch (error) {
        say(status, interpolate(gettext("Assign failed: %(error)s"), { error: error.message }, true), true);
        return;
      }
      const count = selected.size;
      for (const tile of tiles()) if (selected.has(tile.dataset.face)) tile.remove();
      grid.querySelectorAll("[data-face-group]").forEach((g) => { if (!g.querySelector("[data-face]")) g.remove(); });
      selected.clear();
      const personId = body.person || reply.person?.id || reply.person || reply.id;
      const label = body.person ? choice.selectedOptions[0].textContent : name;
      if (!body.person && personId && typeof personId !== "object") {
        choice.append(new Option(name, personId)); // assign more faces to the person just made
        newName.value = "";
      }
      render();
      bar.hidden = false; // keep the confirmation in view
      status.classList.remove("error");
      status.replaceChildren(`Assigned ${count} face${count === 1 ? "" : "s"} to `);
      if (personId && typeof personId !== "object") {
        const link = document.createElement("a");
        link.href = mediahub.withId(bar.dataset.personPageUrl, personId);
        link.textContent = label;
        status.append(link);
      } else status.append(label);
    });
    render();
    bar.hidden = true;
  }

  // Merge suggestions: "Merge" folds one person into the other; every pair showing the merged
  // person goes, since that person no longer exists. "Not the same" is an htmx post (see template).
  function suggestions(list) {
    if (!list) return;
    list.addEventListener("click", async (event) => {
      const button = event.target.closest("[data-merge]");
      if (!button) return;
      const card = button.closest(".suggestion");
      const { mergeFrom, mergeInto } = card.dataset;
      button.disabled = true;
      try {
        await api("POST", button.dataset.url, { into: Number(mergeInto) });
      } catch (error) {
        say(card.querySelector("[data-status]"), interpolate(gettext("Merge failed: %(error)s"), { error: error.message }, true), true);
        button.disabled = false;
        return;
      }
      for (const other of list.querySelectorAll(".suggestion")) {
        if (other.querySelector(`[data-person="${mergeFrom}"]`)) other.remove();
      }
      if (!list.querySelector(".suggestion")) list.innerHTML = `<p class="empty">${gettext("No more suggestions.")}</p>`;
    });
  }
})();
