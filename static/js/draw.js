// Drawing a line or a polygon on the map by clicking its corners: the measuring tools, the
// "count in an area" tool and (later) area subscriptions all draw with this one class.
//
//   const drawer = new ShapeDrawer(map, { kind: "polygon", color: "#0b5d69" });
//   drawer.on("change", (e) => …e.latlngs…);   // after every corner
//   drawer.on("finish", (e) => …e.geojson…);   // a GeoJSON Polygon or LineString
//   drawer.start();  drawer.undo();  drawer.finish();  drawer.clear();
//
// A polygon is finished by clicking its first corner, double-clicking, pressing Enter or calling
// finish(); Escape cancels, Backspace removes the last corner. The shape stays on the map after
// finishing until clear() (or the next start()).
export class ShapeDrawer extends L.Evented {
  constructor(map, { kind = "polygon", color = "#0b5d69" } = {}) {
    super();
    this.map = map;
    this.kind = kind;
    this.color = color;
    this.latlngs = [];
    this.active = false;
    this.group = L.layerGroup();
    this.onClick = this.onClick.bind(this);
    this.onMove = this.onMove.bind(this);
    this.onDoubleClick = this.onDoubleClick.bind(this);
    this.onKey = this.onKey.bind(this);
  }

  get minimum() {
    return this.kind === "polygon" ? 3 : 2;
  }

  start() {
    this.clear();
    this.active = true;
    this.group.addTo(this.map);
    this.shape = (this.kind === "polygon" ? L.polygon : L.polyline)([], {
      color: this.color,
      weight: 3,
      fillOpacity: 0.15,
      interactive: false,
    }).addTo(this.group);
    this.guide = L.polyline([], { color: this.color, weight: 2, dashArray: "6 6", interactive: false }).addTo(this.group);
    this.doubleClickZoom = this.map.doubleClickZoom.enabled();
    this.map.doubleClickZoom.disable();
    this.map.on("click", this.onClick);
    this.map.on("mousemove", this.onMove);
    this.map.on("dblclick", this.onDoubleClick);
    document.addEventListener("keydown", this.onKey);
    L.DomUtil.addClass(this.map.getContainer(), "is-drawing");
    this.fire("start");
  }

  stopListening() {
    this.map.off("click", this.onClick);
    this.map.off("mousemove", this.onMove);
    this.map.off("dblclick", this.onDoubleClick);
    document.removeEventListener("keydown", this.onKey);
    if (this.doubleClickZoom) this.map.doubleClickZoom.enable();
    L.DomUtil.removeClass(this.map.getContainer(), "is-drawing");
    if (this.guide) this.guide.setLatLngs([]);
    this.active = false;
  }

  onClick(e) {
    if (!this.active) return;
    const first = this.latlngs[0];
    if (this.kind === "polygon" && first && this.latlngs.length >= this.minimum) {
      // A click within a few pixels of the first corner closes the polygon.
      const a = this.map.latLngToContainerPoint(first);
      const b = this.map.latLngToContainerPoint(e.latlng);
      if (a.distanceTo(b) < 12) {
        this.finish();
        return;
      }
    }
    this.add(e.latlng);
  }

  add(latlng) {
    this.latlngs.push(L.latLng(latlng));
    this.shape.setLatLngs(this.latlngs);
    L.circleMarker(latlng, {
      radius: 5,
      color: "#fff",
      weight: 2,
      fillColor: this.color,
      fillOpacity: 1,
      interactive: false,
      className: "draw-vertex",
    }).addTo(this.group);
    this.fire("change", { latlngs: this.latlngs.slice() });
  }

  onMove(e) {
    const last = this.latlngs[this.latlngs.length - 1];
    if (!last) return;
    const points = [last, e.latlng];
    if (this.kind === "polygon" && this.latlngs.length > 1) points.push(this.latlngs[0]);
    this.guide.setLatLngs(points);
  }

  onDoubleClick(e) {
    L.DomEvent.stop(e);
    // The double click's two clicks each added a corner at (nearly) the same place: drop one.
    if (this.latlngs.length > this.minimum) this.undo(true);
    this.finish();
  }

  onKey(e) {
    if (e.target && /^(INPUT|TEXTAREA|SELECT)$/.test(e.target.tagName)) return;
    if (e.key === "Escape") this.cancel();
    else if (e.key === "Enter") this.finish();
    else if (e.key === "Backspace") this.undo();
  }

  undo(quiet = false) {
    if (!this.latlngs.length) return;
    this.latlngs.pop();
    this.shape.setLatLngs(this.latlngs);
    const vertices = this.group.getLayers().filter((l) => l instanceof L.CircleMarker);
    if (vertices.length) this.group.removeLayer(vertices[vertices.length - 1]);
    if (!quiet) this.fire("change", { latlngs: this.latlngs.slice() });
  }

  finish() {
    if (!this.active || this.latlngs.length < this.minimum) return false;
    this.stopListening();
    this.fire("finish", { latlngs: this.latlngs.slice(), geojson: this.toGeoJSON() });
    return true;
  }

  cancel() {
    const wasActive = this.active;
    this.clear();
    if (wasActive) this.fire("cancel");
  }

  clear() {
    this.stopListening();
    this.group.clearLayers();
    this.group.remove();
    this.latlngs = [];
  }

  toGeoJSON() {
    const coords = this.latlngs.map((p) => [round(p.lng), round(p.lat)]);
    if (this.kind === "polygon") return { type: "Polygon", coordinates: [[...coords, coords[0]]] };
    return { type: "LineString", coordinates: coords };
  }
}

const round = (value) => Math.round(value * 1e6) / 1e6;

// Length along the ground: Leaflet's distanceTo is the great-circle (haversine) distance.
export function pathLength(latlngs) {
  let total = 0;
  for (let i = 1; i < latlngs.length; i += 1) total += latlngs[i - 1].distanceTo(latlngs[i]);
  return total;
}

// Area on the sphere (the formula of Chamberlain & Duquette, "Some algorithms for polygons on a
// sphere", as in Leaflet.draw): good to a fraction of a percent at a city's scale.
export function sphericalArea(latlngs) {
  const R = 6378137;
  const rad = Math.PI / 180;
  let total = 0;
  for (let i = 0; i < latlngs.length; i += 1) {
    const a = latlngs[i];
    const b = latlngs[(i + 1) % latlngs.length];
    total += (b.lng - a.lng) * rad * (2 + Math.sin(a.lat * rad) + Math.sin(b.lat * rad));
  }
  return Math.abs((total * R * R) / 2);
}
