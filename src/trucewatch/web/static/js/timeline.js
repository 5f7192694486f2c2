/* trucewatch: the weekly timeline (Chart.js stacked bars by event type) with truce windows shaded.
 * TW.timeline(canvas, timeline, bands, onPick): onPick({type, since, until, label}) is called when a
 * bar is clicked, with the week (Monday..Sunday) and the type of the clicked bar. */
"use strict";
(function () {
  const TW = (window.TW = window.TW || {});
  const DAY = 86400000;

  function weekIndex(weeks, isoDay) {
    const first = Date.parse(`${weeks[0]}T00:00:00Z`);
    return Math.floor((Date.parse(`${isoDay}T00:00:00Z`) - first) / (7 * DAY));
  }

  /** Shades each truce window behind the bars and names it at the top. */
  const truceBands = {
    id: "truceBands",
    beforeDatasetsDraw(chart, _args, options) {
      const weeks = chart.data.labels;
      const bands = options.bands || [];
      if (!weeks.length || !bands.length) return;
      const { ctx, chartArea: area, scales } = chart;
      const x = scales.x;
      const step = weeks.length > 1 ? x.getPixelForValue(1) - x.getPixelForValue(0) : area.right - area.left;
      ctx.save();
      bands.forEach((band, k) => {
        const i0 = Math.max(0, weekIndex(weeks, band.start));
        const i1 = Math.min(weeks.length - 1, weekIndex(weeks, band.end));
        if (i1 < 0 || i0 > weeks.length - 1 || i1 < i0) return;
        const left = Math.max(area.left, x.getPixelForValue(i0) - step / 2);
        const right = Math.min(area.right, x.getPixelForValue(i1) + step / 2);
        ctx.fillStyle = band.open ? "rgba(44,160,44,0.20)" : "rgba(44,160,44,0.11)";
        ctx.fillRect(left, area.top, Math.max(2, right - left), area.bottom - area.top);
        ctx.fillStyle = "#1f5f1f";
        ctx.font = "11px system-ui, sans-serif";
        ctx.fillText(band.id, left + 3, area.top + 12 + (k % 4) * 12, Math.max(40, right - left + 60));
      });
      ctx.restore();
    },
  };

  TW.timeline = function (canvas, timeline, bands, onPick) {
    if (typeof Chart === "undefined") throw new Error("Chart.js is not loaded");
    const weeks = timeline.periods;
    const chart = new Chart(canvas, {
      type: "bar",
      data: {
        labels: weeks,
        datasets: timeline.series.map((s) => ({
          label: s.type.replace("_", " "), data: s.counts, backgroundColor: s.color,
          borderWidth: 0, barPercentage: 1.0, categoryPercentage: 0.9, _type: s.type,
        })),
      },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false,
        interaction: { mode: "nearest", intersect: true },
        scales: {
          x: { stacked: true, grid: { display: false },
               ticks: { autoSkip: true, maxTicksLimit: 14, maxRotation: 0,
                        callback(value) { return weeks[value] ? weeks[value].slice(0, 7) : ""; } } },
          y: { stacked: true, beginAtZero: true, title: { display: true, text: "events per week" },
               ticks: { precision: 0 } },
        },
        plugins: {
          truceBands: { bands: bands || [] },
          legend: { position: "bottom" },
          tooltip: { callbacks: { title: (items) => items.length ? `week of ${weeks[items[0].dataIndex]}` : "" } },
        },
        onClick(_event, elements) {
          if (!onPick) return;
          if (!elements.length) { onPick(null); return; }
          const hit = elements[0];
          const week = weeks[hit.index];
          const type = chart.data.datasets[hit.datasetIndex]._type;
          onPick({ type, since: week, until: TW.weekEnd(week), label: `${type.replace("_", " ")}, week of ${week}` });
        },
      },
      plugins: [truceBands],
    });
    canvas.dataset.ready = "true";
    return chart;
  };
})();
