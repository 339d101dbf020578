// Step 1: where the problem is. A Leaflet map with a draggable pin (the report's location is the
// pin); "use my location" puts it at the phone's position with the accuracy circle. Without a
// position (refused, unavailable) the pin goes where the map is tapped, where a street search
// lands, or — with a keyboard — in the map's middle on Enter, then moves with the arrow keys.
// The pin's place is named by its district (/api/v1/districts/?contains=lon,lat), which also
// tells when a place is outside Tbilisi. Without tiles (closed network) district borders still show.
import { creditDistricts } from "./districts.js";
import { api, format, gettext, h, metres } from "./report_util.js";

const TBILISI = [41.7151, 44.8271];
const PIN_STEP = 12; // pixels an arrow key moves the pin
const PIN = L.divIcon({
  className: "report-pin",
  html:
    '<svg viewBox="0 0 32 44" width="32" height="44" aria-hidden="true"><path d="M16 1.5C8 1.5 1.5 7.9 1.5 15.8 1.5 26.6 16 42.5 16 42.5s14.5-15.9 14.5-26.7C30.5 7.9 24 1.5 16 1.5z" fill="#c2410c" stroke="#fff" stroke-width="2.5"/><circle cx="16" cy="16" r="5.5" fill="#fff"/></svg>',
  iconSize: [32, 44],
  iconAnchor: [16, 42],
});

export class WherePicker {
  constructor(fieldset, { tileUrl, districtsUrl, searchUrl, onChange }) {
    this.fieldset = fieldset;
    this.districtsUrl = districtsUrl;
    this.onChange = onChange;
    this.lat = fieldset.querySelector("#lat");
    this.lon = fieldset.querySelector("#lon");
    this.statusEl = fieldset.querySelector("#where-status");
    this.button = fieldset.querySelector("#locate");
    this.marker = null;
    this.circle = null;
    this.lookups = 0;
    this.state = { lead: gettext("Tap the map where the problem is, or use your location."), district: null };
    fieldset.querySelector("#coords-fallback").hidden = true;
    fieldset.querySelector(".where-tools").hidden = false;
    this.map = this.makeMap(fieldset.querySelector("#report-map"), tileUrl);
    this.button.addEventListener("click", () => this.locate());
    new PlaceSearch(fieldset.querySelector("#place-search"), searchUrl, (r) => this.fromSearch(r));
    const lat = parseFloat(this.lat.value);
    const lon = parseFloat(this.lon.value);
    // A form sent back by the server keeps its place; set() waits until the page has wired itself.
    if (Number.isFinite(lat) && Number.isFinite(lon)) queueMicrotask(() => this.set(lat, lon, gettext("The pin is where you put it.")));
    else this.render();
    this.locateIfAllowed();
  }

  makeMap(el, tileUrl) {
    el.hidden = false;
    el.tabIndex = 0;
    const map = L.map(el, { minZoom: 10, maxZoom: 19, keyboard: true }).setView(TBILISI, 12);
    const tiles = L.tileLayer(tileUrl, {
      maxZoom: 19,
      attribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
    });
    let errors = 0;
    tiles.on("tileerror", () => {
      errors += 1;
      if (errors === 4) this.mapNote(gettext("The street map did not load; district borders are shown."));
    });
    tiles.addTo(map);
    api(this.districtsUrl)
      .then(({ data }) => {
        L.geoJSON(data, { interactive: false, style: { color: "#0b5d69", weight: 1.5, opacity: 0.7, fill: false } }).addTo(map);
        creditDistricts(map, data);
      })
      .catch(() => {}); // the borders are a help, not a need
    map.on("click", (e) => this.set(e.latlng.lat, e.latlng.lng, gettext("The pin is where you tapped.")));
    el.addEventListener("keydown", (e) => {
      if (e.target !== el || (e.key !== "Enter" && e.key !== " ")) return;
      e.preventDefault();
      const c = map.getCenter();
      this.set(c.lat, c.lng, gettext("The pin is in the middle of the map. Move it with the arrow keys."));
    });
    return map;
  }

  mapNote(text) {
    const note = L.control({ position: "bottomleft" });
    note.onAdd = () => h("div", { class: "map-note" }, text);
    note.addTo(this.map);
  }

  // The position is asked for at once only when the person already allowed it; otherwise the
  // browser's question waits for their tap on "use my location".
  async locateIfAllowed() {
    if (!navigator.permissions || !navigator.geolocation || this.marker) return;
    try {
      const permission = await navigator.permissions.query({ name: "geolocation" });
      if (permission.state === "granted" && !this.marker) this.locate();
    } catch {
      // an old browser without the Permissions API: wait for the button
    }
  }

  locate() {
    if (!navigator.geolocation) {
      this.failed(gettext("This browser cannot tell its location."));
      return;
    }
    this.button.setAttribute("aria-busy", "true");
    this.say(gettext("Finding your location…"));
    navigator.geolocation.getCurrentPosition(
      (position) => this.located(position.coords),
      (error) =>
        this.failed(
          error.code === error.PERMISSION_DENIED
            ? gettext("Your phone did not share its location, and that is all right.")
            : gettext("Your phone could not find its location just now."),
        ),
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 },
    );
  }

  located({ latitude, longitude, accuracy }) {
    this.button.removeAttribute("aria-busy");
    const here = L.latLng(latitude, longitude);
    if (this.circle) this.circle.remove();
    this.circle = L.circle(here, {
      radius: Math.max(accuracy || 0, 5),
      interactive: false,
      color: "#0b5d69",
      weight: 1,
      fillOpacity: 0.12,
    }).addTo(this.map);
    this.map.fitBounds(this.circle.getBounds(), { maxZoom: 18 });
    const lead =
      accuracy > 100
        ? format(gettext("Your location is known only to about %(m)s: drag the pin to the exact spot."), { m: metres(accuracy) })
        : format(gettext("The pin is at your location (within about %(m)s). Drag it to the exact spot if needed."), {
            m: metres(accuracy || 5),
          });
    this.set(latitude, longitude, lead, false);
  }

  failed(reason) {
    this.button.removeAttribute("aria-busy");
    this.say(`${reason} ${gettext("Tap the map where the problem is, or search for the street.")}`, "kind");
  }

  fromSearch(result) {
    if (result.bbox) this.map.fitBounds([[result.bbox[1], result.bbox[0]], [result.bbox[3], result.bbox[2]]], { maxZoom: 18 });
    else this.map.setView([result.lat, result.lon], 18);
    const address = this.fieldset.querySelector("#address");
    if (!address.value) address.value = result.label;
    this.set(result.lat, result.lon, format(gettext("The pin is at %(place)s. Drag it to the exact spot."), { place: result.label }), false);
  }

  // Put the pin at lat/lon; `lead` says how it got there. Pans only when the pin would be off screen.
  set(lat, lon, lead, pan = true) {
    const here = L.latLng(lat, lon);
    if (!this.marker) {
      this.marker = L.marker(here, { icon: PIN, draggable: true, keyboard: true, autoPan: true }).addTo(this.map);
      this.marker.on("dragend", () => {
        const p = this.marker.getLatLng();
        this.set(p.lat, p.lng, gettext("The pin is where you dragged it."), false);
      });
      const el = this.marker.getElement();
      el.setAttribute("role", "button");
      el.setAttribute("aria-label", gettext("The problem's place. Drag it, or move it with the arrow keys."));
      el.addEventListener("keydown", (e) => this.nudge(e));
    } else {
      this.marker.setLatLng(here);
    }
    if (pan && !this.map.getBounds().pad(-0.1).contains(here)) this.map.setView(here, Math.max(this.map.getZoom(), 16));
    this.lat.value = lat.toFixed(6);
    this.lon.value = lon.toFixed(6);
    this.state = { lead, district: null, outside: false };
    this.render();
    this.lookup();
    this.onChange(this.point());
  }

  nudge(e) {
    const step = { ArrowUp: [0, -PIN_STEP], ArrowDown: [0, PIN_STEP], ArrowLeft: [-PIN_STEP, 0], ArrowRight: [PIN_STEP, 0] }[e.key];
    if (!step) return;
    e.preventDefault();
    e.stopPropagation();
    const p = this.map.latLngToContainerPoint(this.marker.getLatLng()).add(step);
    const here = this.map.containerPointToLatLng(p);
    this.set(here.lat, here.lng, gettext("The pin is where you moved it."));
  }

  async lookup() {
    const point = this.point();
    const token = ++this.lookups;
    try {
      const { data } = await api(`${this.districtsUrl}?contains=${point.lon},${point.lat}`);
      if (token !== this.lookups) return;
      const feature = (data.features || [])[0];
      this.state.district = feature ? feature.properties.name : null;
      this.state.outside = !feature;
    } catch {
      return; // offline: the place keeps its coordinates only
    }
    this.render();
  }

  // The place of any point (the photo's): a district name, "" outside Tbilisi, null if unknown.
  async districtOf(lat, lon) {
    try {
      const { data } = await api(`${this.districtsUrl}?contains=${lon},${lat}`);
      const feature = (data.features || [])[0];
      return feature ? feature.properties.name : "";
    } catch {
      return null;
    }
  }

  render() {
    const { lead, district, outside } = this.state;
    const point = this.point();
    const parts = [lead];
    if (district) parts.push(format(gettext("District: %(name)s."), { name: district }));
    if (outside) parts.push(gettext("This place is outside Tbilisi; Fix-Tbilisi covers the city only."));
    this.say(parts.join(" "), outside ? "warning" : "", point ? `${point.lat.toFixed(5)}, ${point.lon.toFixed(5)}` : "");
  }

  say(text, tone = "", coords = "") {
    this.statusEl.hidden = false;
    this.statusEl.className = `where-status${tone ? ` is-${tone}` : ""}`;
    this.statusEl.replaceChildren(text, coords ? h("span", { class: "coords" }, coords) : "");
  }

  point() {
    const lat = parseFloat(this.lat.value);
    const lon = parseFloat(this.lon.value);
    return Number.isFinite(lat) && Number.isFinite(lon) ? { lat, lon } : null;
  }

  distanceTo(lat, lon) {
    const p = this.point();
    return p ? this.map.distance([p.lat, p.lon], [lat, lon]) : null;
  }

  focus() {
    this.map.getContainer().focus({ preventScroll: true });
  }
}

// The street search, when the gazetteer API exists (/api/v1/search/ may not be deployed yet: a
// 404 keeps the box hidden). Results are buttons, so Tab and Enter choose one.
class PlaceSearch {
  constructor(box, url, onChoose) {
    this.box = box;
    this.url = url;
    this.onChoose = onChoose;
    this.input = box.querySelector("input");
    this.list = box.querySelector("ul");
    this.note = box.querySelector(".place-search-note");
    this.timer = null;
    this.controller = null;
    this.input.addEventListener("input", () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.run(), 300);
    });
    this.input.addEventListener("keydown", (e) => {
      if (e.key === "Enter") {
        e.preventDefault(); // not the report form's submit
        clearTimeout(this.timer);
        this.run();
      } else if (e.key === "ArrowDown" && !this.list.hidden) {
        e.preventDefault();
        this.list.querySelector("button").focus();
      } else if (e.key === "Escape") {
        this.show([]);
      }
    });
    this.probe();
  }

  // OPTIONS: DRF answers 200 when the view exists, without running a search or logging a 400.
  async probe() {
    try {
      const response = await fetch(this.url, { method: "OPTIONS", headers: { Accept: "application/json" } });
      if (response.ok) this.box.hidden = false;
    } catch {
      // offline: no search box
    }
  }

  async run() {
    const q = this.input.value.trim();
    if (this.controller) this.controller.abort();
    if (q.length < 2) {
      this.show([]);
      return;
    }
    this.controller = new AbortController();
    try {
      const { data } = await api(`${this.url}?q=${encodeURIComponent(q)}`, { signal: this.controller.signal });
      const results = (Array.isArray(data) ? data : data.results || []).filter((r) => Number.isFinite(r.lat) && Number.isFinite(r.lon));
      this.show(results.slice(0, 6));
      this.say(results.length ? "" : gettext("Nothing found. Try another spelling, or tap the map."));
    } catch (error) {
      if (error.name === "AbortError") return;
      if (error.status === 404) this.box.hidden = true;
      this.show([]);
      this.say(gettext("Search is not available right now; tap the map instead."));
    }
  }

  show(results) {
    this.list.replaceChildren(
      ...results.map((r) =>
        h(
          "li",
          {},
          h(
            "button",
            {
              type: "button",
              class: "place-result",
              onclick: () => {
                this.show([]);
                this.input.value = r.label;
                this.onChoose(r);
              },
            },
            h("span", { class: "place-label" }, r.label),
            r.sublabel ? h("span", { class: "place-sublabel" }, r.sublabel) : null,
          ),
        ),
      ),
    );
    this.list.hidden = !results.length;
  }

  say(text) {
    this.note.textContent = text;
    this.note.hidden = !text;
  }
}
