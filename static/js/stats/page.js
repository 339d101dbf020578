// The statistics page: the chart of the answer's table, the choropleth for "by district", drawing
// an area for the question, and the comparison fields shown only when a comparison is chosen.
// Everything here is an addition: the form and the table work without it.
import { fitAreaForUrl } from "../area_url.js";
import { ShapeDrawer } from "../draw.js";
import { gettext, number } from "../format.js";

const form = document.getElementById("stats-form");
const data = JSON.parse(document.getElementById("stats-data")?.textContent || "null");
const TIME_GROUPS = ["month", "quarter", "year"];
const COLORS = ["#0b5d69", "#e4572e", "#7c3aed", "#15803d"];

function showCompareFields() {
  const chosen = form.elements.compare.value;
  form.querySelectorAll("[data-compare]").forEach((p) => {
    p.hidden = p.dataset.compare !== chosen;
  });
}

function rowLabel(row) {
  const layers = new Set(data.rows.map((r) => r.layer));
  return layers.size > 1 ? `${row.layer_name}: ${row.label}` : row.label;
}

function drawChart() {
  const canvas = document.getElementById("stats-chart");
  if (!data || !canvas || !window.Chart || !data.rows.length) return;
  canvas.closest("figure").hidden = false;
  const line = TIME_GROUPS.includes(data.group) && data.rows.length > 1;
  canvas.chart = new window.Chart(canvas, {
    type: line ? "line" : "bar",
    data: {
      labels: data.rows.map(rowLabel),
      datasets: data.columns.map((label, i) => ({
        label,
        data: data.rows.map((r) => r.values[i]),
        backgroundColor: COLORS[i],
        borderColor: COLORS[i],
      })),
    },
    options: { responsive: true, maintainAspectRatio: false, animation: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
  });
}

function tileLayer(map) {
  const url = form.dataset.tileUrl;
  if (url) L.tileLayer(url, { maxZoom: 19, attribution: "&copy; OpenStreetMap contributors" }).addTo(map);
}

async function drawChoropleth() {
  const el = document.getElementById("stats-choropleth");
  if (!el || !data || !window.L) return;
  const response = await fetch(form.dataset.districtsUrl, { headers: { Accept: "application/json" } });
  if (!response.ok) return;
  const districts = await response.json();
  const counts = {};
  data.rows.forEach((r) => { counts[r.key] = (counts[r.key] || 0) + r.values[0]; });
  const most = Math.max(1, ...Object.values(counts));
  el.hidden = false;
  const map = L.map(el, { scrollWheelZoom: false });
  map.attributionControl.addAttribution(gettext("District boundaries © OpenStreetMap contributors"));
  tileLayer(map);
  const layer = L.geoJSON(districts, {
    style: (f) => {
      const share = (counts[String(f.properties.id)] || 0) / most;
      return { color: "#07434c", weight: 1, fillColor: "#e4572e", fillOpacity: 0.1 + 0.7 * share };
    },
    onEachFeature: (f, lyr) => lyr.bindTooltip(`${f.properties.name}: ${number(counts[String(f.properties.id)] || 0)}`),
  }).addTo(map);
  map.fitBounds(layer.getBounds());
  el.dataset.ready = "true";
}

function setUpDrawing() {
  const box = document.getElementById("stats-draw");
  let map = null;
  let drawer = null;
  let target = null;
  const selects = [form.elements.territory, form.elements.territory_b];
  function update() {
    const select = selects.find((s) => s.value === "area" && !s.closest("[hidden]"));
    box.hidden = !select;
    if (!select) return;
    target = document.getElementById(select.dataset.area);
    if (!map) {
      map = L.map("stats-draw-map").setView([41.7151, 44.8271], 12);
      tileLayer(map);
      drawer = new ShapeDrawer(map, { kind: "polygon", color: "#7c3aed" });
      const help = document.getElementById("stats-draw-help");
      const hint = help.textContent;
      drawer.on("finish", (e) => {
        // The area travels in the form's GET URL: it must fit there (area_url.js).
        const fitted = fitAreaForUrl(e.geojson);
        target.value = fitted.error ? "" : JSON.stringify(fitted.geojson);
        help.textContent = fitted.error ? gettext("This shape has too many corners to open in the statistics; draw it with fewer corners.") : hint;
      });
    }
    if (target.value) {
      try { map.fitBounds(L.geoJSON(JSON.parse(target.value)).addTo(map).getBounds()); } catch { /* a hand-edited URL */ }
    }
    drawer.start();
  }
  selects.forEach((s) => s.addEventListener("change", update));
  form.elements.compare.addEventListener("change", update);
  update();
}

if (form) {
  form.elements.compare.addEventListener("change", showCompareFields);
  showCompareFields();
  if (window.L) setUpDrawing();
  drawChart();
  drawChoropleth();
}
