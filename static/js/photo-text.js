// Text in the photo (templates/search/_photo_text.html): the toggle draws the lines the "ocr" stage
// read over the preview, as transparent text placed and sized on each box, so it can be selected and
// copied like the text of a page. The boxes are fetched on first use: most views never ask for them.
(() => {
  "use strict";
  const section = document.querySelector("[data-photo-text]");
  const image = document.querySelector(".viewer-media img.preview");
  if (!section || !image) return;
  const toggle = section.querySelector("[data-text-toggle]");
  const status = section.querySelector("[data-text-status]");
  const showLabel = toggle.textContent;
  const layer = document.createElement("div");
  layer.className = "text-boxes";
  layer.hidden = true;
  image.parentElement.append(layer);
  let lines = null;

  // Boxes are fractions of the image; object-fit: contain letterboxes the preview inside the <img>.
  function place() {
    if (layer.hidden || !lines || !image.naturalWidth) return;
    const frame = image.getBoundingClientRect();
    const host = image.parentElement.getBoundingClientRect();
    const scale = Math.min(frame.width / image.naturalWidth, frame.height / image.naturalHeight);
    const width = image.naturalWidth * scale;
    const height = image.naturalHeight * scale;
    const left = frame.left - host.left + (frame.width - width) / 2;
    const top = frame.top - host.top + (frame.height - height) / 2;
    layer.querySelectorAll(".text-box").forEach((box, n) => {
      const [a, b, , d] = lines[n].box.map(([x, y]) => [left + x * width, top + y * height]);
      const long = Math.hypot(b[0] - a[0], b[1] - a[1]);
      const tall = Math.hypot(d[0] - a[0], d[1] - a[1]);
      const angle = Math.atan2(b[1] - a[1], b[0] - a[0]);
      Object.assign(box.style, {
        left: `${a[0]}px`, top: `${a[1]}px`, height: `${tall}px`,
        fontSize: `${Math.max(tall * 0.8, 1)}px`, lineHeight: `${tall}px`, transform: "none",
      });
      // Stretch the text over its box so a selection covers the painted letters.
      const natural = box.scrollWidth || 1;
      box.style.transform = `rotate(${angle}rad) scaleX(${long / natural})`;
    });
  }

  function render() {
    layer.replaceChildren(...lines.map((line) => {
      const box = document.createElement("span");
      box.className = "text-box";
      box.textContent = line.text;
      return box;
    }));
  }

  async function setShown(shown) {
    if (shown && lines === null) {
      try {
        lines = (await mediahub.api("GET", section.dataset.textUrl)).lines || [];
      } catch (error) {
        status.textContent = toggle.dataset.error;
        return;
      }
      render();
      new ResizeObserver(place).observe(image);
      image.addEventListener("load", place);
    }
    status.textContent = "";
    layer.hidden = !shown;
    toggle.setAttribute("aria-pressed", String(shown));
    toggle.textContent = shown ? toggle.dataset.hideLabel : showLabel;
    place();
  }

  toggle.addEventListener("click", () => setShown(layer.hidden));
})();
