/* tieuchi charts: draws every <canvas data-chart="ID"> from the JSON in <script id="ID"
 * type="application/json"> (Django's json_script), with the vendored Chart.js. No inline script,
 * so the pages stay CSP-friendly; the same figures are always in a table next to the chart.
 *
 * JSON: {"type": "bar"|"line", "labels": [...], "values": [...], "max": number,
 *        "unit": "%" or "", "titles": [optional longer label per bar, for the tooltip]}
 * Several lines (programme trajectory): "series": [{"label": "...", "data": [...]}, ...] instead
 * of "values"; the first is solid, the next ones dashed, with a legend.
 */
(function () {
  "use strict";

  var language = document.documentElement.lang || "vi";
  var numbers = new Intl.NumberFormat(language === "vi" ? "vi-VN" : language, {
    maximumFractionDigits: 1,
  });
  var COLOURS = { bar: "#1e6b35", grid: "#d8dde3", ink: "#1b1f24" };

  function format(value, unit) {
    return numbers.format(value) + (unit && unit !== "%" ? " " + unit : unit || "");
  }

  function datasets(spec) {
    if (!spec.series) {
      return [
        {
          data: spec.values,
          backgroundColor: COLOURS.bar,
          borderColor: COLOURS.bar,
          maxBarThickness: 56,
        },
      ];
    }
    var colours = [COLOURS.bar, "#7a5200", "#0b5cad"];
    return spec.series.map(function (series, index) {
      var colour = colours[index % colours.length];
      return {
        label: series.label,
        data: series.data,
        borderColor: colour,
        backgroundColor: colour,
        borderDash: index ? [6, 4] : [],
        pointStyle: index ? "rectRot" : "circle",
        spanGaps: true,
      };
    });
  }

  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source || typeof window.Chart === "undefined") {
      return;
    }
    var spec = JSON.parse(source.textContent);
    var unit = spec.unit || "";
    var titles = spec.titles || [];
    var chart = new window.Chart(canvas, {
      type: spec.type || "bar",
      data: {
        labels: spec.labels,
        datasets: datasets(spec),
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: {
          legend: { display: Boolean(spec.series) },
          tooltip: {
            callbacks: {
              title: function (items) {
                var index = items[0].dataIndex;
                return titles[index] ? spec.labels[index] + ". " + titles[index] : spec.labels[index];
              },
              label: function (item) {
                return format(item.parsed.y, unit);
              },
            },
          },
        },
        scales: {
          x: { ticks: { color: COLOURS.ink }, grid: { display: false } },
          y: {
            beginAtZero: true,
            max: spec.max || undefined,
            ticks: {
              color: COLOURS.ink,
              precision: 0,
              callback: function (value) {
                return format(value, unit);
              },
            },
            grid: { color: COLOURS.grid },
          },
        },
      },
    });
    canvas.dataset.drawn = chart ? "true" : "false";
  }

  function drawAll() {
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
