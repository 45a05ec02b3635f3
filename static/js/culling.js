// The Culling page: one series at a time, two to four of its photos side by side with one zoom and
// pan for all of them, keep / reject per photo (keyboard or buttons), the suggested best starred.
// Series come from the culling API, decisions go to it; its URLs and words come from the section's
// data-* attributes (templates/assets/culling.html).
(() => {
  const root = document.querySelector("[data-culling]");
  if (!root) return;
  const text = root.dataset;
  const compare = root.querySelector("[data-cull-compare]");
  const strip = root.querySelector("[data-cull-strip]");
  const heading = root.querySelector("[data-cull-heading]");
  const status = root.querySelector("[data-cull-status]");
  const paneTemplate = root.querySelector("template[data-cull-pane]");
  const MAX_PANES = 4;
  const state = { series: [], index: 0, next: text.seriesUrl, start: 0, focus: 0, loading: false,
                  zoom: { scale: 1, x: 0, y: 0 } };
  const fill = (template, values) => template.replace(/%\((\w+)\)s/g, (_, key) => values[key]);
  const say = (message, error = false) => { status.textContent = message; status.classList.toggle("error", error); };
  const current = () => state.series[state.index];

  async function loadMore() {
    if (!state.next || state.loading) return;
    state.loading = true;
    try {
      const page = await mediahub.api("GET", state.next);
      state.series.push(...page.results);
      state.next = page.next;
    } finally {
      state.loading = false;
    }
  }

  // --- one zoom and pan for every pane -------------------------------------------------------
  const applyZoom = () => {
    const { scale, x, y } = state.zoom;
    for (const view of compare.querySelectorAll(".cull-view")) {
      const img = view.querySelector("img");
      img.style.transform = `translate(${x * view.clientWidth}px, ${y * view.clientHeight}px) scale(${scale})`;
    }
  };
  const clampPan = () => {
    const limit = (state.zoom.scale - 1) / 2; // how far a side may move, in pane widths
    state.zoom.x = Math.max(-limit, Math.min(limit, state.zoom.x));
    state.zoom.y = Math.max(-limit, Math.min(limit, state.zoom.y));
  };
  const zoomBy = (factor) => {
    const scale = Math.max(1, Math.min(8, state.zoom.scale * factor));
    state.zoom.x *= scale / state.zoom.scale;
    state.zoom.y *= scale / state.zoom.scale;
    state.zoom.scale = scale;
    clampPan();
    applyZoom();
  };
  const resetZoom = () => { state.zoom = { scale: 1, x: 0, y: 0 }; applyZoom(); };

  let drag = null;
  compare.addEventListener("pointerdown", (event) => {
    const view = event.target.closest(".cull-view");
    if (!view) return;
    drag = { view, x: event.clientX, y: event.clientY, moved: false };
    view.setPointerCapture(event.pointerId);
  });
  compare.addEventListener("pointermove", (event) => {
    if (!drag) return;
    const dx = event.clientX - drag.x, dy = event.clientY - drag.y;
    if (Math.abs(dx) + Math.abs(dy) > 2) drag.moved = true;
    state.zoom.x += dx / drag.view.clientWidth;
    state.zoom.y += dy / drag.view.clientHeight;
    drag.x = event.clientX;
    drag.y = event.clientY;
    clampPan();
    applyZoom();
  });
  const endDrag = (event) => {
    if (!drag) return;
    const view = drag.view, moved = drag.moved;
    drag = null;
    if (!moved) setFocus(Number(view.closest(".cull-pane").dataset.position));
  };
  compare.addEventListener("pointerup", endDrag);
  compare.addEventListener("pointercancel", () => { drag = null; });
  compare.addEventListener("wheel", (event) => {
    if (!event.target.closest(".cull-view")) return;
    event.preventDefault();
    zoomBy(event.deltaY < 0 ? 1.25 : 0.8);
  }, { passive: false });
  window.addEventListener("resize", applyZoom);

  // --- drawing one series ----------------------------------------------------------------------
  const paneCount = (series) => Math.min(MAX_PANES, series.members.length);
  const mark = (member, series) => {
    const marks = [];
    if (member.id === series.best) marks.push(["best-mark", `★ ${text.textBest}`]);
    if (member.rejected) marks.push(["state-mark", text.textRejected]);
    else if (member.kept) marks.push(["state-mark", text.textKept]);
    return marks;
  };

  function drawPanes(series) {
    const count = paneCount(series);
    compare.dataset.panes = count;
    compare.replaceChildren();
    for (let i = 0; i < count; i++) {
      const position = state.start + i;
      const member = series.members[position];
      const pane = paneTemplate.content.firstElementChild.cloneNode(true);
      pane.dataset.position = position;
      pane.dataset.asset = member.id;
      pane.classList.toggle("focused", position === state.focus);
      pane.classList.toggle("rejected", member.rejected);
      pane.classList.toggle("best", member.id === series.best);
      const img = pane.querySelector("img");
      img.src = member.preview;
      img.alt = member.filename;
      pane.querySelector(".cull-name").textContent = `${i + 1}. ${member.filename}`;
      const score = pane.querySelector(".cull-score");
      score.textContent = `· ${member.quality === null ? text.textUnscored : fill(text.textScore, { score: member.quality })}`;
      for (const [cls, label] of mark(member, series)) {
        const span = document.createElement("span");
        span.className = cls;
        span.textContent = ` · ${label}`;
        score.after(span);
      }
      pane.querySelector('[data-decide="keep"]').setAttribute("aria-pressed", String(Boolean(member.kept)));
      pane.querySelector('[data-decide="reject"]').setAttribute("aria-pressed", String(Boolean(member.rejected)));
      compare.append(pane);
    }
    applyZoom();
  }

  function drawStrip(series) {
    strip.replaceChildren();
    series.members.forEach((member, position) => {
      const button = document.createElement("button");
      button.type = "button";
      button.dataset.position = position;
      button.setAttribute("aria-label", [member.filename, ...mark(member, series).map((m) => m[1])].join(", "));
      button.classList.toggle("compared", position >= state.start && position < state.start + paneCount(series));
      button.classList.toggle("rejected", member.rejected);
      const img = document.createElement("img");
      img.src = member.thumbnail;
      img.alt = "";
      img.loading = "lazy";
      button.append(img);
      if (member.id === series.best) {
        const star = document.createElement("span");
        star.className = "strip-mark";
        star.textContent = "★";
        button.append(star);
      }
      strip.append(button);
    });
  }

  function draw() {
    const series = current();
    if (!series) {
      compare.replaceChildren();
      strip.replaceChildren();
      heading.textContent = state.series.length ? text.textEnd : text.textEmpty;
      return;
    }
    const kind = text[`textKind${series.kind[0].toUpperCase()}${series.kind.slice(1)}`] || series.kind;
    heading.textContent = `${fill(text.textPosition, { n: state.index + 1 })} · ${kind} · ${series.members.length}`;
    drawPanes(series);
    drawStrip(series);
  }

  async function show(index) {
    if (index < 0) return;
    if (index >= state.series.length) {
      say(text.textLoading);
      await loadMore();
      say("");
    }
    state.index = Math.min(index, state.series.length);
    const series = current();
    if (series) {
      const best = Math.max(0, series.members.findIndex((m) => m.id === series.best));
      state.start = Math.max(0, Math.min(best, series.members.length - paneCount(series)));
      state.focus = best;
    }
    resetZoom();
    draw();
    if (state.series.length - state.index < 3) loadMore().catch(() => {}); // the next ones, ahead
  }

  function setFocus(position) {
    const series = current();
    if (!series || position < 0 || position >= series.members.length) return;
    const count = paneCount(series);
    if (position < state.start) state.start = position;
    if (position >= state.start + count) state.start = position - count + 1;
    state.focus = position;
    draw();
  }

  // --- decisions ----------------------------------------------------------------------------------
  async function decide(keep, reject) {
    const series = current();
    if (!series) return;
    try {
      await mediahub.api("POST", text.decisionsUrl, { keep, reject });
    } catch (error) {
      say(error.message, true);
      return;
    }
    for (const member of series.members) {
      if (keep.includes(member.id)) { member.rejected = false; member.kept = true; }
      if (reject.includes(member.id)) { member.rejected = true; member.kept = false; }
    }
    say(text.textSaved);
    draw();
  }
  const focused = () => current()?.members[state.focus];
  const decideFocused = (action) => {
    const member = focused();
    if (member) decide(action === "keep" ? [member.id] : [], action === "reject" ? [member.id] : []);
  };
  const keepBest = () => {
    const series = current();
    if (!series || !series.best) return;
    decide([series.best], series.members.filter((m) => m.id !== series.best).map((m) => m.id));
  };

  compare.addEventListener("click", (event) => {
    const button = event.target.closest("[data-decide]");
    if (!button) return;
    setFocus(Number(button.closest(".cull-pane").dataset.position));
    decideFocused(button.dataset.decide);
  });
  strip.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-position]");
    if (button) setFocus(Number(button.dataset.position));
  });
  const commands = {
    previous: () => show(state.index - 1),
    next: () => show(state.index + 1),
    "keep-best": keepBest,
    "zoom-in": () => zoomBy(1.5),
    "zoom-out": () => zoomBy(1 / 1.5),
    "zoom-reset": resetZoom,
  };
  root.querySelector(".cull-bar").addEventListener("click", (event) => {
    const button = event.target.closest("[data-cull]");
    if (button) commands[button.dataset.cull]();
  });

  const keys = {
    p: () => decideFocused("keep"), x: () => decideFocused("reject"), a: keepBest,
    n: commands.next, " ": commands.next, b: commands.previous,
    "+": commands["zoom-in"], "=": commands["zoom-in"], "-": commands["zoom-out"], 0: resetZoom,
    ArrowLeft: () => setFocus(state.focus - 1), ArrowRight: () => setFocus(state.focus + 1),
  };
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target.closest("input, textarea, select, [contenteditable]")) return;
    if (event.key === " " && event.target.closest("button, summary")) return; // Space presses a button
    const digit = Number(event.key);
    const handler = keys[event.key.length === 1 ? event.key.toLowerCase() : event.key]
      || (digit >= 1 && digit <= MAX_PANES ? () => setFocus(state.start + digit - 1) : null);
    if (!handler) return;
    event.preventDefault();
    handler();
  });

  show(0).catch((error) => say(error.message, true));
})();
