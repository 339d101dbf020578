// A thread's place on a small map (a point or a drawn area; a district is only named).
const el = document.getElementById("thread-map");
const source = document.getElementById("thread-place");

if (el && source && window.L) {
  const map = L.map(el, { scrollWheelZoom: false, minZoom: 9, maxZoom: 19 });
  L.tileLayer(el.dataset.tileUrl, {
    maxZoom: 19,
    attribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
  }).addTo(map);
  const shape = L.geoJSON(JSON.parse(source.textContent), {
    style: { color: "#0e7490", weight: 4, fillOpacity: 0.25 },
    pointToLayer: (feature, latlng) =>
      L.circleMarker(latlng, { radius: 10, color: "#1d2428", weight: 2, fillColor: "#0891b2", fillOpacity: 1 }),
  }).addTo(map);
  map.fitBounds(shape.getBounds(), { maxZoom: 16, padding: [24, 24], animate: false });
  el.dataset.ready = "true";
}
