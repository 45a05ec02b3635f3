// Upload on the Photos page: the Upload button and files dropped anywhere on the page go through
// Uppy's Dashboard (per-file and total progress) to the tus endpoint, resumable across dropped
// connections. Each finished upload is asked (its own tus URL, as JSON) whether it made a new photo
// or was already in the library; when a batch ends the first page of the grid is fetched again so
// the new photos appear without a reload. URLs come from the template's data-* attributes.
(() => {
  const root = document.querySelector("[data-uploader]");
  if (!root || !window.Uppy) return;
  const { Uppy, Dashboard, DropTarget, Tus } = window.Uppy;
  const status = root.querySelector("[data-upload-status]");
  let created = 0;
  let duplicates = 0;
  let failed = 0;

  // Uppy's own words (the Dashboard's) in the page's language, where @uppy/locales has it.
  const locale = window.Uppy.locales?.[{ de: "de_DE" }[document.documentElement.lang]];
  const uppy = new Uppy({ autoProceed: true, ...(locale ? { locale } : {}) })
    .use(Dashboard, {
      closeAfterFinish: false,
      showProgressDetails: true,
      proudlyDisplayPoweredByUppy: false,
      note: gettext("Photos, videos and audio files"),
    })
    .use(DropTarget, { target: document.body })
    .use(Tus, {
      endpoint: root.dataset.tusUrl,
      headers: () => window.mediahub.csrfHeaders(),
      // Each PATCH costs the server a request (about 10 ms on the 2-core test machine: middleware,
      // token or session, the upload's row): 8 MiB chunks spent 1.3 s of them a GiB, 64 MiB spend
      // 0.16 s, and stay under the 100 MB body limit of common proxies. A connection dropped
      // mid-chunk loses nothing: the server keeps what arrived and HEAD resumes from there.
      chunkSize: 64 * 1024 * 1024,
      retryDelays: [0, 1000, 3000, 5000, 10000],
      removeFingerprintOnSuccess: true,
    });

  const dashboard = uppy.getPlugin("Dashboard");
  root.querySelector("[data-upload-open]").addEventListener("click", () => dashboard.openModal());
  // Dropped files start at once: open the Dashboard so their progress shows.
  uppy.on("file-added", () => dashboard.openModal());

  const asking = [];
  uppy.on("upload-success", (file, response) => {
    asking.push(outcome(file, response.uploadURL));
  });

  async function outcome(file, uploadURL) {
    const answer = await fetch(uploadURL, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then((r) => r.json())
      .catch(() => ({}));
    if (answer.status === "duplicate") {
      duplicates += 1;
      uppy.info(interpolate(gettext("%(name)s is already in your library"), { name: file.name }, true), "info", 5000);
    } else {
      created += 1;
    }
  }

  uppy.on("upload-error", () => { failed += 1; });

  uppy.on("complete", async () => {
    await Promise.all(asking.splice(0));
    const parts = [interpolate(gettext("%(count)s uploaded"), { count: created }, true)];
    if (duplicates) parts.push(interpolate(gettext("%(count)s already in your library"), { count: duplicates }, true));
    if (failed) parts.push(interpolate(gettext("%(count)s failed"), { count: failed }, true));
    status.textContent = parts.join(", ");
    status.dataset.done = String(created + duplicates + failed);
    refreshGrid();
  });

  function refreshGrid() {
    const grid = document.getElementById("photo-grid");
    if (!grid) {
      window.location.reload(); // the first photos: the page had no timeline to refresh
      return;
    }
    window.htmx.ajax("GET", root.dataset.gridUrl, { target: grid, swap: "innerHTML" });
  }
})();
