// An item's or project's page: a small map of its geometry. Everything else on the page is HTML.
const el = document.getElementById("item-map");
const source = document.getElementById("item-geometry");

if (el && source && window.L) {
  const geometry = JSON.parse(source.textContent);
  const color = el.dataset.color || "#0b5d69";
  const map = L.map(el, { scrollWheelZoom: false, attributionControl: true, minZoom: 9, maxZoom: 19 });
  L.tileLayer(el.dataset.tileUrl, {
    maxZoom: 19,
    attribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
  }).addTo(map);
  // A dark outline keeps light status colours (application filed, planned) visible on any base map.
  const shape = L.geoJSON(geometry, {
    style: (feature) =>
      feature.geometry.type === "Point"
        ? { radius: 10, color: "#1d2428", weight: 2, fillColor: color, fillOpacity: 1 }
        : { color, weight: 5, opacity: 0.95, fillColor: color, fillOpacity: 0.35 },
    pointToLayer: (feature, latlng) => L.circleMarker(latlng),
  }).addTo(map);
  const bounds = shape.getBounds();
  map.fitBounds(bounds, { maxZoom: 16, padding: [24, 24], animate: false });
  el.dataset.ready = "true";
  window.smartmap = { map, shape };
}
