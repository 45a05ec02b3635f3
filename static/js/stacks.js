// Stacks and live photos. A tile's LIVE badge (templates/assets/_stack_badge.html) plays the motion
// over the thumbnail while the pointer is on the tile, or while a finger presses the badge (phones);
// the detail view's "Play live photo" does the same over the photo. The selection bar's Stack and
// Unstack (templates/assets/_stack_buttons.html) and the detail view's strip (Make cover, Unstack)
// call the stack API with the URLs their templates wrote, then reload to show the new tiles.
(() => {
  const play = (host, url) => {
    if (host.querySelector("video.motion")) return;
    const video = document.createElement("video");
    Object.assign(video, { src: url, muted: true, loop: true, autoplay: true, playsInline: true });
    video.className = "motion";
    video.setAttribute("aria-hidden", "true");
    host.append(video);
    video.play().catch(() => {}); // a clip not ready yet: the still stays
  };
  const stop = (host) => host.querySelector("video.motion")?.remove();

  const liveTile = (target) => {
    const tile = target.closest?.(".tile");
    const badge = tile?.querySelector(".badge.live[data-motion]");
    return badge ? [tile, badge.dataset.motion] : [null, null];
  };
  document.addEventListener("pointerover", (event) => {
    if (event.pointerType !== "mouse") return;
    const [tile, url] = liveTile(event.target);
    if (tile) play(tile, url);
  });
  document.addEventListener("pointerout", (event) => {
    const [tile] = liveTile(event.target);
    if (tile && !tile.contains(event.relatedTarget)) stop(tile);
  });
  document.addEventListener("pointerdown", (event) => {
    if (event.pointerType === "mouse") return;
    const badge = event.target.closest(".badge.live[data-motion]");
    if (!badge) return;
    const tile = badge.closest(".tile");
    play(tile, badge.dataset.motion);
    const end = () => { stop(tile); document.removeEventListener("pointerup", end); document.removeEventListener("pointercancel", end); };
    document.addEventListener("pointerup", end);
    document.addEventListener("pointercancel", end);
  });
  // Pressing the badge plays; it does not open the photo.
  document.addEventListener("click", (event) => {
    if (event.target.closest(".tile .badge.live")) event.preventDefault();
  });

  const livePlay = document.querySelector("[data-live-play]");
  if (livePlay) {
    const host = document.querySelector(".viewer-media");
    livePlay.addEventListener("click", () => {
      const on = !host.querySelector("video.motion");
      if (on) play(host, livePlay.dataset.motion); else stop(host);
      livePlay.setAttribute("aria-pressed", String(on));
    });
  }

  const report = (status, error) => {
    if (status) { status.textContent = interpolate(gettext("Failed: %(error)s"), { error: error.message }, true); status.classList.add("error"); }
  };
  const bar = document.querySelector("[data-selection-bar]");
  document.addEventListener("stack-selected", async (event) => {
    const button = bar.querySelector("[data-stack-url]");
    try {
      await mediahub.api("POST", button.dataset.stackUrl, { assets: event.detail.ids });
      location.reload();
    } catch (error) { report(bar.querySelector("[data-status]"), error); }
  });
  document.addEventListener("unstack-selected", async (event) => {
    const button = bar.querySelector("[data-unstack-url]");
    try {
      await mediahub.api("POST", button.dataset.unstackUrl, { assets: event.detail.ids });
      location.reload();
    } catch (error) { report(bar.querySelector("[data-status]"), error); }
  });

  const strip = document.querySelector("[data-stack]");
  strip?.addEventListener("click", async (event) => {
    const cover = event.target.closest("[data-make-cover]");
    const unstack = event.target.closest("[data-unstack]");
    if (!cover && !unstack) return;
    try {
      if (cover) await mediahub.api("POST", strip.dataset.coverUrl, { cover: cover.dataset.makeCover });
      else await mediahub.api("DELETE", strip.dataset.stackUrl);
      location.reload();
    } catch (error) { report(strip.querySelector("[data-stack-status]"), error); }
  });
})();
