/* trucewatch events page: filters update the table in place (and the address, for bookmarking). */
"use strict";
(function () {
  const data = TW.data("page-data");
  const form = document.getElementById("filters");
  const tbody = document.querySelector("#events-table tbody");
  const count = document.getElementById("count");
  const error = document.getElementById("error");
  const prev = document.getElementById("prev");
  const next = document.getElementById("next");
  let offset = data.offset;
  let total = Number(count.dataset.total || 0);

  function query() {
    const q = new URLSearchParams();
    for (const [key, value] of new FormData(form)) if (value !== "") q.set(key, value);
    return q;
  }

  function pager() {
    prev.hidden = offset <= 0;
    next.hidden = offset + data.limit >= total;
  }

  async function update(at) {
    offset = Math.max(0, at);
    const q = query();
    const api = new URLSearchParams(q);
    api.set("limit", data.limit);
    api.set("offset", offset);
    try {
      const page = await TW.fetchJSON(`${data.api}?${api}`);
      total = page.total;
      TW.renderRows(tbody, page.items, data.colors, true);
      const shown = page.items.length ? `${offset + 1}–${offset + page.items.length} of ` : "";
      count.textContent = `${shown}${page.total} event${page.total === 1 ? "" : "s"}`;
      error.textContent = "";
      if (offset) q.set("offset", offset);
      history.replaceState(null, "", `?${q}`);
      for (const chip of document.querySelectorAll("[data-filter-type]")) {
        chip.setAttribute("aria-pressed", String(chip.dataset.filterType === (q.get("type") || "")));
      }
    } catch (e) {
      error.textContent = e.message;
    }
    pager();
  }

  form.addEventListener("submit", (event) => { event.preventDefault(); update(0); });
  form.addEventListener("change", (event) => {
    if (event.target.matches("select, input[type=checkbox]")) update(0);
  });
  for (const chip of document.querySelectorAll("[data-filter-type]")) {
    chip.addEventListener("click", (event) => {
      event.preventDefault();
      form.elements.type.value = chip.dataset.filterType;
      update(0);
    });
  }
  prev.addEventListener("click", (event) => { event.preventDefault(); update(offset - data.limit); });
  next.addEventListener("click", (event) => { event.preventDefault(); update(offset + data.limit); });
  pager();
})();
