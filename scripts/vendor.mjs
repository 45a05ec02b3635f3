// Copies the browser builds of our npm dependencies into static/vendor/ (git-ignored),
// where Django's staticfiles finds them. Runs after `npm ci`.
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const files = {
  "htmx.org/dist/htmx.min.js": "htmx.min.js",
  "sortablejs/Sortable.min.js": "Sortable.min.js",
  // Uppy's browser bundle: Core, Dashboard, DropTarget and Tus as window.Uppy (the Upload button).
  "uppy/dist/uppy.min.js": "uppy.min.js",
  "uppy/dist/uppy.min.css": "uppy.min.css",
  // Uppy's own words in German (window.Uppy.locales.de_DE), for pages in German; @uppy/locales is
  // locked as a dependency of `uppy`.
  "@uppy/locales/dist/de_DE.min.js": "uppy-locales/de_DE.min.js",
  // PhotoSwipe 5 for the detail view's zoom (static/js/viewer.js loads the ES module).
  "photoswipe/dist/photoswipe.esm.min.js": "photoswipe.esm.min.js",
  "photoswipe/dist/photoswipe.css": "photoswipe.css",
  // Leaflet's CSS finds its marker images in images/ beside it.
  "leaflet/dist/leaflet.js": "leaflet/leaflet.js",
  "leaflet/dist/leaflet.css": "leaflet/leaflet.css",
  "leaflet/dist/images/marker-icon.png": "leaflet/images/marker-icon.png",
  "leaflet/dist/images/marker-icon-2x.png": "leaflet/images/marker-icon-2x.png",
  "leaflet/dist/images/marker-shadow.png": "leaflet/images/marker-shadow.png",
  "leaflet/dist/images/layers.png": "leaflet/images/layers.png",
  "leaflet/dist/images/layers-2x.png": "leaflet/images/layers-2x.png",
  "leaflet.markercluster/dist/leaflet.markercluster.js": "leaflet/leaflet.markercluster.js",
  "leaflet.markercluster/dist/MarkerCluster.css": "leaflet/MarkerCluster.css",
  "leaflet.markercluster/dist/MarkerCluster.Default.css": "leaflet/MarkerCluster.Default.css",
  // Chart.js (window.Chart) and its matrix chart for the Stats page's day-by-day heatmap.
  "chart.js/dist/chart.umd.min.js": "chart.umd.min.js",
  "chartjs-chart-matrix/dist/chartjs-chart-matrix.min.js": "chartjs-chart-matrix.min.js",
  // Flickr's justified rows for every photo grid (static/js/grid-layout.js): a browserify build
  // whose global `require("justified-layout")` returns the layout function.
  "justified-layout/dist/justified-layout.min.js": "justified-layout.min.js",
  // WebAuthn ceremonies in the browser (static/js/passkeys.js) as window.SimpleWebAuthnBrowser.
  "@simplewebauthn/browser/dist/bundle/index.umd.min.js": "simplewebauthn-browser.umd.min.js",
};

const vendor = join(root, "static", "vendor");
mkdirSync(vendor, { recursive: true });
for (const [source, target] of Object.entries(files)) {
  mkdirSync(dirname(join(vendor, target)), { recursive: true });
  copyFileSync(join(root, "node_modules", source), join(vendor, target));
}
console.log(`vendored ${Object.keys(files).length} file(s) into static/vendor`);
