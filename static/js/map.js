// The home map: Tbilisi with its districts, a base layer, the information layers with their legend
// and filters, search, measuring and counting tools, and a permalink in the URL hash.
// Works without tiles or the API (closed networks, outages): districts come from our own API and
// each part below fails on its own, saying so, while the rest goes on.
import { creditDistricts } from "./districts.js";
import { gettext } from "./format.js";
import { MapLayers } from "./maplayers.js";
import { keepInHash, parse } from "./permalink.js";
import { Search } from "./search.js";
import { MapTools } from "./tools.js";

const el = document.getElementById("map");
const TBILISI = [41.7151, 44.8271];
const initial = parse(location.hash);
const PHONE = window.matchMedia("(max-width: 640px)");

const map = L.map(el, { zoomControl: false, minZoom: 9, maxZoom: 19 });
if (initial.view) map.setView([initial.view.lat, initial.view.lon], initial.view.zoom);
else map.setView(TBILISI, 12);
L.control.zoom({ position: "topright", zoomInTitle: gettext("Zoom in"), zoomOutTitle: gettext("Zoom out") }).addTo(map);
window.smartmap = { map };

const tiles = L.tileLayer(el.dataset.tileUrl, {
  maxZoom: 19,
  attribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
});
let tileErrors = 0;
tiles.on("tileerror", () => {
  tileErrors += 1;
  if (tileErrors === 4) status(gettext("The base map is unavailable; districts and data are still shown."));
});
tiles.addTo(map);

// Bottom right: the layers panel covers the left side on a desktop.
const statusControl = L.control({ position: "bottomright" });
statusControl.onAdd = () => {
  const div = L.DomUtil.create("div", "map-status");
  div.setAttribute("role", "status");
  div.hidden = true;
  return div;
};
statusControl.addTo(map);
function status(text) {
  const div = statusControl.getContainer();
  div.textContent = text;
  div.hidden = !text;
}

// Locate me: a button that centres the map on the user's position, with the accuracy circle.
const LocateControl = L.Control.extend({
  options: { position: "topright" },
  onAdd() {
    const button = L.DomUtil.create("button", "locate-button leaflet-bar");
    button.type = "button";
    button.title = gettext("Show my location");
    button.setAttribute("aria-label", gettext("Show my location"));
    button.textContent = "◎";
    L.DomEvent.disableClickPropagation(button);
    L.DomEvent.on(button, "click", () => {
      button.setAttribute("aria-busy", "true");
      map.locate({ setView: false, enableHighAccuracy: true, timeout: 10000 });
    });
    this.button = button;
    return button;
  },
});
const locate = new LocateControl().addTo(map);
let here = null;
map.on("locationfound", (e) => {
  locate.button.removeAttribute("aria-busy");
  // Show the whole accuracy circle, but never zoom out past street level nor in past house level.
  if (e.accuracy > 0) map.fitBounds(e.bounds, { maxZoom: 17 });
  else map.setView(e.latlng, 17);
  if (map.getZoom() < 15) map.setZoom(15);
  if (here) here.remove();
  here = L.layerGroup([
    L.circle(e.latlng, { radius: e.accuracy, color: "#1a73e8", weight: 1, fillOpacity: 0.12 }),
    L.circleMarker(e.latlng, { radius: 7, color: "#fff", weight: 2, fillColor: "#1a73e8", fillOpacity: 1 }),
  ]).addTo(map);
  status("");
});
map.on("locationerror", () => {
  locate.button.removeAttribute("aria-busy");
  status(gettext("Your location is not available. Allow location access or search for an address."));
});

// The layers panel: open beside the map on a desktop, a closed bottom sheet on a phone.
const panel = document.getElementById("map-panel");
const toggle = panel.querySelector(".panel-toggle");
function setPanel(open) {
  panel.classList.toggle("is-closed", !open);
  toggle.setAttribute("aria-expanded", String(open));
}
toggle.addEventListener("click", () => setPanel(panel.classList.contains("is-closed")));
panel.hidden = false;
setPanel(!PHONE.matches);

let hash = null;
const layers = new MapLayers(map, {
  apiUrl: el.dataset.layersUrl,
  panel,
  status,
  onChange: () => hash && hash.update(true),
});
window.smartmap.layers = layers;
hash = keepInHash(map, () => layers.state());

const tools = new MapTools(map, {
  layers,
  box: document.getElementById("tool-box"),
  statisticsUrl: el.dataset.statisticsUrl,
  link: () => {
    hash.now(); // the link must show this very moment, not the hash of 150 ms ago
    return location.href;
  },
}).addTo(map);
window.smartmap.tools = tools;

const searchForm = document.getElementById("map-search");
searchForm.hidden = false;
window.smartmap.search = new Search(searchForm, { map, layers, url: el.dataset.searchUrl });

async function loadDistricts() {
  try {
    const response = await fetch(el.dataset.districtsUrl, { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(response.statusText);
    const data = await response.json();
    const layer = L.geoJSON(data, {
      style: { color: "#0b5d69", weight: 2, opacity: 0.8, fillColor: "#0b5d69", fillOpacity: 0.04, className: "district-shape", interactive: true },
      onEachFeature: (feature, lyr) => {
        lyr.bindTooltip(feature.properties.name, { permanent: false, direction: "center", className: "district-label" });
      },
    }).addTo(map);
    layer.bringToBack();
    creditDistricts(map, data);
    window.smartmap.districts = layer;
    layers.setDistricts(data.features);
    if (!initial.view) {
      // Fit the city into the part of the map the open panel leaves free.
      const side = !PHONE.matches && !panel.classList.contains("is-closed") ? panel.offsetWidth + 20 : 8;
      map.fitBounds(layer.getBounds(), { paddingTopLeft: [side, 60], paddingBottomRight: [50, 8], animate: false });
    }
    el.dataset.districtsLoaded = String(data.features.length);
  } catch (err) {
    status(gettext("Districts could not be loaded. Please reload the page."));
  }
}

Promise.allSettled([loadDistricts(), layers.load(initial)]).then(() => {
  hash.arm();
  el.dataset.ready = "true";
});
