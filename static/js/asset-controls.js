// The detail view's controls bar: the caller's favourite / rating / reject (their own flags),
// rotate and refresh (the owner), delete to the trash, or restore / delete for good when the photo
// is in the trash. Every URL comes from the bar's data-* attributes (templates/assets/_controls.html).
(() => {
  const bar = document.querySelector("[data-controls]");
  if (!bar) return;
  const status = bar.querySelector("[data-status]");
  const say = (text, error = false) => { status.textContent = text; status.classList.toggle("error", error); };
  const pressed = (button) => button.getAttribute("aria-pressed") === "true";
  const press = (button, on) => button.setAttribute("aria-pressed", on ? "true" : "false");
  const d = bar.dataset;

  const showState = (state) => {
    press(bar.querySelector('[data-control="favorite"]'), state.favorite);
    press(bar.querySelector('[data-control="reject"]'), state.rejected);
    for (const star of bar.querySelectorAll('[data-control="rate"]')) press(star, Number(star.dataset.rating) <= state.rating);
  };
  const setState = async (changes) => showState(await mediahub.api("PATCH", d.stateUrl, changes));

  const actions = {
    favorite: (button) => setState({ favorite: !pressed(button) }),
    reject: async (button) => {
      await setState({ rejected: !pressed(button) });
      say(pressed(button) ? gettext("Rejected: hidden from the timeline") : gettext("No longer rejected"));
    },
    // Clicking the current top star again clears the rating.
    rate: (button) => {
      const stars = Number(button.dataset.rating);
      const current = bar.querySelectorAll('[data-control="rate"][aria-pressed="true"]').length;
      return setState({ rating: stars === current ? 0 : stars });
    },
    rotate: async (button) => {
      const degrees = (((Number(d.rotation) + Number(button.dataset.degrees)) % 360) + 360) % 360;
      const asset = await mediahub.api("POST", d.rotateUrl, { degrees });
      d.rotation = asset.user_rotation;
      say(gettext("Rotated: the preview is being made again"));
    },
    refresh: async () => {
      const queued = await mediahub.api("POST", d.reprocessUrl, {});
      say(interpolate(gettext("Queued: %(stages)s"), { stages: queued.stages.join(", ") }, true));
    },
    delete: async () => {
      await mediahub.api("DELETE", d.deleteUrl);
      say(gettext("Moved to the trash"));
      location.replace(d.nextUrl || d.gridUrl);
    },
    restore: async () => {
      await mediahub.api("POST", d.restoreUrl, { ids: [d.asset] });
      location.reload();
    },
    "delete-for-good": async () => {
      if (!confirm(gettext("Delete this for good? It cannot be restored."))) return;
      await mediahub.api("DELETE", `${d.deleteUrl}?permanent=true`);
      location.replace(d.trashUrl);
    },
  };

  bar.addEventListener("click", async (event) => {
    const button = event.target.closest("[data-control]");
    if (!button) return;
    button.disabled = true;
    try {
      await actions[button.dataset.control](button);
      if (!["reject", "rotate", "refresh"].includes(button.dataset.control)) say("");
    } catch (error) {
      say(interpolate(gettext("Failed: %(error)s"), { error: error.message }, true), true);
    } finally {
      button.disabled = false;
    }
  });
})();
