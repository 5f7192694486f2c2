/* trucewatch: helpers shared by every page and the offline report.
 * Text from reports is only ever written with textContent / text nodes (never innerHTML),
 * and links only get web or same-site addresses, so a hostile report stays text. */
"use strict";
(function () {
  const TW = (window.TW = window.TW || {});

  /** The JSON a page hands its scripts in <script type="application/json" id=...>. */
  TW.data = function (id) {
    const node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  };

  /** Same-site paths, fragments and http(s) addresses only: no javascript: or data: links. */
  TW.safeHref = function (href) {
    return typeof href === "string" && (/^https?:\/\//i.test(href) || /^[/?#](?!\/)/.test(href));
  };

  /** An element with attributes and children (strings become text nodes). */
  TW.el = function (tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key === "href") { if (TW.safeHref(value)) node.setAttribute("href", value); }
      else if (key === "style") node.style.cssText = value;
      else node.setAttribute(key, value);
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : String(child));
    }
    return node;
  };

  TW.fetchJSON = async function (url) {
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    const body = await response.json();
    if (!response.ok) throw new Error(body && body.error ? body.error.message : response.statusText);
    return body;
  };

  TW.num = (n) => (n === null || n === undefined ? "" : String(n));

  TW.badge = function (type, colors) {
    return TW.el("span", { class: "badge", style: `--c:${(colors || {})[type] || "#666"}` }, type.replace("_", " "));
  };

  /** One row of the events table, as the server renders it (templates/_macros.html). */
  TW.eventRow = function (e, colors, links) {
    const id = links ? TW.el("a", { href: `/events/${e.id}` }, `#${e.id}`) : `#${e.id}`;
    const place = [e.location, e.country].filter(Boolean).join("; ");
    const flags = [];
    if (e.contested) flags.push(TW.el("span", { class: "flag contested", title: "reports disagree" }, "contested"));
    if (e.background) flags.push(TW.el("span", { class: "flag", title: "told as background" }, "background"));
    return TW.el("tr", { "data-type": e.type, "data-id": e.id },
      TW.el("td", { class: "id" }, id),
      TW.el("td", { class: "date" }, e.date || "undated"),
      TW.el("td", {}, TW.badge(e.type, colors)),
      TW.el("td", {}, e.mode && e.mode !== "unknown" ? e.mode : ""),
      TW.el("td", {}, e.actor || ""),
      TW.el("td", {}, e.target || ""),
      TW.el("td", {}, place),
      TW.el("td", { class: "n" }, TW.num(e.killed)),
      TW.el("td", { class: "n" }, TW.num(e.injured)),
      TW.el("td", { class: "n", title: `${e.reports} reports` }, TW.num(e.sources)),
      TW.el("td", { class: "flags" }, ...flags),
      TW.el("td", { class: "evidence" }, e.evidence || ""));
  };

  TW.renderRows = function (tbody, rows, colors, links) {
    tbody.replaceChildren(...rows.map((e) => TW.eventRow(e, colors, links)));
    if (!rows.length) {
      tbody.append(TW.el("tr", { class: "empty" }, TW.el("td", { colspan: "12" }, "No events match.")));
    }
  };

  /** YYYY-MM-DD of a Date (UTC), and a week's Sunday from its Monday. */
  TW.iso = (d) => d.toISOString().slice(0, 10);
  TW.weekEnd = function (monday) {
    const d = new Date(`${monday}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + 6);
    return TW.iso(d);
  };
})();
