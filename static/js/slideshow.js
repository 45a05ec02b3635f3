// Slideshow over any grid of tiles (Photos, Search, a person, an album, a folder, a map cluster)
// and the "On this day" stories: full screen, interval, shuffle, cross-fade, videos played to
// their end, keyboard and swipe; Esc closes and leaves the page scrolled where it was.
// It reads the grid's own markup, `.tile[data-asset]` with a `kind-*` class, so every grid gets
// it; preview and video URLs come from the routes base.html writes on <body>
// (data-slideshow-preview / -video, reversed with a zero id).
(() => {
  const ZERO = "00000000-0000-0000-0000-000000000000";
  const INTERVALS = [3, 5, 10, 20];
  const store = {
    get interval() { return Number(localStorage.getItem("mediahub-slideshow-interval")) || 5; },
    set interval(value) { localStorage.setItem("mediahub-slideshow-interval", String(value)); },
    get shuffle() { return localStorage.getItem("mediahub-slideshow-shuffle") === "on"; },
    set shuffle(on) { localStorage.setItem("mediahub-slideshow-shuffle", on ? "on" : "off"); },
  };
  const url = (kind, id) => document.body.dataset[`slideshow${kind}`].replace(ZERO, id);

  function itemsOf(container) {
    return [...container.querySelectorAll(".tile[data-asset]")]
      .map((tile) => ({
        id: tile.dataset.asset,
        kind: ["photo", "video"].find((kind) => tile.classList.contains(`kind-${kind}`)),
        title: tile.getAttribute("title") || tile.querySelector("[title]")?.getAttribute("title") || "",
      }))
      .filter((item) => item.kind);
  }

  function shuffled(count, first) {
    const rest = [...Array(count).keys()].filter((i) => i !== first);
    for (let i = rest.length - 1; i > 0; i -= 1) {
      const j = Math.floor(Math.random() * (i + 1));
      [rest[i], rest[j]] = [rest[j], rest[i]];
    }
    return [first, ...rest];
  }

  function build(story) {
    const overlay = document.createElement("div");
    overlay.className = `slideshow${story ? " story" : ""}`;
    overlay.setAttribute("role", "dialog");
    overlay.setAttribute("aria-modal", "true");
    overlay.setAttribute("aria-label", story ? story.title : gettext("Slideshow"));
    overlay.tabIndex = -1;
    const options = INTERVALS.map((s) => `<option value="${s}">${s} s</option>`).join("");
    overlay.innerHTML = `
      <div class="slideshow-progress" aria-hidden="true"></div>
      <div class="slideshow-stage"><img class="slide" alt=""><img class="slide" alt="">
        <video class="slide" playsinline preload="auto"></video></div>
      <div class="slideshow-bar">
        <span class="slideshow-title"></span>
        <span class="slideshow-count" data-slideshow-count role="status"></span>
        <button type="button" data-slideshow-prev aria-label="${gettext("Previous (←)")}">&lsaquo;</button>
        <button type="button" data-slideshow-play aria-label="${gettext("Pause (space)")}">&#10074;&#10074;</button>
        <button type="button" data-slideshow-next aria-label="${gettext("Next (→)")}">&rsaquo;</button>
        <label class="slideshow-interval">${gettext("Every")} <select data-slideshow-interval aria-label="${gettext("Seconds per photo")}">${options}</select></label>
        <button type="button" data-slideshow-shuffle aria-pressed="false">${gettext("Shuffle")}</button>
        <button type="button" data-slideshow-close aria-label="${gettext("Close (Esc)")}">&times;</button>
      </div>`;
    if (story) overlay.querySelector(".slideshow-title").textContent = story.title;
    return overlay;
  }

  // items: [{id, kind, title}]; story: {title} plays once through and closes at the end.
  function open(items, { start = 0, story = null, opener = null } = {}) {
    if (!items.length || document.querySelector(".slideshow")) return;
    const scroll = { x: window.scrollX, y: window.scrollY };
    const overlay = build(story);
    const [imageA, imageB] = overlay.querySelectorAll("img.slide");
    const video = overlay.querySelector("video");
    const playButton = overlay.querySelector("[data-slideshow-play]");
    const count = overlay.querySelector("[data-slideshow-count]");
    const interval = overlay.querySelector("[data-slideshow-interval]");
    const shuffleButton = overlay.querySelector("[data-slideshow-shuffle]");
    const progress = overlay.querySelector(".slideshow-progress");
    let order = store.shuffle && !story ? shuffled(items.length, start) : [...items.keys()];
    let position = order.indexOf(start);
    let playing = true;
    let timer = null;
    let front = imageA;
    let wentFullscreen = false;

    interval.value = String(store.interval);
    shuffleButton.setAttribute("aria-pressed", String(store.shuffle && !story));
    shuffleButton.hidden = Boolean(story);
    progress.innerHTML = story ? items.map(() => "<span></span>").join("") : "";

    const schedule = () => {
      clearTimeout(timer);
      const item = items[order[position]];
      if (playing && item.kind === "photo") timer = setTimeout(next, store.interval * 1000);
    };
    const show = () => {
      const item = items[order[position]];
      overlay.dataset.current = item.id;
      overlay.dataset.kind = item.kind;
      count.textContent = `${position + 1} / ${items.length}`;
      [...progress.children].forEach((bar, i) => { bar.className = i < position ? "done" : i === position ? "now" : ""; });
      clearTimeout(timer);
      if (item.kind === "video") {
        [imageA, imageB].forEach((image) => image.classList.remove("shown"));
        video.src = url("Video", item.id);
        video.classList.add("shown");
        if (playing) video.play().catch(() => {});
        return;
      }
      video.pause();
      video.classList.remove("shown");
      const back = front === imageA ? imageB : imageA;
      back.alt = item.title;
      back.onload = () => {
        if (overlay.dataset.current !== item.id) return; // a later step won the race
        back.classList.add("shown"); // the CSS opacity transition is the cross-fade
        front.classList.remove("shown");
        front = back;
        schedule();
      };
      back.onerror = back.onload; // a preview still being made: move on after the interval anyway
      back.src = url("Preview", item.id);
    };
    const next = () => {
      if (position === order.length - 1 && story) { close(); return; }
      position = (position + 1) % order.length;
      show();
    };
    const previous = () => { position = (position - 1 + order.length) % order.length; show(); };
    const setPlaying = (on) => {
      playing = on;
      overlay.classList.toggle("paused", !on);
      playButton.innerHTML = on ? "&#10074;&#10074;" : "&#9654;";
      playButton.setAttribute("aria-label", on ? gettext("Pause (space)") : gettext("Play (space)"));
      if (items[order[position]].kind === "video") (on ? video.play().catch(() => {}) : video.pause());
      else schedule();
    };

    const onKey = (event) => {
      const keys = { ArrowRight: next, ArrowLeft: previous, " ": () => setPlaying(!playing), Escape: close };
      if (!(event.key in keys) || event.target.closest("select")) return;
      event.preventDefault();
      event.stopImmediatePropagation(); // the page's own shortcuts stay out of it
      keys[event.key]();
    };
    const onFullscreen = () => { if (wentFullscreen && !document.fullscreenElement) close(); };
    function close() {
      clearTimeout(timer);
      video.pause();
      document.removeEventListener("keydown", onKey, true);
      document.removeEventListener("fullscreenchange", onFullscreen);
      wentFullscreen = false;
      if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
      overlay.remove();
      document.documentElement.classList.remove("slideshow-open");
      window.scrollTo(scroll.x, scroll.y);
      opener?.focus({ preventScroll: true });
    }

    video.addEventListener("ended", next); // videos play to their end, whatever the interval
    video.addEventListener("error", () => { if (playing) timer = setTimeout(next, store.interval * 1000); });
    overlay.querySelector("[data-slideshow-next]").addEventListener("click", next);
    overlay.querySelector("[data-slideshow-prev]").addEventListener("click", previous);
    overlay.querySelector("[data-slideshow-close]").addEventListener("click", close);
    playButton.addEventListener("click", () => setPlaying(!playing));
    interval.addEventListener("change", () => { store.interval = Number(interval.value); schedule(); });
    shuffleButton.addEventListener("click", () => {
      store.shuffle = !store.shuffle;
      shuffleButton.setAttribute("aria-pressed", String(store.shuffle));
      const current = order[position];
      order = store.shuffle ? shuffled(items.length, current) : [...items.keys()];
      position = order.indexOf(current);
      count.textContent = `${position + 1} / ${items.length}`;
    });
    let touch = null;
    const stage = overlay.querySelector(".slideshow-stage");
    stage.addEventListener("touchstart", (e) => { touch = e.touches.length === 1 ? e.touches[0] : null; }, { passive: true });
    stage.addEventListener("touchend", (e) => {
      if (!touch) return;
      const dx = e.changedTouches[0].clientX - touch.clientX;
      const dy = e.changedTouches[0].clientY - touch.clientY;
      if (Math.abs(dx) > 50 && Math.abs(dx) > 2 * Math.abs(dy)) (dx < 0 ? next : previous)();
      else if (Math.abs(dx) < 10 && Math.abs(dy) < 10) setPlaying(!playing); // a tap pauses, as in stories
      touch = null;
    });

    document.addEventListener("keydown", onKey, true);
    document.addEventListener("fullscreenchange", onFullscreen);
    document.documentElement.classList.add("slideshow-open");
    document.body.append(overlay);
    overlay.focus({ preventScroll: true });
    overlay.requestFullscreen?.().then(() => { wentFullscreen = true; }).catch(() => {}); // refused: the overlay covers the window
    show();
  }

  // A "Slideshow" button for every grid of tiles: in the page heading when there is one.
  function offer(grid) {
    if (grid.dataset.slideshow || grid.matches("[data-shared-grid]") || !itemsOf(grid).length) return;
    grid.dataset.slideshow = "ready";
    const button = document.createElement("button");
    button.type = "button";
    button.className = "slideshow-start";
    button.textContent = gettext("Slideshow");
    button.addEventListener("click", () => {
      const items = itemsOf(grid);
      const focused = document.activeElement?.closest?.(".tile[data-asset]");
      const start = Math.max(0, items.findIndex((item) => item.id === focused?.dataset.asset));
      open(items, { start, opener: button });
    });
    const head = document.querySelector(".page-head");
    if (head) head.append(button);
    else grid.before(button);
  }

  // Stories: a memory card opens its photos; its × hides it (for this user) through the API.
  document.addEventListener("click", async (event) => {
    const card = event.target.closest("[data-memory]");
    if (!card) return;
    if (event.target.closest("[data-memory-open]")) {
      const opener = event.target.closest("[data-memory-open]");
      const title = `${card.querySelector(".memory-title").textContent} · ${card.dataset.year}`;
      open(itemsOf(card.querySelector("[data-slideshow-items]")), { story: { title }, opener });
    } else if (event.target.closest("[data-memory-hide]")) {
      const strip = card.closest("[data-memories]");
      try {
        await mediahub.api("POST", strip.dataset.hideUrl, { date: strip.dataset.date, year: Number(card.dataset.year) });
        card.remove();
        if (!strip.querySelector("[data-memory]")) strip.remove();
      } catch (error) {
        card.title = interpolate(gettext("Not hidden: %(error)s"), { error: error.message }, true);
      }
    }
  });

  const offerAll = () => document.querySelectorAll(".grid").forEach(offer);
  offerAll();
  document.addEventListener("htmx:afterSettle", offerAll); // a grid that arrives later (search results)
  window.mediahub.slideshow = { open, itemsOf };
})();
