// A drawn area that travels in a URL (the statistics page's permalink, its GET form).
//
// The server takes at most URL_VERTICES positions in an area read from a query string
// (places/areas.py), and a request line is limited too (gunicorn.conf.py: 8,190 bytes, as most
// proxies). A drawn area longer than URL_CHARS once percent-encoded is made to fit: first its
// coordinates are rounded to 5 decimals (about a metre), then the corners that change the shape
// least are dropped one by one (Visvalingam–Whyatt: the smallest triangle with its neighbours
// goes first) until it fits. Dropping corners can make an outline cross itself; such a shape is
// refused here rather than sent to be refused by the server.
//
//   const fitted = fitAreaForUrl(geojson);   // { geojson, simplified } or { error }

export const URL_VERTICES = 500; // positions, the closing one included: places.areas.URL_VERTICES
export const URL_CHARS = 6000; // of the area parameter, percent-encoded; the rest of the URL fits beside it

export function encodedLength(geojson) {
  return new URLSearchParams({ area: JSON.stringify(geojson) }).toString().length - "area=".length;
}

function fits(geojson) {
  return geojson.coordinates[0].length <= URL_VERTICES && encodedLength(geojson) <= URL_CHARS;
}

const polygon = (corners) => ({ type: "Polygon", coordinates: [[...corners, corners[0]]] });
const round5 = (value) => Math.round(value * 1e5) / 1e5;

function triangle(a, b, c) {
  return Math.abs((b[0] - a[0]) * (c[1] - a[1]) - (c[0] - a[0]) * (b[1] - a[1])) / 2;
}

// Drops the least important corner until the polygon fits (at least a triangle stays).
function simplify(corners) {
  const kept = corners.slice();
  while (kept.length > 3 && !fits(polygon(kept))) {
    let smallest = 0;
    let least = Infinity;
    for (let i = 0; i < kept.length; i += 1) {
      const size = triangle(kept[(i - 1 + kept.length) % kept.length], kept[i], kept[(i + 1) % kept.length]);
      if (size < least) [least, smallest] = [size, i];
    }
    kept.splice(smallest, 1);
  }
  return kept;
}

function crosses(p, q, r, s) {
  const side = (a, b, c) => Math.sign((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]));
  return side(p, q, r) * side(p, q, s) < 0 && side(r, s, p) * side(r, s, q) < 0;
}

export function selfCrossing(corners) {
  const n = corners.length;
  for (let i = 0; i < n; i += 1) {
    for (let j = i + 2; j < n; j += 1) {
      if (i === 0 && j === n - 1) continue; // neighbours through the closing edge
      if (crosses(corners[i], corners[(i + 1) % n], corners[j], corners[(j + 1) % n])) return true;
    }
  }
  return false;
}

export function fitAreaForUrl(geojson) {
  if (!geojson || geojson.type !== "Polygon" || geojson.coordinates.length !== 1) return { error: "shape" };
  if (fits(geojson)) return { geojson, simplified: false };
  const corners = simplify(geojson.coordinates[0].slice(0, -1).map(([lon, lat]) => [round5(lon), round5(lat)]));
  const fitted = polygon(corners);
  if (!fits(fitted) || selfCrossing(corners)) return { error: "too-complex" };
  return { geojson: fitted, simplified: true };
}
