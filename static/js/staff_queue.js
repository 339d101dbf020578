// The staff queue's map: one marker per report on this page, coloured by its clock.
const el = document.getElementById("queue-map");
const COLOURS = { overdue: "#b91c1c", late: "#b91c1c", due_soon: "#d97706", paused: "#a16207", running: "#0b5d69", met: "#15803d" };
if (el && window.L) {
  const markers = JSON.parse(el.dataset.markers || "[]");
  const map = L.map(el).setView([41.7151, 44.8271], 11);
  L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", { maxZoom: 19, attribution: "&copy; OpenStreetMap" }).addTo(map);
  const group = L.featureGroup(
    markers.map((m) =>
      L.circleMarker([m.lat, m.lon], { radius: 8, color: "#fff", weight: 2, fillColor: COLOURS[m.state] || "#6b7280", fillOpacity: 1 })
        .bindPopup(`<a href="${m.url}">${m.ref}</a><br>${m.title.replace(/[<>&]/g, "")}`),
    ),
  ).addTo(map);
  if (markers.length) map.fitBounds(group.getBounds(), { padding: [20, 20], maxZoom: 16 });
}
