// The map's tools: measure a distance, measure an area, count what is inside a drawn shape, and
// copy the link to this view. One tool is active at a time; its result shows in the tool box.
import { fitAreaForUrl } from "./area_url.js";
import { copyText } from "./copy.js";
import { ShapeDrawer, pathLength, sphericalArea } from "./draw.js";
import { area, distance, gettext, h, interpolate, number, postJSON } from "./format.js";

const ICONS = {
  distance: '<path d="M3 17 17 3l4 4L7 21z" fill="none" stroke="currentColor" stroke-width="2"/><path d="m7 13 2 2m1-5 2 2m1-5 2 2" stroke="currentColor" stroke-width="2"/>',
  area: '<path d="M4 8 12 3l8 5-3 12H7z" fill="currentColor" fill-opacity=".2" stroke="currentColor" stroke-width="2" stroke-linejoin="round"/>',
  count: '<path d="M4 8 12 3l8 5-3 12H7z" fill="none" stroke="currentColor" stroke-width="2" stroke-dasharray="3 2"/><circle cx="10" cy="11" r="1.8" fill="currentColor"/><circle cx="14" cy="14" r="1.8" fill="currentColor"/><circle cx="12" cy="8" r="1.8" fill="currentColor"/>',
  link: '<path d="M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1.2 1.2M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1.2-1.2" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"/>',
};

function icon(name) {
  const span = document.createElement("span");
  span.setAttribute("aria-hidden", "true");
  span.innerHTML = `<svg viewBox="0 0 24 24" width="20" height="20">${ICONS[name]}</svg>`;
  return span;
}

export class MapTools {
  constructor(map, { layers, box, link, statisticsUrl }) {
    this.map = map;
    this.link = link || (() => location.href);
    this.statisticsUrl = statisticsUrl || null;
    this.layers = layers;
    this.box = box;
    this.current = null;
    this.drawer = null;
    this.buttons = {};
  }

  addTo(map) {
    const tools = this;
    const Control = L.Control.extend({
      options: { position: "topright" },
      onAdd() {
        const bar = L.DomUtil.create("div", "leaflet-bar map-tools");
        bar.setAttribute("role", "toolbar");
        bar.setAttribute("aria-label", gettext("Map tools"));
        const add = (name, label, onClick, pressable = true) => {
          const button = h("button", { type: "button", title: label, "aria-label": label, "data-tool": name });
          if (pressable) button.setAttribute("aria-pressed", "false");
          button.append(icon(name));
          button.addEventListener("click", onClick);
          bar.append(button);
          tools.buttons[name] = button;
        };
        add("distance", gettext("Measure a distance"), () => tools.toggle("distance"));
        add("area", gettext("Measure an area"), () => tools.toggle("area"));
        add("count", gettext("Count what is inside an area"), () => tools.toggle("count"));
        add("link", gettext("Copy the link to this view"), () => tools.copyLink(), false);
        L.DomEvent.disableClickPropagation(bar);
        return bar;
      },
    });
    new Control().addTo(map);
    return this;
  }

  toggle(name) {
    if (this.current === name) this.stop();
    else this.start(name);
  }

  start(name) {
    this.stop();
    this.current = name;
    this.buttons[name].setAttribute("aria-pressed", "true");
    const kind = name === "distance" ? "line" : "polygon";
    this.drawer = new ShapeDrawer(this.map, { kind, color: name === "count" ? "#7c3aed" : "#0b5d69" });
    this.drawer.on("change", (e) => this.changed(e.latlngs));
    this.drawer.on("finish", (e) => this.finished(e));
    this.drawer.on("cancel", () => this.stop());
    this.drawer.start();
    this.render(this.hint());
  }

  stop() {
    if (this.drawer) this.drawer.clear();
    if (this.label) this.label.remove();
    this.drawer = null;
    this.label = null;
    if (this.current) this.buttons[this.current].setAttribute("aria-pressed", "false");
    this.current = null;
    this.box.hidden = true;
    this.box.replaceChildren();
  }

  title() {
    return {
      distance: gettext("Measure a distance"),
      area: gettext("Measure an area"),
      count: gettext("Count what is inside an area"),
    }[this.current];
  }

  hint() {
    return this.current === "distance"
      ? gettext("Click on the map to add points. Double-click or press Finish to end.")
      : gettext("Click on the map to add corners. Click the first corner, double-click or press Finish to close the shape.");
  }

  render(...content) {
    const drawing = this.drawer && this.drawer.active;
    const enough = this.drawer && this.drawer.latlngs.length >= this.drawer.minimum;
    this.box.hidden = false;
    this.box.replaceChildren(
      h("h2", { class: "tool-title" }, this.title()),
      h("div", { class: "tool-result", role: "status", "aria-live": "polite" }, ...content),
      h(
        "p",
        { class: "tool-actions" },
        drawing ? h("button", { type: "button", onclick: () => this.drawer.undo(), disabled: !this.drawer.latlngs.length }, gettext("Undo")) : null,
        drawing ? h("button", { type: "button", class: "primary", onclick: () => this.drawer.finish(), disabled: !enough }, gettext("Finish")) : null,
        !drawing ? h("button", { type: "button", onclick: () => this.start(this.current) }, gettext("Start again")) : null,
        h("button", { type: "button", onclick: () => this.stop() }, gettext("Close")),
      ),
    );
  }

  measure(latlngs) {
    if (this.current === "distance") return latlngs.length > 1 ? distance(pathLength(latlngs)) : "";
    if (latlngs.length < 3) return "";
    return area(sphericalArea(latlngs));
  }

  changed(latlngs) {
    const text = this.measure(latlngs);
    if (this.label) this.label.remove();
    this.label = null;
    if (text && this.current !== "count") {
      // The running total rides on the last point, as on a paper map's ruler.
      this.label = L.tooltip({ permanent: true, direction: "right", className: "measure-label", offset: [8, 0] })
        .setLatLng(latlngs[latlngs.length - 1])
        .setContent(text)
        .addTo(this.map);
    }
    if (this.current === "count") this.render(this.hint());
    else this.render(text ? h("p", { class: "measure-value" }, text) : this.hint());
  }

  finished(e) {
    if (this.current === "count") this.count(e.geojson);
    else this.render(h("p", { class: "measure-value" }, this.measure(e.latlngs)));
  }

  async count(geojson) {
    const layers = this.layers.layers;
    if (!layers.length) {
      this.render(h("p", {}, gettext("The map layers are not available, so nothing can be counted.")));
      return;
    }
    this.render(h("p", {}, gettext("Counting…")));
    const results = await Promise.all(
      layers.map(async (layer) => {
        const filters = this.layers.countFilters(layer.slug);
        if ((filters.status || []).includes("-")) return { layer, result: { total: 0, by_status: {} } };
        try {
          const result = await postJSON(`/api/v1/layers/${encodeURIComponent(layer.slug)}/count/`, { area: geojson, ...filters });
          return { layer, result };
        } catch (error) {
          return { layer, error };
        }
      }),
    );
    // A refused shape is refused by every layer alike (one area rule): say why, once.
    const refused = results.map(({ error }) => error?.body?.errors?.area?.[0]).find(Boolean);
    if (refused) {
      this.render(h("p", { class: "errorbox count-refused", role: "alert" }, refused));
      return;
    }
    const rows = results.map(({ layer, result, error }) => {
      const filtered = this.layers.activeFilterCount(layer.slug) > 0;
      const statuses = result
        ? layer.statuses
            .filter((s) => (result.by_status || {})[s.code])
            .map((s) =>
              h(
                "li",
                {},
                h("span", { class: "dot", style: `background:${s.color}`, "aria-hidden": "true" }),
                ` ${s.label}: `,
                h("strong", {}, number(result.by_status[s.code])),
              ),
            )
        : [];
      return h(
        "li",
        { class: "count-row", "data-layer": layer.slug },
        h("span", { class: "swatch", style: `background:${layer.color}`, "aria-hidden": "true" }),
        h("span", { class: "count-name" }, layer.name, filtered ? h("span", { class: "help" }, ` (${gettext("filtered")})`) : null),
        h("strong", { class: "count-total" }, error ? gettext("unavailable") : number(result.total)),
        statuses.length ? h("ul", { class: "count-statuses" }, statuses) : null,
      );
    });
    this.render(
      h("p", {}, gettext("Inside the shape:")),
      h("ul", { class: "count-list" }, rows),
      h("p", { class: "help" }, area(sphericalArea(this.drawer.latlngs))),
      this.statisticsLink(geojson, layers),
    );
  }

  // The same shape on the statistics page, where it can be grouped by period, status or kind and
  // compared with another period or area. A URL, not a POST: the page's form is its permalink.
  statisticsLink(geojson, layers) {
    if (!this.statisticsUrl) return null;
    // A shape too long for a URL is simplified to fit (area_url.js), or refused with the reason.
    const fitted = fitAreaForUrl(geojson);
    if (fitted.error) {
      return h("p", { class: "help", id: "count-statistics-refused" }, gettext("This shape has too many corners to open in the statistics; draw it with fewer corners."));
    }
    const params = new URLSearchParams({
      layer: layers.map((layer) => layer.slug).join(","),
      territory: "area",
      area: JSON.stringify(fitted.geojson),
      group: "status",
    });
    const href = `${this.statisticsUrl}?${params}#answer-title`;
    const corners = fitted.geojson.coordinates[0].length - 1;
    return h(
      "p",
      { class: "count-statistics" },
      h("a", { href, "data-action": "area-statistics" }, gettext("Statistics for this area")),
      fitted.simplified
        ? h("span", { class: "help" }, " ", interpolate(gettext("(the shape simplified to %(n)s corners to fit in the link)"), { n: number(corners) }, true))
        : null,
    );
  }

  async copyLink() {
    const ok = await copyText(this.link());
    const button = this.buttons.link;
    const text = ok ? gettext("Link copied") : gettext("Copy the link from the address bar");
    button.setAttribute("data-copied", ok ? "true" : "false");
    this.flash(text);
  }

  flash(text) {
    const note = document.getElementById("map-announce");
    if (note) {
      note.textContent = text;
      note.hidden = false;
      clearTimeout(this.flashTimer);
      this.flashTimer = setTimeout(() => (note.hidden = true), 3000);
    }
  }
}
