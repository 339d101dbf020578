// The search box: places from the gazetteer and items from every layer (/api/v1/search/), as an
// ARIA combobox: type, move with ↑/↓, choose with Enter (or a click), close with Escape.
import { fetchJSON, gettext, h, interpolate, ngettext } from "./format.js";

export class Search {
  constructor(form, { map, layers = null, url, onChoose = null }) {
    this.form = form;
    this.map = map;
    this.layers = layers; // the map page's layers panel; pages without one search places and items alike
    this.url = url;
    this.onChoose = onChoose;
    this.input = form.querySelector("input[type=search]");
    this.list = form.querySelector("[role=listbox]");
    this.note = form.querySelector(".search-note");
    this.results = [];
    this.active = -1;
    this.timer = null;
    this.controller = null;
    this.marker = null;
    this.input.addEventListener("input", () => this.schedule());
    this.input.addEventListener("keydown", (e) => this.key(e));
    this.input.addEventListener("focus", () => this.results.length && this.open());
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      if (this.results.length) this.choose(Math.max(this.active, 0));
      else this.run();
    });
    document.addEventListener("click", (e) => {
      if (form.contains(e.target)) return;
      this.close();
      if (!this.note.classList.contains("visually-hidden")) this.say("");
    });
  }

  schedule() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.run(), 250);
  }

  async run() {
    const q = this.input.value.trim();
    if (this.controller) this.controller.abort();
    if (q.length < 2) {
      this.show([]);
      this.say("");
      return;
    }
    this.controller = new AbortController();
    this.form.setAttribute("aria-busy", "true");
    try {
      const results = await fetchJSON(`${this.url}?q=${encodeURIComponent(q)}`, { signal: this.controller.signal });
      this.show(Array.isArray(results) ? results : results.results || []);
      this.say(
        this.results.length
          ? interpolate(ngettext("%(n)s result", "%(n)s results", this.results.length), { n: this.results.length }, true)
          : gettext("Nothing found. Try another spelling, in Georgian or Latin letters."),
      );
    } catch (error) {
      if (error.name === "AbortError") return;
      this.show([]);
      this.say(gettext("Search is not available right now."));
    } finally {
      this.form.removeAttribute("aria-busy");
    }
  }

  // Problems show under the box; "Showing …" is only announced, so it never covers the map.
  say(text, visible = true) {
    this.note.textContent = text;
    this.note.hidden = !text;
    this.note.classList.toggle("visually-hidden", !visible);
  }

  show(results) {
    this.results = results.slice(0, 12);
    this.active = -1;
    this.input.removeAttribute("aria-activedescendant");
    this.list.replaceChildren(
      ...this.results.map((r, i) =>
        h(
          "li",
          {
            role: "option",
            id: `search-option-${i}`,
            "aria-selected": "false",
            class: `search-option search-${r.type}`,
            onmousedown: (e) => e.preventDefault(), // keep focus in the input
            onclick: () => this.choose(i),
          },
          h("span", { class: "search-label" }, r.label),
          r.sublabel ? h("span", { class: "search-sublabel" }, r.sublabel) : null,
          h("span", { class: "search-type" }, r.type === "place" ? gettext("place") : this.layerName(r.layer)),
        ),
      ),
    );
    if (this.results.length) this.open();
    else this.close();
  }

  layerName(slug) {
    const layer = this.layers && this.layers.byslug(slug);
    return layer ? layer.name : gettext("item");
  }

  open() {
    this.list.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
  }

  close() {
    this.list.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
  }

  move(step) {
    if (!this.results.length) return;
    this.open();
    const options = this.list.querySelectorAll("[role=option]");
    if (this.active >= 0) options[this.active].setAttribute("aria-selected", "false");
    this.active = (this.active + step + this.results.length) % this.results.length;
    const option = options[this.active];
    option.setAttribute("aria-selected", "true");
    option.scrollIntoView({ block: "nearest" });
    this.input.setAttribute("aria-activedescendant", option.id);
  }

  key(e) {
    if (e.key === "ArrowDown") {
      e.preventDefault();
      this.move(1);
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      this.move(-1);
    } else if (e.key === "Escape") {
      if (!this.list.hidden) this.close();
      else this.input.value = "";
      this.say("");
    }
  }

  choose(index) {
    const r = this.results[index];
    if (!r) return;
    this.close();
    this.input.value = r.label;
    const latlng = L.latLng(Number(r.lat), Number(r.lon));
    const bbox = Array.isArray(r.bbox) && r.bbox.length === 4 ? r.bbox.map(Number) : null;
    if (bbox && (bbox[0] !== bbox[2] || bbox[1] !== bbox[3])) {
      this.map.flyToBounds([[bbox[1], bbox[0]], [bbox[3], bbox[2]]], { maxZoom: 17, duration: 0.8 });
    } else {
      this.map.flyTo(latlng, Math.max(this.map.getZoom(), 17), { duration: 0.8 });
    }
    if (this.marker) this.marker.remove();
    this.marker = L.circleMarker(latlng, { radius: 10, color: "#7c3aed", weight: 3, fillOpacity: 0.15, className: "search-hit" })
      .bindTooltip(r.label, { direction: "top", offset: [0, -8] })
      .addTo(this.map);
    if (this.onChoose) this.onChoose(r, latlng);
    if (this.layers && r.type === "item" && r.layer && r.id !== undefined && r.id !== null) {
      this.map.once("moveend", () => this.layers.openPopup(r.layer, r.id, latlng));
    } else {
      this.map.once("moveend", () => this.marker && this.marker.openTooltip());
    }
    this.say(interpolate(gettext("Showing %(name)s"), { name: r.label }, true), false);
  }
}
