// The subscribe page's map: draw an area, or put a circle around a point, or pick a district.
// Without JavaScript the form still works (district or all of Tbilisi); this module fills the
// hidden fields for a drawn area or a circle and shows how many notifications to expect.
import { creditDistricts } from "./districts.js";
import { ShapeDrawer, sphericalArea } from "./draw.js";
import { gettext, interpolate, number } from "./format.js";
import { Search } from "./search.js";

const form = document.getElementById("subscribe-form");
const mapEl = document.getElementById("subscribe-map");
const field = (name) => form.elements.namedItem(name);
const radios = () => [...form.querySelectorAll("input[name=area_kind]")];
const preview = form.querySelector(".preview");
const TBILISI = [41.7151, 44.8271];

form.querySelectorAll(".js-only").forEach((el) => (el.hidden = false));
document.querySelectorAll(".js-only-outside").forEach((el) => (el.hidden = false));
mapEl.hidden = false;
form.querySelector(".map-hint").hidden = false;

const map = L.map(mapEl, { minZoom: 10, maxZoom: 19 }).setView(TBILISI, 12);
window.smartmapSubscribe = { map };
L.tileLayer(document.body.dataset.tileUrl || "https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
  maxZoom: 19,
  attribution: "&copy; OpenStreetMap",
}).addTo(map);

let districts = null;
fetch(mapEl.dataset.districtsUrl)
  .then((r) => (r.ok ? r.json() : null))
  .then((data) => {
    if (!data) return;
    districts = L.geoJSON(data, {
      style: { color: "#0b5d69", weight: 1, opacity: 0.6, fillOpacity: 0 },
      interactive: false,
    }).addTo(map);
    creditDistricts(map, data);
    map.fitBounds(districts.getBounds(), { animate: false });
    highlightDistrict();
    mapEl.dataset.ready = "1";
  });

const drawer = new ShapeDrawer(map, { kind: "polygon", color: "#c2410c" });
drawer.on("finish", (e) => {
  field("area_geojson").value = JSON.stringify(e.geojson);
  const latlngs = e.geojson.coordinates[0].slice(0, -1).map(([lon, lat]) => L.latLng(lat, lon));
  setHint(interpolate(gettext("Area drawn: %s km²."), [number(sphericalArea(latlngs) / 1e6, 2)]));
  refreshPreview();
});

// Find a street or place; in circle mode it becomes the circle's centre ("around an address").
const searchForm = document.getElementById("subscribe-search");
searchForm.hidden = false;
new Search(searchForm, {
  map,
  url: searchForm.dataset.url,
  onChoose: (result, latlng) => {
    if (kind() === "circle") placeCircle(latlng);
  },
});

let circle = null;
function placeCircle(latlng) {
  field("lon").value = latlng.lng.toFixed(6);
  field("lat").value = latlng.lat.toFixed(6);
  const radius = Number(field("radius_m").value) || 300;
  if (circle) circle.setLatLng(latlng).setRadius(radius);
  else circle = L.circle(latlng, { radius, color: "#c2410c", fillOpacity: 0.15 }).addTo(map);
  setHint(gettext("Circle placed. Tap elsewhere to move it, or change the radius."));
  refreshPreview();
}
map.on("click", (e) => {
  if (kind() === "circle") placeCircle(e.latlng);
});
field("radius_m").addEventListener("input", () => {
  if (circle) {
    circle.setRadius(Number(field("radius_m").value) || 300);
    refreshPreview();
  }
});

function kind() {
  return radios().find((r) => r.checked)?.value || "";
}

function setHint(text) {
  form.querySelector(".map-hint").textContent = text;
}

function highlightDistrict() {
  if (!districts) return;
  const wanted = kind() === "district" ? Number(field("district").value) : null;
  districts.eachLayer((layer) => {
    const on = layer.feature.properties.number === wanted;
    layer.setStyle({ weight: on ? 3 : 1, fillOpacity: on ? 0.15 : 0, color: on ? "#c2410c" : "#0b5d69" });
    if (on) map.fitBounds(layer.getBounds(), { padding: [10, 10] });
  });
}

const redraw = form.querySelector(".redraw");
redraw.addEventListener("click", () => {
  field("area_geojson").value = "";
  onKind();
});

function onKind() {
  const k = kind();
  form.querySelector(".circle-radius").hidden = k !== "circle";
  redraw.hidden = k !== "polygon";
  if (k === "polygon") {
    if (circle) circle.remove(), (circle = null);
    drawer.start();
    setHint(gettext("Tap the corners of your area on the map; tap the first corner again to finish."));
  } else {
    drawer.stopListening?.();
    if (k !== "circle" && circle) circle.remove(), (circle = null);
    if (k !== "polygon") drawer.clear();
    if (k === "circle") setHint(gettext("Tap the map where the circle's centre should be."));
    else setHint("");
  }
  highlightDistrict();
  refreshPreview();
}
radios().forEach((r) => r.addEventListener("change", onKind));
field("district").addEventListener("change", () => {
  const option = radios().find((r) => r.value === "district");
  if (option) option.checked = true;
  onKind();
});
form.addEventListener("change", (e) => {
  if (e.target.name === "topics" || e.target.name === "events") refreshPreview();
});

// Before saving: how many notifications would this have brought over the last year?
let timer = null;
function refreshPreview() {
  clearTimeout(timer);
  timer = setTimeout(sendPreview, 400);
}

function previewBody() {
  const body = {
    topics: [...form.querySelectorAll("input[name=topics]:checked")].map((i) => i.value),
    events: [...form.querySelectorAll("input[name=events]:checked")].map((i) => i.value),
  };
  const k = kind();
  if (k === "polygon" && field("area_geojson").value) body.area = JSON.parse(field("area_geojson").value);
  else if (k === "circle" && field("lon").value) {
    body.point = [Number(field("lon").value), Number(field("lat").value)];
    body.radius_m = Number(field("radius_m").value);
  } else if (k === "district") body.district = field("district").value;
  else if (k === "city") body.city = true;
  else return null;
  return body;
}

async function sendPreview() {
  const body = previewBody();
  if (!body || !body.topics.length || !body.events.length) {
    preview.hidden = true;
    return;
  }
  try {
    const response = await fetch("/api/v1/subscriptions/preview/", {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "X-CSRFToken": field("csrfmiddlewaretoken").value,
        "Accept-Language": document.documentElement.lang,
      },
      body: JSON.stringify(body),
    });
    const data = await response.json();
    preview.hidden = false;
    preview.classList.toggle("error", !response.ok);
    preview.textContent = response.ok
      ? interpolate(gettext("Over the last year this would have brought about %s notifications a month."), [
          number(data.per_month, 1),
        ])
      : data.detail;
    preview.dataset.perMonth = response.ok ? String(data.per_month) : "";
  } catch {
    preview.hidden = true;
  }
}

// Editing: show the stored area or circle instead of starting a new drawing.
const stored = field("area_geojson").value;
if (kind() === "polygon" && stored) {
  const shape = L.geoJSON(JSON.parse(stored), { style: { color: "#c2410c", fillOpacity: 0.15 } }).addTo(map);
  map.fitBounds(shape.getBounds(), { padding: [20, 20], animate: false });
  redraw.hidden = false;
  redraw.addEventListener("click", () => shape.remove(), { once: true });
  refreshPreview();
} else if (kind() === "circle" && field("lon").value) {
  placeCircle(L.latLng(Number(field("lat").value), Number(field("lon").value)));
  map.setView(circle.getLatLng(), 15, { animate: false });
  form.querySelector(".circle-radius").hidden = false;
} else {
  onKind();
}
