// The store analytics page's charts: bar charts (Chart.js, served from its npm package as
// /static/vendor/chartjs/chart.umd.min.js, which defines the global Chart) of the figures the page's
// tables show, from the page's JSON block (#analytics-data, labels already translated).

const PALETTE = ["#1f4e5f", "#d9822b", "#4f8a5b", "#8a4f7d", "#c9b458"];

/**
 * A grouped bar chart's configuration: one bar group per label, one dataset per series
 * ({label, values}); a value of null (nothing to show) is left out of its bar. ``max`` caps the axis.
 */
export function barConfig(labels, series, { max = undefined, horizontal = false } = {}) {
  return {
    type: "bar",
    data: {
      labels,
      datasets: series.map((s, i) => ({
        label: s.label,
        data: s.values.map((v) => (v === null || v === undefined ? null : Number(v))),
        backgroundColor: PALETTE[i % PALETTE.length],
      })),
    },
    options: {
      indexAxis: horizontal ? "y" : "x",
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: { [horizontal ? "x" : "y"]: { beginAtZero: true, ...(max === undefined ? {} : { max }) } },
    },
  };
}

function draw(id, config) {
  const canvas = document.getElementById(id);
  if (!canvas || config.data.labels.length === 0) return;
  new globalThis.Chart(canvas, config);
  canvas.dataset.drawn = "true";
}

if (typeof document !== "undefined" && globalThis.Chart) {
  const node = document.getElementById("analytics-data");
  const data = node ? JSON.parse(node.textContent) : null;
  if (data) {
    draw("chart-funnel", barConfig(data.stores, data.funnel));
    draw("chart-cases", barConfig(data.stores, data.cases));
    draw("chart-ratings", barConfig(data.staff, [data.ratings], { max: 5, horizontal: true }));
  }
}
