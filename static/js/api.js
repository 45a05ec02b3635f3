// The one way page scripts talk to the JSON API: same origin, the page's CSRF token (base.html puts
// it in the body's hx-headers for htmx), and a failed answer thrown as an Error carrying the API's
// own words. Loaded once by base.html, before every page script.
//
// URLs are never spelled in scripts: templates write them with {% url %} into data-* attributes.
// Where the id comes from JSON (a face in the detail view), the template writes the route reversed
// with the id 0 and `mediahub.withId(url, id)` puts the real id in its place.
window.mediahub = (() => {
  const csrf = () => JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"];

  async function api(method, url, body) {
    const response = await fetch(url, {
      method,
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf() },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
    });
    const reply = await response.json().catch(() => ({}));
    if (!response.ok) {
      // {"detail": ...} or field errors ({"name": ["..."]}) as DRF answers them.
      const fields = reply && typeof reply === "object" ? Object.values(reply).flat().join(" ") : "";
      throw new Error(reply.detail || fields || response.statusText || `HTTP ${response.status}`);
    }
    return reply;
  }

  // The path segment "0" of a URL reversed with id 0, replaced by `id`.
  const withId = (url, id) => url.replace(/\/0(?=\/|$)/, `/${encodeURIComponent(id)}`);

  // Whether `path` is `url` (reversed with id 0, as for withId) for some numeric id.
  const matchesWithId = (url, path) => {
    const escaped = url.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    return new RegExp(`^${escaped.replace(/\/0(?=\/|$)/, "/\\d+")}$`).test(path);
  };

  // For requests other libraries make (Uppy's tus uploads): the same header fetch and htmx send.
  const csrfHeaders = () => ({ "X-CSRFToken": csrf() });

  return { api, csrf, csrfHeaders, withId, matchesWithId };
})();
