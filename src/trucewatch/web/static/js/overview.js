/* trucewatch overview: the timeline; clicking a bar lists that week's events of that type below. */
"use strict";
(function () {
  const data = TW.data("page-data");
  const table = document.getElementById("events-table");
  const tbody = table.querySelector("tbody");
  const status = document.getElementById("pick-status");
  const more = document.getElementById("pick-more");
  const clear = document.getElementById("pick-clear");
  const latest = Array.from(tbody.children);
  const latestText = status.textContent;

  async function pick(selection) {
    if (!selection) {
      tbody.replaceChildren(...latest);
      status.textContent = latestText;
      clear.hidden = true;
      more.hidden = true;
      return;
    }
    const query = new URLSearchParams({ type: selection.type, since: selection.since, until: selection.until });
    const page = await TW.fetchJSON(`${data.api}?${query}&limit=50`);
    TW.renderRows(tbody, page.items, data.colors, true);
    status.textContent = `${page.total} event${page.total === 1 ? "" : "s"}: ${selection.label}`;
    more.setAttribute("href", `/events?${query}`);
    more.hidden = false;
    clear.hidden = false;
  }

  function fail(error) {
    status.textContent = `Could not load events: ${error.message}`;
  }

  /** The standing truces' days of calm, when the page was sent before the truce records were built. */
  function standing(truces) {
    const host = document.getElementById("calm");
    const cards = truces.standing.map((c) => TW.el("div", { class: "card calm" },
      TW.el("a", { href: `/truces/${encodeURIComponent(c.id)}` }, c.id), TW.el("div", {}, c.label),
      TW.el("b", { class: "days" }, c.days_of_calm === null ? "?" : String(c.days_of_calm)), " days of calm",
      TW.el("div", { class: "muted" }, c.status + (c.start ? `, since ${c.start}` : ""))));
    host.replaceChildren(...(cards.length ? cards : [TW.el("p", { class: "muted" }, "No truce is standing.")]));
    host.dataset.state = "ready";
  }

  let chart = null;
  if (data.timeline.periods.length) {
    const bands = data.truces ? data.truces.bands : [];
    chart = TW.timeline(document.getElementById("timeline"), data.timeline, bands, (s) => pick(s).catch(fail));
  }
  /** Ask for the truce records until they are built (the server answers 503 while it builds them). */
  async function truces() {
    for (;;) {
      const response = await fetch(data.truces_api, { headers: { Accept: "application/json" } });
      const body = await response.json();
      if (response.ok) return body;
      if (response.status !== 503) throw new Error(body.error ? body.error.message : response.statusText);
      await new Promise((resolve) => setTimeout(resolve, 15000));
    }
  }

  if (!data.truces) {
    truces().then((found) => {
      standing(found);
      if (chart) {
        chart.options.plugins.truceBands.bands = found.bands;
        chart.update("none");
      }
    }).catch((e) => {
      document.getElementById("calm").replaceChildren(TW.el("p", { class: "error" }, `Truce records: ${e.message}`));
    });
  }
  clear.addEventListener("click", () => pick(null));
})();
