// The map's permalink lives in the URL hash, so a link shows what its sender saw:
//   #15/41.69380/44.80150&layers=construction-permits,tree-permits&status.construction-permits=issued
// The position comes first (zoom/lat/lon) and may be left out ("#layers=…" opens the whole city); each
// layer's filters follow as <filter>.<layer slug>=value, lists comma-separated. The list pages build
// the same links (layers/views.py map_link), so both sides must change together.
export const FILTERS = ["status", "district", "from", "to", "q"];
const POSITION = /^(\d{1,2}(?:\.\d+)?)\/(-?\d{1,2}(?:\.\d+)?)\/(-?\d{1,3}(?:\.\d+)?)$/;

export function parse(hash) {
  const text = (hash || "").replace(/^#/, "");
  const [first, ...rest] = text.split("&");
  const match = POSITION.exec(first || "");
  const query = new URLSearchParams((match ? rest : [first, ...rest]).join("&"));
  const state = { view: null, layers: [], filters: {} };
  if (match) {
    const [z, lat, lon] = match.slice(1).map(Number);
    if (lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180) state.view = { zoom: z, lat, lon };
  }
  state.layers = (query.get("layers") || "").split(",").filter(Boolean);
  for (const [key, value] of query.entries()) {
    const dot = key.indexOf(".");
    if (dot < 0) continue;
    const name = key.slice(0, dot);
    const slug = key.slice(dot + 1);
    if (!FILTERS.includes(name) || !slug || !value) continue;
    state.filters[slug] = state.filters[slug] || {};
    state.filters[slug][name] = name === "status" ? value.split(",").filter(Boolean) : value;
  }
  return state;
}

export function format({ zoom, lat, lon }, layers, filters) {
  const digits = Math.max(0, Math.ceil(Math.log(2 ** zoom) / Math.LN10) + 1);
  const parts = [`${Math.round(zoom)}/${lat.toFixed(digits)}/${lon.toFixed(digits)}`];
  if (layers.length) parts.push(`layers=${layers.map(encodeURIComponent).join(",")}`);
  for (const slug of layers) {
    const f = filters[slug] || {};
    for (const name of FILTERS) {
      const value = name === "status" ? (f.status || []).map(encodeURIComponent).join(",") : f[name];
      if (value) parts.push(`${name}.${encodeURIComponent(slug)}=${name === "status" ? value : encodeURIComponent(value)}`);
    }
  }
  return `#${parts.join("&")}`;
}

// Keeps the hash in step with the map without adding history entries (Back leaves the page).
// It starts once arm() is called, so the page's own first fitting of the city leaves a plain
// address ("/ka/") alone until the person moves the map or changes a layer.
export function keepInHash(map, getState) {
  let timer = null;
  let armed = false;
  const write = () => {
    timer = null;
    const centre = map.getCenter();
    const { layers, filters } = getState();
    const hash = format({ zoom: map.getZoom(), lat: centre.lat, lon: centre.lng }, layers, filters);
    if (hash !== location.hash) history.replaceState(history.state, "", hash);
  };
  // force: a change the person made (a layer, a filter) always shows in the hash.
  const schedule = (force = false) => {
    if (force === true) armed = true;
    if (!armed) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(write, 150);
  };
  map.on("moveend", schedule);
  return { update: schedule, now: write, arm: () => (armed = true) };
}
