/* trucewatch: a small offline world map in SVG, drawn from the shipped TopoJSON country outlines
 * (world-atlas, Natural Earth 1:110m), in plate carree (x = longitude, y = -latitude).
 * Events are circles coloured by type and sized by casualties (killed + injured); events placed
 * only by country are hollow circles at the country's centre. Wheel zooms, drag pans.
 *   TW.worldMap(host, topology, data, {info, links}) */
"use strict";
(function () {
  const TW = (window.TW = window.TW || {});
  const NS = "http://www.w3.org/2000/svg";
  const WORLD = [-180, -84, 360, 144]; // x, y, width, height in degrees (Antarctica left out)

  function svgEl(tag, attrs) {
    const node = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    return node;
  }

  /** TopoJSON arcs to absolute [lon, lat] points (delta-encoded, quantized). */
  function decodeArcs(topology) {
    const t = topology.transform;
    return topology.arcs.map((arc) => {
      let x = 0, y = 0;
      return arc.map(([dx, dy]) => {
        x += dx; y += dy;
        return t ? [x * t.scale[0] + t.translate[0], y * t.scale[1] + t.translate[1]] : [dx, dy];
      });
    });
  }

  function ring(arcs, indices) {
    const points = [];
    for (const i of indices) {
      const arc = i < 0 ? arcs[~i].slice().reverse() : arcs[i];
      points.push(...(points.length ? arc.slice(1) : arc));
    }
    return points;
  }

  /** SVG path data of a ring; a jump across the antimeridian starts a new subpath, not a streak. */
  function pathOf(points) {
    let d = "";
    let prev = null;
    for (const [lon, lat] of points) {
      d += (prev === null || Math.abs(lon - prev) > 180 ? "M" : "L") + lon.toFixed(2) + "," + (-lat).toFixed(2);
      prev = lon;
    }
    return d + "Z";
  }

  function bounds(points) {
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (const [lon, lat] of points) {
      x0 = Math.min(x0, lon); x1 = Math.max(x1, lon); y0 = Math.min(y0, lat); y1 = Math.max(y1, lat);
    }
    return { x0, y0, x1, y1, area: (x1 - x0) * (y1 - y0) };
  }

  TW.radius = (p) => Math.min(30, 3.5 + 2.2 * Math.sqrt((p.killed || 0) + (p.injured || 0)));

  TW.worldMap = function (host, topology, data, options) {
    const opts = options || {};
    const arcs = decodeArcs(topology);
    const svg = svgEl("svg", { class: "world", viewBox: WORLD.join(" "), role: "img",
                               "aria-label": "map of events", preserveAspectRatio: "xMidYMid meet" });
    const countries = svgEl("g", { class: "countries" });
    const centres = {};
    for (const geometry of topology.objects.countries.geometries) {
      if (geometry.id === "010") continue;
      const polygons = geometry.type === "Polygon" ? [geometry.arcs]
        : geometry.type === "MultiPolygon" ? geometry.arcs : [];
      let d = "";
      let largest = null;
      for (const polygon of polygons) {
        polygon.forEach((indices, k) => {
          const points = ring(arcs, indices);
          d += pathOf(points);
          const b = bounds(points);
          if (k === 0 && b.x1 - b.x0 < 180 && (!largest || b.area > largest.area)) largest = b;
        });
      }
      const path = svgEl("path", { d, class: "country" });
      const title = svgEl("title");
      title.textContent = (geometry.properties && geometry.properties.name) || "";
      path.append(title);
      countries.append(path);
      if (largest && geometry.id) centres[geometry.id] = [(largest.x0 + largest.x1) / 2, (largest.y0 + largest.y1) / 2];
    }
    svg.append(countries);

    const layer = svgEl("g", { class: "points" });
    const circles = [];
    const points = data.points.slice().sort((a, b) => TW.radius(b) - TW.radius(a));
    for (const p of points) {
      const at = p.lat === null || p.lat === undefined ? centres[p.iso] : [p.lon, p.lat];
      if (!at) continue;
      const circle = svgEl("circle", {
        cx: at[0].toFixed(3), cy: (-at[1]).toFixed(3), r: 1, class: "point" + (p.lat === null ? " country-level" : ""),
        "data-type": p.type, fill: data.colors[p.type] || "#555", stroke: data.colors[p.type] || "#555",
      });
      const title = svgEl("title");
      const where = p.location ? `${p.location} (${p.country || "?"})` : `${p.country} (country only)`;
      title.textContent = `${where}: ${p.events} ${p.type.replace("_", " ")}, killed ${p.killed}, injured ${p.injured}`;
      circle.append(title);
      circle.addEventListener("click", () => show(p, where));
      circles.push([circle, p]);
      layer.append(circle);
    }
    svg.append(layer);
    host.replaceChildren(svg);

    let view = fit();
    function fit() {
      const placed = circles.map(([c]) => [Number(c.getAttribute("cx")), Number(c.getAttribute("cy"))]);
      if (!placed.length) return WORLD.slice();
      const xs = placed.map((q) => q[0]), ys = placed.map((q) => q[1]);
      let x0 = Math.min(...xs), x1 = Math.max(...xs), y0 = Math.min(...ys), y1 = Math.max(...ys);
      const w = Math.max(24, (x1 - x0) * 1.4), h = Math.max(14, (y1 - y0) * 1.4);
      const cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
      return [cx - w / 2, cy - h / 2, w, h];
    }
    function apply() {
      svg.setAttribute("viewBox", view.map((v) => v.toFixed(3)).join(" "));
      const scale = Math.max(view[2] / (svg.clientWidth || 800), view[3] / (svg.clientHeight || 450));
      for (const [circle, p] of circles) circle.setAttribute("r", (TW.radius(p) * scale).toFixed(4));
      svg.style.setProperty("--stroke", `${scale}`);
    }
    function show(p, where) {
      if (!opts.info) return;
      const lines = [TW.el("strong", {}, where),
        TW.el("div", {}, `${p.events} ${p.type.replace("_", " ")} event${p.events === 1 ? "" : "s"}`),
        TW.el("div", {}, `killed ${p.killed}, injured ${p.injured}`)];
      if (opts.links) {
        const q = new URLSearchParams({ type: p.type });
        if (p.location) q.set("place", p.location); else q.set("country", p.country);
        lines.push(TW.el("a", { href: `/events?${q}` }, "list these events"));
      }
      opts.info.replaceChildren(...lines);
    }
    svg.addEventListener("wheel", (event) => {
      event.preventDefault();
      const box = svg.getBoundingClientRect();
      const fx = (event.clientX - box.left) / box.width, fy = (event.clientY - box.top) / box.height;
      const k = event.deltaY > 0 ? 1.25 : 0.8;
      const w = Math.min(360, Math.max(2, view[2] * k)), h = w * (view[3] / view[2]);
      view = [view[0] + (view[2] - w) * fx, view[1] + (view[3] - h) * fy, w, h];
      apply();
    }, { passive: false });
    let drag = null;
    svg.addEventListener("pointerdown", (event) => { drag = [event.clientX, event.clientY, view.slice()]; });
    window.addEventListener("pointerup", () => { drag = null; });
    svg.addEventListener("pointermove", (event) => {
      if (!drag) return;
      const box = svg.getBoundingClientRect();
      const scale = Math.max(view[2] / box.width, view[3] / box.height);
      view = [drag[2][0] - (event.clientX - drag[0]) * scale, drag[2][1] - (event.clientY - drag[1]) * scale,
              view[2], view[3]];
      apply();
    });
    window.addEventListener("resize", apply);
    apply();
    svg.dataset.points = String(circles.length);
    return {
      svg,
      fit() { view = fit(); apply(); },
      world() { view = WORLD.slice(); apply(); },
      toggle(type, on) {
        for (const [circle, p] of circles) if (p.type === type) circle.style.display = on ? "" : "none";
      },
    };
  };
})();
