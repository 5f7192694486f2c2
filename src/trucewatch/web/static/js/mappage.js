/* trucewatch map page: loads the shipped outlines from this server and draws the events. */
"use strict";
(async function () {
  const data = TW.data("page-data");
  const host = document.getElementById("map");
  try {
    const topology = await TW.fetchJSON(host.dataset.topojson);
    const map = TW.worldMap(host, topology, data, { info: document.getElementById("map-info"), links: true });
    for (const box of document.querySelectorAll("[data-toggle-type]")) {
      box.addEventListener("change", () => map.toggle(box.dataset.toggleType, box.checked));
    }
    document.getElementById("map-fit").addEventListener("click", () => map.fit());
    document.getElementById("map-world").addEventListener("click", () => map.world());
  } catch (e) {
    host.textContent = `The map could not be drawn: ${e.message}`;
  }
})();
