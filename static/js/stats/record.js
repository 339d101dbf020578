// The response record's trend: received reports as bars, the on-time shares as lines (the table
// below holds the same figures, and the page works without this).
const data = JSON.parse(document.getElementById("record-data")?.textContent || "null");
const canvas = document.getElementById("record-chart");
if (data && canvas && window.Chart) {
  canvas.closest("figure").hidden = false;
  new window.Chart(canvas, {
    data: {
      labels: data.labels,
      datasets: [
        { type: "bar", label: data.names[0], data: data.received, backgroundColor: "#0b5d69", yAxisID: "count" },
        { type: "line", label: data.names[1], data: data.acknowledged, borderColor: "#e4572e", yAxisID: "share", spanGaps: false },
        { type: "line", label: data.names[2], data: data.resolved, borderColor: "#7c3aed", yAxisID: "share", spanGaps: false },
      ],
    },
    options: {
      responsive: true, maintainAspectRatio: false, animation: false,
      scales: { count: { beginAtZero: true, position: "left", ticks: { precision: 0 } }, share: { min: 0, max: 100, position: "right" } },
    },
  });
}
