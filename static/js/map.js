// The home map: Tbilisi with its districts, a base layer and a locate-me control.
// Works without tiles (closed networks, tile outages): districts are drawn from our own API.
const gettext = window.gettext || ((s) => s);
const el = document.getElementById("map");
const TBILISI = [41.7151, 44.8271];

const map = L.map(el, { zoomControl: true, minZoom: 9, maxZoom: 19 }).setView(TBILISI, 12);
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

const statusControl = L.control({ position: "bottomleft" });
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

async function loadDistricts() {
  try {
    const response = await fetch(el.dataset.districtsUrl, { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(response.statusText);
    const data = await response.json();
    const layer = L.geoJSON(data, {
      style: { color: "#0b5d69", weight: 2, opacity: 0.8, fillColor: "#0b5d69", fillOpacity: 0.04, className: "district-shape" },
      onEachFeature: (feature, lyr) => {
        lyr.bindTooltip(feature.properties.name, { permanent: false, direction: "center", className: "district-label" });
      },
    }).addTo(map);
    window.smartmap.districts = layer;
    if (!location.hash) map.fitBounds(layer.getBounds(), { padding: [8, 8], animate: false });
    el.dataset.districtsLoaded = String(data.features.length);
  } catch (err) {
    status(gettext("Districts could not be loaded. Please reload the page."));
  }
}

// Locate me: a button that centres the map on the user's position, with the accuracy circle.
const LocateControl = L.Control.extend({
  options: { position: "topleft" },
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

loadDistricts();
