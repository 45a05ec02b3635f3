// Photos grid and detail view: keyboard, swipe, zoom, and tiles whose thumbnail is not made yet.
(() => {
  // Grids may be swapped in by htmx (Search results), so everything is delegated from the document.
  const gridOf = (node) => node?.closest?.('[data-gallery="grid"]');
  // A poster still being made answers 404: show the tile's placeholder instead of a broken image.
  const noThumb = (img) => img.closest(".tile")?.classList.add("no-thumb");
  document.addEventListener("error", (event) => {
    if (event.target.tagName === "IMG" && gridOf(event.target)) noThumb(event.target);
  }, true);
  // Images that failed before this script ran, or inside a grid htmx just swapped in.
  const markBroken = (root) => {
    for (const img of root.querySelectorAll('[data-gallery="grid"] .tile img')) {
      if (img.complete && img.naturalWidth === 0) noThumb(img);
    }
  };
  markBroken(document);
  document.addEventListener("htmx:afterSettle", (event) => markBroken(event.target.parentElement || document));

  // Arrow keys move between tiles (up/down by one row, whatever the column count or, in justified
  // rows, wherever the tiles of the next row start: the one under the tile's middle), Enter opens.
  document.addEventListener("keydown", (event) => {
    const grid = gridOf(event.target);
    const tile = event.target.closest?.(".tile");
    const moves = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: "up", ArrowDown: "down" };
    if (!grid || !tile || !(event.key in moves)) return;
    const tiles = [...grid.querySelectorAll(".tile")];
    const index = tiles.indexOf(tile);
    let target;
    if (typeof moves[event.key] === "number") target = tiles[index + moves[event.key]];
    else {
      const step = event.key === "ArrowDown" ? 1 : -1;
      const { left, right, top } = tile.getBoundingClientRect();
      const middle = (left + right) / 2;
      let rowTop = null;
      let nearest = Infinity;
      for (let i = index + step; i >= 0 && i < tiles.length; i += step) {
        const box = tiles[i].getBoundingClientRect();
        if (box.top === top) continue;
        if (rowTop === null) rowTop = box.top;
        if (box.top !== rowTop) break; // past the next row
        const distance = box.left <= middle && middle < box.right ? -1 : Math.min(Math.abs(box.left - middle), Math.abs(box.right - middle));
        if (distance < nearest) { nearest = distance; target = tiles[i]; }
      }
    }
    if (target) {
      event.preventDefault();
      target.focus();
      target.scrollIntoView({ block: "nearest" });
    }
  });

  const viewer = document.querySelector('[data-gallery="detail"]');
  if (!viewer) return;
  const link = (key) => viewer.querySelector(`a[data-key="${key}"]`);
  const { gridUrl, searchUrl, personUrl } = viewer.dataset;

  // Stepping through photos replaces the history entry, so Back (and Esc) returns to the grid
  // where the user was, scroll position included, rather than through every photo seen.
  const go = (anchor) => { if (anchor) location.replace(anchor.href); };
  // Grids that open photos: Photos, Search, a person's page. Back returns to the one the user
  // came from; from anywhere else (a login redirect, a stepped-to photo) go to Photos.
  const isGrid = (path) => path === gridUrl || path === searchUrl || mediahub.matchesWithId(personUrl, path);
  const backToGrid = () => {
    const cameFromGrid = document.referrer && isGrid(new URL(document.referrer).pathname)
      && new URL(document.referrer).origin === location.origin;
    if (cameFromGrid && history.length > 1) history.back();
    else location.href = gridUrl;
  };

  for (const key of ["ArrowLeft", "ArrowRight"]) {
    link(key)?.addEventListener("click", (event) => { event.preventDefault(); go(event.currentTarget); });
  }
  link("Escape")?.addEventListener("click", (event) => { event.preventDefault(); backToGrid(); });

  // While the zoom viewer (viewer.js) is open, its keys are its own: Esc closes it, arrows pan.
  const zoomOpen = () => document.documentElement.dataset.zoomOpen === "open";

  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey || event.target.closest("input, textarea, select")) return;
    if (zoomOpen()) return;
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

  // On the detail page a click zooms in PhotoSwipe (static/js/viewer.js, img[data-zoom]); album
  // viewers keep the simple toggle: the preview at its full size, click again to fit.
  viewer.querySelector("img.preview:not([data-zoom])")?.addEventListener("click", () => viewer.classList.toggle("zoomed"));

  showFaces(viewer);

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

  // Face boxes over the photo, with names linking to each person; F or the "Faces" button toggles
  // them (remembered). Boxes come in preview pixels: scale them to where the preview is drawn.
  // A face nobody named yet opens a "Who is this?" field that assigns it through the API.
  function showFaces(viewer) {
    const media = viewer.querySelector(".viewer-media[data-faces-url]");
    const image = media?.querySelector("img.preview");
    if (!image) return;
    const toggle = viewer.querySelector("[data-faces-toggle]");
    const peopleList = viewer.querySelector("[data-people-list]");
    const layer = document.createElement("div");
    layer.className = "face-boxes";
    media.append(layer);
    const tagger = faceTagger(layer, media.dataset, (face) => { render(); place(); });
    let faces = [];

    const label = (face) => face.person_name || (face.person ? `Person ${face.person}` : "");
    const makeBox = (face) => {
      const box = document.createElement(face.person ? "a" : "button");
      box.className = `face-box${face.person ? "" : " unknown"}`;
      box.dataset.face = face.id;
      if (face.person) {
        box.href = mediahub.withId(personUrl, face.person);
        const name = document.createElement("span");
        name.className = "face-name";
        name.textContent = label(face);
        box.append(name);
      } else {
        box.type = "button";
        box.title = gettext("Who is this?");
        box.setAttribute("aria-label", gettext("Who is this?"));
        box.addEventListener("click", () => tagger.open(face, box));
      }
      return box;
    };
    const render = () => {
      layer.querySelectorAll(".face-box").forEach((box) => box.remove());
      layer.prepend(...faces.map(makeBox));
      listPeople(peopleList, faces, label);
    };
    const place = () => {
      const frame = image.getBoundingClientRect();
      const host = media.getBoundingClientRect();
      for (const box of layer.querySelectorAll(".face-box")) {
        const face = faces.find((f) => String(f.id) === box.dataset.face);
        // object-fit: contain letterboxes the preview inside the <img> box.
        const scale = Math.min(frame.width / face.preview_width, frame.height / face.preview_height);
        const left = frame.left - host.left + (frame.width - face.preview_width * scale) / 2;
        const top = frame.top - host.top + (frame.height - face.preview_height * scale) / 2;
        Object.assign(box.style, {
          left: `${left + face.box.x * scale}px`,
          top: `${top + face.box.y * scale}px`,
          width: `${face.box.width * scale}px`,
          height: `${face.box.height * scale}px`,
        });
      }
      tagger.follow();
    };
    const setShown = (shown) => {
      layer.hidden = !shown;
      toggle.setAttribute("aria-pressed", String(shown));
      localStorage.setItem("mediahub-face-boxes", shown ? "on" : "off");
      if (shown) place();
    };

    mediahub.api("GET", media.dataset.facesUrl)
      .then((list) => {
        faces = Array.isArray(list) ? list : list.results || [];
        if (!faces.length) return;
        render();
        toggle.hidden = false;
        setShown(localStorage.getItem("mediahub-face-boxes") !== "off");
        new ResizeObserver(place).observe(image);
        image.addEventListener("load", place);
      })
      .catch(() => {}); // faces are an extra: the photo stays usable without them

    toggle?.addEventListener("click", () => setShown(layer.hidden));
    document.addEventListener("keydown", (event) => {
      if (event.key !== "f" || event.altKey || event.ctrlKey || event.metaKey || !faces.length || zoomOpen()) return;
      if (event.target.closest("input, textarea, select")) return;
      setShown(layer.hidden);
    });
  }

  // "Who is this?" under an unnamed face: names of existing people are offered as one types; a
  // name nobody has yet makes a new person. `done(face)` gets the face as the API now returns it.
  // `urls` holds the people list and face-assign routes (data-* of the photo, see api.js).
  function faceTagger(layer, urls, done) {
    const form = document.createElement("form");
    form.className = "face-tag";
    form.hidden = true;
    form.innerHTML = '<input name="who" list="face-tag-people" placeholder="' + gettext("Who is this?") + '" aria-label="' + gettext("Who is this?") + '"'
      + ' autocomplete="off" maxlength="200" required><datalist id="face-tag-people"></datalist>'
      + '<button type="submit">' + gettext("Save") + '</button><span class="face-tag-status" role="status"></span>';
    layer.append(form);
    const input = form.elements.who;
    const options = form.querySelector("datalist");
    const status = form.querySelector("[role=status]");
    const known = new Map(); // lower-case name -> person id
    let face = null;
    let anchor = null;
    let typing = null;

    const close = () => { form.hidden = true; face = anchor = null; };
    const suggest = async () => {
      const query = new URLSearchParams({ named: "true", name: input.value.trim() });
      let reply;
      try {
        reply = await mediahub.api("GET", `${urls.peopleUrl}?${query}`);
      } catch {
        return; // suggestions are a help: typing a name still works without them
      }
      const people = Array.isArray(reply) ? reply : reply.results || [];
      for (const person of people) known.set(person.name.toLowerCase(), person.id);
      options.replaceChildren(...people.map((person) => new Option(person.name, person.name)));
    };
    input.addEventListener("input", () => { clearTimeout(typing); typing = setTimeout(suggest, 150); });
    input.addEventListener("keydown", (event) => { if (event.key === "Escape") { event.stopPropagation(); close(); } });

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const name = input.value.trim();
      const person = known.get(name.toLowerCase());
      status.textContent = gettext("Saving…");
      let reply;
      try {
        reply = await mediahub.api("POST", mediahub.withId(urls.faceAssignUrl, face.id), person ? { person } : { name });
      } catch (error) {
        status.textContent = interpolate(gettext("Not saved: %(error)s"), { error: error.message }, true);
        return;
      }
      Object.assign(face, reply);
      close();
      done(face);
    });

    return {
      open(target, box) {
        face = target;
        anchor = box;
        input.value = "";
        status.textContent = "";
        form.hidden = false;
        this.follow();
        input.focus();
        suggest();
      },
      follow() { // under the face box (above it when there is no room), inside the photo's frame
        if (!anchor) return;
        const room = layer.clientHeight - (anchor.offsetTop + anchor.offsetHeight + 6);
        const top = room >= form.offsetHeight ? anchor.offsetTop + anchor.offsetHeight + 6
          : anchor.offsetTop - form.offsetHeight - 6;
        const left = Math.min(anchor.offsetLeft, layer.clientWidth - form.offsetWidth - 4);
        form.style.left = `${Math.max(4, left)}px`;
        form.style.top = `${Math.max(4, top)}px`;
      },
    };
  }

  function listPeople(holder, faces, label) {
    if (!holder) return;
    const seen = new Map();
    for (const face of faces) if (face.person && !seen.has(face.person)) seen.set(face.person, label(face));
    holder.querySelectorAll("a").forEach((link) => link.remove());
    for (const [id, name] of seen) {
      const link = document.createElement("a");
      link.href = mediahub.withId(personUrl, id);
      link.textContent = name;
      holder.append(link);
    }
    holder.hidden = !seen.size;
  }
})();
