// Maps with Leaflet: the Map page (markers from the map points API, clustered by the server when
// zoomed out, by Leaflet.markercluster when close), a photo's small map, a trip's route, the
// Search page's location picker and the edit forms' point picker. Every URL comes from the page's
// data-* attributes.
(() => {
  const PLACEHOLDER = "00000000-0000-0000-0000-000000000000";

  function baseMap(element, options = {}) {
    const map = L.map(element, { worldCopyJump: true, ...options });
    L.tileLayer(element.dataset.tileUrl, { attribution: element.dataset.attribution, maxZoom: 19 }).addTo(map);
    return map;
  }

  const bboxOf = (bounds) =>
    [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()].map((v) => v.toFixed(6)).join(",");

  // --- The Map page -------------------------------------------------------------------------
  function mapPage(element) {
    const map = baseMap(element, { minZoom: 1 }).setView([20, 0], 2);
    const status = document.querySelector("[data-map-status]");
    const filters = new URLSearchParams(element.dataset.filters);
    const photoUrl = (id) => element.dataset.photoUrl.replace(PLACEHOLDER, id);
    const gridUrl = (bbox) => {
      const query = new URLSearchParams(filters);
      query.set("bbox", bbox);
      return `${element.dataset.gridUrl}?${query}`;
    };
    let layer = null;
    let fitted = Boolean(element.dataset.bbox);
    let request = 0;

    if (element.dataset.bbox) {
      const [w, s, e, n] = element.dataset.bbox.split(",").map(Number);
      if ([w, s, e, n].every(Number.isFinite)) map.fitBounds([[s, w], [n, e]]);
    }

    async function load() {
      const mine = ++request;
      const query = new URLSearchParams(filters);
      query.set("zoom", map.getZoom());
      if (fitted) query.set("bbox", bboxOf(map.getBounds()));
      let answer;
      try {
        answer = await mediahub.api("GET", `${element.dataset.pointsUrl}?${query}`);
      } catch (error) {
        status.textContent = interpolate(gettext("The map could not load: %(error)s"), { error: error.message }, true);
        return;
      }
      if (mine !== request) return; // a newer pan or zoom has asked again
      if (layer) layer.remove();
      layer = answer.clustered ? serverClusters(answer.clusters) : clientClusters(answer.points);
      layer.addTo(map);
      element.dataset.loaded = answer.clustered ? "clusters" : "points";
      status.textContent = answer.total
        ? interpolate(ngettext("%(count)s photo here. Click a group to see its photos, a pin to open one.", "%(count)s photos here. Click a group to see its photos, a pin to open one.", answer.total), { count: answer.total }, true)
        : gettext("No photos with a GPS position here.");
      if (!fitted && answer.total) {
        fitted = true;
        const bounds = answer.clustered
          ? L.latLngBounds(answer.clusters.map((c) => [[c.bbox[1], c.bbox[0]], [c.bbox[3], c.bbox[2]]]).flat())
          : L.latLngBounds(answer.points.map((p) => [p.lat, p.lon]));
        map.fitBounds(bounds.pad(0.1), { maxZoom: 14 });
      }
    }

    function pin(point) {
      const marker = L.marker([point.lat, point.lon], { title: point.taken_at || "", alt: gettext("Photo"), keyboard: true });
      marker.on("click", () => { window.location.href = photoUrl(point.id); });
      return marker;
    }

    function clientClusters(points) {
      const group = L.markerClusterGroup({ zoomToBoundsOnClick: false, showCoverageOnHover: false, maxClusterRadius: 60 });
      group.on("clusterclick", (event) => { window.location.href = gridUrl(bboxOf(event.layer.getBounds())); });
      group.addLayers(points.map(pin));
      return group;
    }

    function serverClusters(clusters) {
      const group = L.layerGroup();
      for (const cluster of clusters) {
        if (cluster.count === 1) {
          group.addLayer(pin(cluster));
          continue;
        }
        const size = cluster.count < 100 ? "small" : cluster.count < 10000 ? "medium" : "large";
        const icon = L.divIcon({
          html: `<div><span>${cluster.count}</span></div>`,
          className: `marker-cluster marker-cluster-${size} server-cluster`,
          iconSize: L.point(40, 40),
        });
        const marker = L.marker([cluster.lat, cluster.lon], { icon, title: interpolate(ngettext("%(count)s photo", "%(count)s photos", cluster.count), { count: cluster.count }, true), keyboard: true });
        marker.on("click", () => { window.location.href = gridUrl(cluster.bbox.join(",")); });
        group.addLayer(marker);
      }
      return group;
    }

    map.on("moveend", load);
    load();
  }

  // --- A photo's small map, a trip's route ---------------------------------------------------
  function miniMap(element) {
    const lat = Number(element.dataset.lat);
    const lon = Number(element.dataset.lon);
    const map = baseMap(element, { zoomControl: false, attributionControl: true, scrollWheelZoom: false });
    map.setView([lat, lon], 11);
    L.marker([lat, lon], { alt: gettext("Where it was taken"), keyboard: false }).addTo(map);
  }

  function routeMap(element) {
    const route = JSON.parse(element.dataset.route || "[]");
    if (!route.length) return;
    const map = baseMap(element, { zoomControl: false, scrollWheelZoom: false, dragging: false });
    const line = L.polyline(route, { weight: 3 }).addTo(map);
    L.circleMarker(route[0], { radius: 5 }).addTo(map);
    map.fitBounds(line.getBounds().pad(0.2), { maxZoom: 12 });
  }

  // --- The Search page's location filter ----------------------------------------------------
  // Pan and zoom, then "Use this area" (bbox) or "Within a radius of the centre" (near).
  function picker(element) {
    const form = element.closest("form");
    const bbox = form.querySelector("input[name=bbox]");
    const near = form.querySelector("input[name=near]");
    const radius = element.querySelector("[data-radius]");
    const map = baseMap(element.querySelector("[data-map-picker-map]"), { minZoom: 1 });
    let shape = null;
    const show = (layer) => { if (shape) shape.remove(); shape = layer ? layer.addTo(map) : null; };
    const submit = () => form.requestSubmit();

    if (bbox.value) {
      const [w, s, e, n] = bbox.value.split(",").map(Number);
      map.fitBounds([[s, w], [n, e]]);
      show(L.rectangle([[s, w], [n, e]], { weight: 2, fill: false }));
    } else if (near.value) {
      const [lat, lon, km] = near.value.split(",").map(Number);
      radius.value = km;
      const circle = L.circle([lat, lon], { radius: km * 1000, weight: 2, fill: false });
      show(circle);
      map.fitBounds(circle.getBounds());
    } else {
      map.setView([20, 0], 1);
    }

    element.querySelector("[data-use-area]").addEventListener("click", () => {
      const bounds = map.getBounds();
      bbox.value = bboxOf(bounds);
      near.value = "";
      show(L.rectangle(bounds, { weight: 2, fill: false }));
      submit();
    });
    element.querySelector("[data-use-radius]").addEventListener("click", () => {
      const centre = map.getCenter().wrap();
      const km = Number(radius.value) || 10;
      near.value = `${centre.lat.toFixed(6)},${centre.lng.toFixed(6)},${km}`;
      bbox.value = "";
      show(L.circle(centre, { radius: km * 1000, weight: 2, fill: false }));
      submit();
    });
    element.querySelector("[data-clear-location]").addEventListener("click", () => {
      bbox.value = "";
      near.value = "";
      show(null);
      submit();
    });
    // Leaflet measures its box when created: a picker opened later must measure again.
    element.closest("details")?.addEventListener("toggle", () => map.invalidateSize());
  }

  // --- Picking a photo's location (the detail view's edit form, the selection's "Set location…") ---
  // A click puts the pin and fills the form's latitude and longitude; typing them moves the pin.
  function pointPicker(element) {
    const form = element.closest("form");
    const lat = form.querySelector("input[name=latitude]");
    const lon = form.querySelector("input[name=longitude]");
    const map = baseMap(element, { minZoom: 1, scrollWheelZoom: false });
    let pin = null;
    const place = (latlng) => {
      if (pin) pin.setLatLng(latlng);
      else pin = L.marker(latlng, { alt: gettext("The photo's new location"), keyboard: false }).addTo(map);
    };
    const fromInputs = () => {
      const point = [Number(lat.value), Number(lon.value)];
      if (lat.value === "" || lon.value === "" || !point.every(Number.isFinite)) return false;
      place(point);
      return point;
    };
    const start = fromInputs();
    if (start) map.setView(start, 11); else map.setView([20, 0], 1);
    map.on("click", (event) => {
      const point = event.latlng.wrap();
      lat.value = point.lat.toFixed(6);
      lon.value = point.lng.toFixed(6);
      place(point);
      form.dispatchEvent(new Event("input", { bubbles: true }));
    });
    for (const input of [lat, lon]) input.addEventListener("change", () => { const p = fromInputs(); if (p) map.panTo(p); });
    // Opened later (a <details>, a <dialog>): Leaflet must measure its box again.
    new ResizeObserver(() => map.invalidateSize()).observe(element);
    element.dataset.pickerReady = "yes";
  }

  function start() {
    if (!window.L) return;
    document.querySelectorAll("[data-point-picker]").forEach(pointPicker);
    document.querySelectorAll("[data-map-page]").forEach(mapPage);
    document.querySelectorAll("[data-mini-map]").forEach(miniMap);
    document.querySelectorAll("[data-route-map]").forEach(routeMap);
    document.querySelectorAll("[data-map-picker]").forEach(picker);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
