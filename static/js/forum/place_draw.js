// The new-thread form: drawing a point or an area for the thread's place. Choosing a district needs
// no script; this only fills the hidden "place" field with GeoJSON when a drawing kind is picked.
import { ShapeDrawer } from "../draw.js";

const el = document.getElementById("place-map");
const field = document.getElementById("place");
const help = document.querySelector(".place-help");
const TBILISI = [41.7151, 44.8271];

if (el && field && window.L) {
  let map = null;
  let marker = null;
  let drawer = null;

  const setUp = () => {
    if (map) return;
    el.hidden = false;
    map = L.map(el, { minZoom: 9, maxZoom: 19 }).setView(TBILISI, 12);
    L.tileLayer(el.dataset.tileUrl, {
      maxZoom: 19,
      attribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
    }).addTo(map);
    map.on("click", (event) => {
      if (kind() !== "point") return;
      if (marker) marker.remove();
      marker = L.marker(event.latlng).addTo(map);
      const { lng, lat } = event.latlng;
      field.value = JSON.stringify({ type: "Point", coordinates: [Number(lng.toFixed(6)), Number(lat.toFixed(6))] });
    });
    drawer = new ShapeDrawer(map, { kind: "polygon", color: "#0e7490" });
    drawer.on("finish", (event) => {
      field.value = JSON.stringify(event.geojson);
    });
  };

  const kind = () => (document.querySelector('input[name="place_kind"]:checked') || {}).value || "";

  const update = () => {
    const k = kind();
    const drawing = k === "point" || k === "area";
    if (drawing) setUp();
    el.hidden = !drawing;
    if (help) help.hidden = !drawing;
    if (!map) return;
    map.invalidateSize();
    if (marker && k !== "point") {
      marker.remove();
      marker = null;
    }
    if (k === "area") drawer.start();
    else if (drawer.active) drawer.clear();
    if (!drawing) field.value = "";
  };

  for (const radio of document.querySelectorAll('input[name="place_kind"]')) radio.addEventListener("change", update);
  update();
  window.smartmapPlace = { get map() { return map; } };
}
