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
  // PhotoSwipe 5 for the detail view's zoom (static/js/viewer.js loads the ES module).
  "photoswipe/dist/photoswipe.esm.min.js": "photoswipe.esm.min.js",
  "photoswipe/dist/photoswipe.css": "photoswipe.css",
};

const vendor = join(root, "static", "vendor");
mkdirSync(vendor, { recursive: true });
for (const [source, target] of Object.entries(files)) {
  copyFileSync(join(root, "node_modules", source), join(vendor, target));
}
console.log(`vendored ${Object.keys(files).length} file(s) into static/vendor`);
