// Drawing the API's vector tiles with Leaflet.VectorGrid 1.3.0 (vendored), which predates Leaflet
// 1.8: two small patches make it behave on Leaflet 1.9, and the style below draws single items as
// dots in their status colour and, below the layer's aggregate_below_zoom, counted cells as circles
// sized by their count with the number on them.
export function patchVectorGrid() {
  if (!L.VectorGrid || L.VectorGrid._smartmapPatched) return;
  L.VectorGrid._smartmapPatched = true;
  const create = L.VectorGrid.prototype._createLayer;
  L.VectorGrid.prototype._createLayer = function (feat, pxPerExtent) {
    const layer = create.call(this, feat, pxPerExtent);
    // Leaflet ≥ 1.8 treats a small circle marker as a marker and asks it for its latlng, which a tile's
    // point symbolizer does not have: without this every click on a point throws. The map then
    // takes the position from the mouse event instead.
    if (feat.type === 1) layer.getLatLng = null;
    return layer;
  };
  const get = L.VectorGrid.Protobuf.prototype._getVectorTilePromise;
  L.VectorGrid.Protobuf.prototype._getVectorTilePromise = function (coords) {
    // A failed fetch would leave the tile "loading" forever and throw an unhandled rejection.
    return get
      .call(this, coords)
      .then((tile) => {
        for (const name in tile.layers) {
          for (const feature of tile.layers[name].features) {
            feature.properties = { ...feature.properties, _type: feature.type };
          }
        }
        return tile;
      })
      .catch((error) => {
        this.fire("tilefetcherror", { coords, error });
        return { layers: {} };
      });
  };
}

// A cluster of items below the aggregation zoom: a circle sized by its count, with the number on it.
const cellIcons = {};
export function cellIcon(count, color) {
  const key = `${count}|${color}`;
  if (cellIcons[key]) return cellIcons[key];
  const size = Math.round(Math.min(64, 22 + Math.sqrt(count) * 3.2));
  const label = count >= 10000 ? `${Math.round(count / 1000)}k` : String(count);
  const font = label.length > 3 ? 10 : 12;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}">` +
    `<circle cx="${size / 2}" cy="${size / 2}" r="${size / 2 - 2}" fill="${color}" fill-opacity="0.85" stroke="#fff" stroke-width="2"/>` +
    `<text x="50%" y="50%" dy="0.35em" text-anchor="middle" font-family="DejaVu Sans, Arial, sans-serif" ` +
    `font-weight="700" font-size="${font}" fill="#fff">${label}</text></svg>`;
  cellIcons[key] = L.icon({ iconUrl: `data:image/svg+xml,${encodeURIComponent(svg)}`, iconSize: [size, size] });
  return cellIcons[key];
}

const CLOCK_RINGS = { overdue: "#b91c1c", due_soon: "#d97706" };

// The VectorGrid style function of one layer (from /api/v1/layers/).
export function tileStyle(layer) {
  const below = layer.aggregate_below_zoom || 0;
  const colors = Object.fromEntries(layer.statuses.map((s) => [s.code, s.color]));
  return (props, zoom) => {
    if (props.count !== undefined && (zoom < below || props.id === undefined)) {
      return { icon: cellIcon(Number(props.count), layer.color) };
    }
    const color = colors[props.status] || layer.color;
    if (props._type === 2) return { color, weight: 4, opacity: 0.9 };
    if (props._type === 3) return { color, weight: 2, fill: true, fillColor: color, fillOpacity: 0.35 };
    // Fix-Tbilisi reports carry their deadline clock: a red ring when overdue, amber when due soon.
    const ring = CLOCK_RINGS[props.clock];
    return {
      radius: zoom >= 16 ? 8 : 6,
      fill: true,
      fillColor: color,
      fillOpacity: 0.9,
      color: ring || "#fff",
      weight: ring ? 3 : 1.5,
    };
  };
}
