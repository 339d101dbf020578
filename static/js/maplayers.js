// The layers panel: each information layer from /api/v1/layers/ with a toggle, its legend (status
// colours and counts) and its filters; toggled layers are drawn from the API's vector tiles with
// Leaflet.VectorGrid (see vectortiles.js), and a click on a feature opens a popup with the item's
// summary. If the API or a tile fails, the panel says so and the rest of the map (districts, tools) goes on.
import { date, fetchJSON, gettext, h, interpolate, LANG, localized, ngettext, number } from "./format.js";
import { patchVectorGrid, tileStyle } from "./vectortiles.js";

export const FILTER_NAMES = ["status", "district", "from", "to", "q"];

export class MapLayers {
  constructor(map, { apiUrl, panel, onChange, status }) {
    this.map = map;
    this.apiUrl = apiUrl;
    this.panel = panel;
    this.onChange = onChange || (() => {});
    this.status = status || (() => {});
    this.layers = []; // API descriptions, in the API's order
    this.visible = new Set();
    this.filters = {}; // slug -> {status: [], district, from, to, q}
    this.grids = {}; // slug -> VectorGrid
    this.tileErrors = 0;
    this.districts = [];
    patchVectorGrid();
    // Items above the districts' overlay pane, so a click on a permit reaches the permit.
    map.createPane("items").style.zIndex = 450;
  }

  async load(initial) {
    const list = this.panel.querySelector(".layer-list");
    const note = this.panel.querySelector(".panel-note");
    note.textContent = gettext("Loading the layers…");
    try {
      this.layers = await fetchJSON(this.apiUrl);
    } catch (error) {
      note.textContent = gettext("The map layers could not be loaded. Districts and tools still work.");
      this.panel.dataset.layersFailed = "true";
      return;
    }
    note.textContent = "";
    for (const slug of Object.keys(initial.filters)) this.filters[slug] = { ...initial.filters[slug] };
    list.replaceChildren(...this.layers.map((layer) => this.row(layer)));
    this.quiet = true; // restoring the permalink is not a change to report
    for (const slug of initial.layers) {
      const layer = this.byslug(slug);
      if (!layer) continue;
      this.panel.querySelector(`input[data-layer-toggle="${CSS.escape(slug)}"]`).checked = true;
      this.show(layer);
    }
    this.quiet = false;
    this.panel.dataset.layersLoaded = String(this.layers.length);
  }

  setDistricts(features) {
    this.districts = features
      .map((f) => ({ number: f.properties.number, name: f.properties.name }))
      .filter((d) => d.number !== undefined)
      .sort((a, b) => a.number - b.number);
    for (const select of this.panel.querySelectorAll("select[data-filter=district]")) this.fillDistricts(select);
  }

  fillDistricts(select) {
    const current = this.filters[select.dataset.layer]?.district || "";
    select.replaceChildren(
      h("option", { value: "" }, gettext("All districts")),
      ...this.districts.map((d) => h("option", { value: String(d.number) }, d.name)),
    );
    select.value = current;
  }

  byslug(slug) {
    return this.layers.find((layer) => layer.slug === slug);
  }

  state() {
    const layers = this.layers.filter((l) => this.visible.has(l.slug)).map((l) => l.slug);
    return { layers, filters: this.filters };
  }

  // One layer's row: toggle, then a disclosure with the legend (status filter) and the other filters.
  row(layer) {
    const id = `layer-${layer.slug}`;
    const f = (this.filters[layer.slug] = this.filters[layer.slug] || {});
    const chosen = new Set(f.status || []);
    const legend = h(
      "fieldset",
      { class: "legend" },
      h("legend", {}, gettext("Statuses")),
      ...layer.statuses.map((s) =>
        h(
          "label",
          { class: "check legend-item" },
          h("input", {
            type: "checkbox",
            value: s.code,
            checked: !chosen.size || chosen.has(s.code),
            "data-layer": layer.slug,
            "data-filter": "status",
            onchange: () => this.readFilters(layer.slug),
          }),
          h("span", { class: "dot", style: `background:${s.color}`, "aria-hidden": "true" }),
          h("span", { class: "legend-label" }, s.label),
          h("span", { class: "legend-count" }, number(s.count)),
        ),
      ),
    );
    const district = h("select", {
      id: `${id}-district`,
      "data-layer": layer.slug,
      "data-filter": "district",
      onchange: () => this.readFilters(layer.slug),
    });
    this.fillDistricts(district);
    const dateInput = (name, label) =>
      h(
        "p",
        { class: "filter-field" },
        h("label", { for: `${id}-${name}` }, label),
        h("input", {
          type: "date",
          id: `${id}-${name}`,
          value: f[name] || "",
          "data-layer": layer.slug,
          "data-filter": name,
          onchange: () => this.readFilters(layer.slug),
        }),
      );
    const text = h("input", {
      type: "search",
      id: `${id}-q`,
      value: f.q || "",
      maxlength: "100",
      "data-layer": layer.slug,
      "data-filter": "q",
      onchange: () => this.readFilters(layer.slug),
    });
    const filtered = this.activeFilterCount(layer.slug);
    return h(
      "li",
      { class: "layer-row", "data-layer": layer.slug },
      h(
        "div",
        { class: "layer-head" },
        h(
          "label",
          { class: "check layer-toggle", for: `${id}-on` },
          h("input", {
            type: "checkbox",
            id: `${id}-on`,
            "data-layer-toggle": layer.slug,
            onchange: (e) => (e.target.checked ? this.show(layer) : this.hide(layer)),
          }),
          h("span", { class: "swatch", style: `background:${layer.color}`, "aria-hidden": "true" }),
          h("span", { class: "layer-name" }, layer.name),
          h("span", { class: "layer-count" }, number(layer.count)),
        ),
      ),
      h(
        "details",
        { class: "layer-details", open: filtered > 0 },
        h(
          "summary",
          {},
          gettext("Legend and filters"),
          h("span", { class: "filter-count", "data-filter-count": layer.slug }, filtered ? ` (${filtered})` : ""),
        ),
        legend,
        h("p", { class: "filter-field" }, h("label", { for: `${id}-district` }, gettext("District")), district),
        h("div", { class: "filter-dates" }, dateInput("from", gettext("From")), dateInput("to", gettext("To"))),
        h("p", { class: "filter-field" }, h("label", { for: `${id}-q` }, gettext("Text")), text),
        h(
          "p",
          { class: "layer-links" },
          h("button", { type: "button", class: "linklike", onclick: () => this.clearFilters(layer.slug) }, gettext("Clear the filters")),
          h("a", { href: this.listUrl(layer.slug) }, gettext("List")),
        ),
      ),
    );
  }

  activeFilterCount(slug) {
    const f = this.filters[slug] || {};
    return FILTER_NAMES.filter((name) => (name === "status" ? (f.status || []).length : f[name])).length;
  }

  listUrl(slug) {
    const f = this.filters[slug] || {};
    const query = new URLSearchParams();
    for (const s of f.status || []) query.append("status", s);
    for (const name of ["district", "from", "to", "q"]) if (f[name]) query.set(name, f[name]);
    const qs = query.toString();
    return `/${LANG}/layers/${encodeURIComponent(slug)}/${qs ? `?${qs}` : ""}`;
  }

  readFilters(slug) {
    const layer = this.byslug(slug);
    const row = this.panel.querySelector(`.layer-row[data-layer="${CSS.escape(slug)}"]`);
    const boxes = [...row.querySelectorAll("input[data-filter=status]")];
    const checked = boxes.filter((b) => b.checked).map((b) => b.value);
    const f = {};
    // All statuses ticked is no filter at all; none ticked shows nothing (status=-).
    if (checked.length < boxes.length) f.status = checked.length ? checked : ["-"];
    for (const input of row.querySelectorAll("[data-filter]:not([data-filter=status])")) {
      if (input.value.trim()) f[input.dataset.filter] = input.value.trim();
    }
    if (f.from && f.to && f.from > f.to) {
      this.status(gettext("The end date is before the start date."));
      return;
    }
    this.filters[slug] = f;
    const count = this.activeFilterCount(slug);
    row.querySelector("[data-filter-count]").textContent = count ? ` (${count})` : "";
    row.querySelector(".layer-links a").href = this.listUrl(slug);
    if (this.grids[slug]) this.grids[slug].setUrl(this.tileUrl(layer));
    else if (count) {
      // Choosing a filter on a hidden layer shows it: that is what the person wants to see.
      row.querySelector("input[data-layer-toggle]").checked = true;
      this.show(layer);
    }
    this.onChange();
  }

  clearFilters(slug) {
    const row = this.panel.querySelector(`.layer-row[data-layer="${CSS.escape(slug)}"]`);
    for (const box of row.querySelectorAll("input[data-filter=status]")) box.checked = true;
    for (const input of row.querySelectorAll("[data-filter]:not([data-filter=status])")) input.value = "";
    this.readFilters(slug);
  }

  query(slug) {
    const f = this.filters[slug] || {};
    const query = new URLSearchParams();
    if ((f.status || []).length) query.set("status", f.status.join(","));
    for (const name of ["district", "from", "to", "q"]) if (f[name]) query.set(name, f[name]);
    return query;
  }

  tileUrl(layer) {
    const qs = this.query(layer.slug).toString();
    // Leaflet fills {z}/{x}/{y}; any other braces in a filter value would confuse it.
    return layer.tiles_url + (qs ? `?${qs.replace(/[{}]/g, encodeURIComponent)}` : "");
  }

  show(layer) {
    if (this.grids[layer.slug] || !window.L.vectorGrid) return;
    const grid = L.vectorGrid.protobuf(this.tileUrl(layer), {
      rendererFactory: L.svg.tile,
      interactive: true,
      pane: "items",
      vectorTileLayerStyles: { [layer.slug]: tileStyle(layer) },
      maxZoom: 19,
      fetchOptions: { credentials: "same-origin" },
      className: `vector-layer vector-${layer.slug}`,
    });
    grid.on("click", (e) => this.clicked(layer, e));
    grid.on("tilefetcherror", () => {
      this.tileErrors += 1;
      if (this.tileErrors === 3) this.status(gettext("Some map data could not be loaded. Try again later."));
    });
    grid.on("load", () => {
      const row = this.panel.querySelector(`.layer-row[data-layer="${CSS.escape(layer.slug)}"]`);
      if (row) row.dataset.tiles = "loaded";
    });
    grid.addTo(this.map);
    this.grids[layer.slug] = grid;
    this.visible.add(layer.slug);
    if (!this.quiet) this.onChange();
  }

  hide(layer) {
    const grid = this.grids[layer.slug];
    if (grid) grid.remove();
    delete this.grids[layer.slug];
    this.visible.delete(layer.slug);
    this.onChange();
  }

  clicked(layer, e) {
    if (L.DomUtil.hasClass(this.map.getContainer(), "is-drawing")) return; // the click is a corner
    const props = e.layer && e.layer.properties ? e.layer.properties : {};
    const latlng = e.latlng || this.map.mouseEventToLatLng(e.originalEvent);
    if (props.id === undefined && props.count !== undefined) {
      // An aggregated cell: zoom in towards it until the single items show.
      const target = Math.max(this.map.getZoom() + 2, Math.min(layer.aggregate_below_zoom || 0, this.map.getMaxZoom()));
      this.map.setView(latlng, Math.min(target, this.map.getMaxZoom()));
      return;
    }
    if (props.id !== undefined) this.openPopup(layer.slug, props.id, latlng);
  }

  async openPopup(slug, id, latlng) {
    const layer = this.byslug(slug);
    const fallback = `/${LANG}/layers/${encodeURIComponent(slug)}/${encodeURIComponent(id)}/`;
    const popup = L.popup({ maxWidth: 300, className: "item-popup", autoPanPaddingTopLeft: [10, 80], autoPanPaddingBottomRight: [60, 20] })
      .setLatLng(latlng)
      .setContent(h("p", { class: "popup-loading", role: "status" }, gettext("Loading…")))
      .openOn(this.map);
    let feature;
    try {
      const base = layer?.features_url || `/api/v1/layers/${encodeURIComponent(slug)}/features/`;
      feature = await fetchJSON(`${base}${encodeURIComponent(id)}/`);
    } catch (error) {
      popup.setContent(
        h(
          "div",
          { class: "popup-body" },
          h("p", {}, gettext("The details could not be loaded.")),
          h("a", { href: fallback, class: "popup-link" }, gettext("Open the page")),
        ),
      );
      return;
    }
    const p = feature.properties || {};
    const color = (layer?.statuses.find((s) => s.code === p.status) || {}).color || layer?.color || "#666";
    popup.setContent(
      h(
        "div",
        { class: "popup-body" },
        h("p", { class: "popup-layer" }, layer ? layer.name : ""),
        h("p", { class: "popup-ref" }, p.reference || ""),
        p.title ? h("h2", { class: "popup-title" }, p.title) : null,
        h(
          "p",
          { class: "popup-status" },
          h("span", { class: "badge" }, h("span", { class: "dot", style: `background:${color}`, "aria-hidden": "true" }), p.status_label || p.status),
          p.status_since ? h("span", { class: "popup-date" }, interpolate(gettext("since %(date)s"), { date: date(p.status_since) }, true)) : null,
        ),
        p.address ? h("p", { class: "popup-address" }, p.address) : null,
        p.district ? h("p", { class: "popup-district" }, interpolate(gettext("District: %(name)s"), { name: districtName(p.district) }, true)) : null,
        h("a", { href: localized(p.url) || fallback, class: "popup-link" }, gettext("Open the page") + " →"),
      ),
    );
    popup.update();
  }

  // The area tool counts every layer inside a shape with the filters the person has set.
  countFilters(slug) {
    const f = this.filters[slug] || {};
    const body = {};
    if ((f.status || []).length) body.status = f.status;
    for (const name of ["district", "from", "to", "q"]) if (f[name]) body[name] = name === "district" ? Number(f[name]) : f[name];
    return body;
  }
}

function districtName(value) {
  if (value && typeof value === "object") return value.name || value.name_ka || value.name_en || "";
  return value;
}

export const plural = (n, one, many) => interpolate(ngettext(one, many, n), { n: number(n) }, true);
