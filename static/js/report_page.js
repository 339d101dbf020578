// A report's page: the mini-map with the report's place.
const el = document.getElementById("report-map");
if (el && window.L) {
  const here = [Number(el.dataset.lat), Number(el.dataset.lon)];
  const map = L.map(el, { scrollWheelZoom: false }).setView(here, 17);
  L.tileLayer(el.dataset.tileUrl, { maxZoom: 19, attribution: "&copy; OpenStreetMap" }).addTo(map);
  L.circleMarker(here, { radius: 9, color: "#fff", weight: 2, fillColor: "#7c3aed", fillOpacity: 1 }).addTo(map);
}
