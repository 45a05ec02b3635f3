// Zoom on the detail view: PhotoSwipe over the page, with wheel, pinch, double-tap, drag-to-pan and
// full screen. The slide's srcset lists the preview and (where the browser can draw it) the original
// at their real widths; PhotoSwipe raises `sizes` as the photo is zoomed, so the browser fetches the
// original only once the preview's pixels run out, and keeps the preview on screen until it arrives.
// Performance marks (mediahub:zoom-*) time the first zoomed pixels of the original (bench_viewer).
const script = document.querySelector("script[data-photoswipe]"); // modules have no currentScript
const image = document.querySelector("[data-gallery=detail] img[data-zoom]");
const opener = document.querySelector("[data-zoom-open]");

if (image) {
  const data = image.dataset;
  let PhotoSwipe = null;
  let pswp = null;

  const slide = () => {
    const preview = { w: Number(data.previewWidth) || image.naturalWidth, h: Number(data.previewHeight) || image.naturalHeight };
    if (!data.originalSrc) return { src: image.currentSrc || image.src, width: preview.w, height: preview.h, alt: image.alt };
    const width = Number(data.originalWidth);
    return {
      src: image.currentSrc || image.src, // what a browser without srcset shows
      srcset: `${image.currentSrc || image.src} ${preview.w}w, ${data.originalSrc} ${width}w`,
      msrc: image.currentSrc || image.src, // the preview already on screen: shown at once
      width,
      height: Number(data.originalHeight),
      alt: image.alt,
    };
  };

  const fullscreen = {
    name: "fullscreen",
    ariaLabel: gettext("Full screen (F)"),
    title: gettext("Full screen (F)"),
    order: 9,
    isButton: true,
    html: '<span aria-hidden="true" style="font-size:22px;line-height:60px;color:#fff">&#x26F6;</span>',
    onClick: () => toggleFullscreen(),
  };
  const toggleFullscreen = () => {
    if (document.fullscreenElement) document.exitFullscreen();
    else document.querySelector(".pswp")?.requestFullscreen?.().catch(() => {}); // refused: stay as is
  };

  const watchOriginal = (content) => {
    const img = content.element;
    if (!img || !data.originalSrc || img.dataset.watched) return;
    img.dataset.watched = "1";
    const check = () => {
      if (!img.currentSrc.includes(data.originalSrc.split("?")[0]) || !img.complete || !img.naturalWidth) return;
      img.removeEventListener("load", check);
      img.decode().catch(() => {}).then(() => requestAnimationFrame(() => {
        performance.mark("mediahub:zoom-original-shown");
        image.dispatchEvent(new CustomEvent("mediahub:original-shown", { bubbles: true }));
        document.documentElement.dataset.zoomOriginal = "shown";
      }));
    };
    img.addEventListener("load", check);
    check(); // already there (from the cache, or before PhotoSwipe said it appended it)
  };

  const open = async () => {
    if (pswp) return;
    performance.mark("mediahub:zoom-open");
    PhotoSwipe ||= (await import(script.dataset.photoswipe)).default;
    pswp = new PhotoSwipe({
      dataSource: [slide()],
      index: 0,
      wheelToZoom: true,
      loop: false,
      bgOpacity: 1,
      showHideAnimationType: "fade",
      closeTitle: gettext("Close (Esc)"),
      zoomTitle: gettext("Zoom in or out (Z)"),
      errorMsg: gettext("This photo could not be loaded."),
    });
    pswp.on("uiRegister", () => pswp.ui.registerElement(fullscreen));
    pswp.on("contentAppend", ({ content }) => watchOriginal(content));
    pswp.on("imageSizeChange", ({ width, content }) => {
      watchOriginal(content);
      if (width > (Number(data.previewWidth) || Infinity) && !performance.getEntriesByName("mediahub:zoom-past-preview").length) {
        performance.mark("mediahub:zoom-past-preview");
      }
    });
    pswp.on("keydown", ({ originalEvent: event }) => {
      // Z toggles the zoom (PhotoSwipe's own key); F is full screen here, as faces are not drawn.
      if (event.key === "f" || event.key === "F") { event.preventDefault(); toggleFullscreen(); }
    });
    pswp.on("destroy", () => {
      if (document.fullscreenElement) document.exitFullscreen();
      pswp = null;
      document.documentElement.dataset.zoomOpen = "";
      opener?.focus();
    });
    pswp.init();
    document.documentElement.dataset.zoomOpen = "open";
  };

  image.addEventListener("click", open);
  opener?.addEventListener("click", open);
  document.addEventListener("keydown", (event) => {
    if (pswp || event.altKey || event.ctrlKey || event.metaKey || event.target.closest("input, textarea, select")) return;
    if (event.key === "z" || event.key === "Z") { event.preventDefault(); open(); }
  });
  // Tests and the benchmark drive the same opening a click does.
  window.mediahubViewer = { open, get pswp() { return pswp; } };
}
