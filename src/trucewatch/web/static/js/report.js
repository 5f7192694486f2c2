/* trucewatch report: everything is in the file; the timeline filters the table below it in place. */
"use strict";
(function () {
  const data = TW.data("report-data");
  const rows = Array.from(document.querySelectorAll("#events-table tbody tr[data-type]"));
  const status = document.getElementById("pick-status");
  const clear = document.getElementById("pick-clear");
  const initial = status.textContent;

  /** Whether a date (YYYY[-MM[-DD]]) may fall in since..until: compared on their common prefix. */
  function overlaps(date, since, until) {
    if (!date) return false;
    const n = Math.min(date.length, since.length);
    return date.slice(0, n) >= since.slice(0, n) && date.slice(0, n) <= until.slice(0, n);
  }

  function pick(selection) {
    let shown = 0;
    for (const row of rows) {
      const keep = !selection || (row.dataset.type === selection.type && overlaps(row.dataset.date, selection.since, selection.until));
      row.hidden = !keep;
      if (keep) shown += 1;
    }
    status.textContent = selection ? `${shown} event${shown === 1 ? "" : "s"}: ${selection.label}` : initial;
    clear.hidden = !selection;
  }

  if (data.timeline.periods.length) TW.timeline(document.getElementById("timeline"), data.timeline, data.bands, pick);
  clear.addEventListener("click", () => pick(null));
  const host = document.getElementById("map");
  const map = TW.worldMap(host, TW.data("topology"), data.map, { info: document.getElementById("map-info"), links: false });
  for (const box of document.querySelectorAll("[data-toggle-type]")) {
    box.addEventListener("change", () => map.toggle(box.dataset.toggleType, box.checked));
  }
})();
