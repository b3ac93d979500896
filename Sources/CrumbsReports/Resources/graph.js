// The interactive graph page (HTMLGraphExporter's file and the dashboard's /graph): reads the
// graph from the #graph-data JSON block and draws it on a canvas. Text from the graph reaches the
// page only via textContent, option.value and fillText. To stay fluid with 5,000 nodes and
// 100,000 edges it batches edges into paths (tracker or not, observed or inferred), finds the
// node under the pointer through a grid, and while the view moves draws only the heaviest
// edges, redrawing everything once the pointer rests. A click (a tap on a phone, where nothing
// hovers) pins a node's highlight; filters and the pinned node are kept in the address.
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("graph-data").textContent);
  const nodes = data.nodes, edges = data.edges;
  // The page's words: English unless the data block brings others (the dashboard in French).
  const words = Object.assign({
    shown: "{nodes} of {total} nodes, {edges} edges", matching: "{count} matching",
    neighbours: "{label}: {count} neighbours",
    site: "site: contacted {sites} third parties, {requests} requests",
    device: "device: seen by {sites} companies, {requests} requests",
    thirdParty: "third party on {sites} sites, {requests} requests", company: "company: {name}",
    categories: "categories: {names}", cookies: "cookies: {what}", set: "set", sent: "sent",
    seen: "seen {first} to {last}"
  }, data.text || {});
  function say(key, values) {
    return words[key].replace(/\{(\w+)\}/g, (whole, name) => name in values ? String(values[name]) : whole);
  }
  // Sites (and devices) are squares, third parties circles: shape tells them apart whatever
  // the colours.
  const isOrigin = n => n.kind === "firstParty" || n.kind === "device";
  const canvas = document.getElementById("graph"), ctx = canvas.getContext("2d");
  const tip = document.getElementById("tip"), status = document.getElementById("status");
  const search = document.getElementById("search");
  const companySelect = document.getElementById("company"), categorySelect = document.getElementById("category");
  const incident = nodes.map(() => []);
  edges.forEach((e, i) => { incident[e[0]].push(i); incident[e[1]].push(i); });
  // Heaviest edges first: the ones drawn while the view moves.
  const byWeight = edges.map((e, i) => i).sort((a, b) => edges[b][2] - edges[a][2]);
  const MOVING_EDGES = 15000;
  // A small graph shows every label (its layout left room for them).
  const SMALL = nodes.length <= 80;
  // Fainter edges when there are many, so that the overlap stays readable.
  const EDGE_ALPHA = Math.min(0.35, 6 / Math.sqrt(Math.max(edges.length, 1)));

  function addOptions(select, values) {
    for (const value of values) {
      const option = document.createElement("option");
      option.value = value;
      option.textContent = value;
      select.appendChild(option);
    }
  }
  addOptions(companySelect, [...new Set(nodes.map(n => n.company).filter(c => c))].sort());
  addOptions(categorySelect, [...new Set(nodes.flatMap(n => n.categories))].sort());

  // Spatial grid over world coordinates for hit testing.
  const CELL = 64, grid = new Map();
  nodes.forEach((n, i) => {
    const key = Math.floor(n.x / CELL) + "," + Math.floor(n.y / CELL);
    if (!grid.has(key)) grid.set(key, []);
    grid.get(key).push(i);
  });
  function nodeAt(wx, wy) {
    const cx = Math.floor(wx / CELL), cy = Math.floor(wy / CELL);
    let best = -1, bestDistance = Infinity;
    for (let dx = -1; dx <= 1; dx++) for (let dy = -1; dy <= 1; dy++) {
      for (const i of grid.get((cx + dx) + "," + (cy + dy)) || []) {
        if (!visible[i]) continue;
        const n = nodes[i], d = Math.hypot(n.x - wx, n.y - wy);
        if (d <= Math.max(n.r, 4 / view.scale) && d < bestDistance) { best = i; bestDistance = d; }
      }
    }
    return best;
  }

  // `hovered` follows the pointer; `pinned` is a node clicked (or tapped, where there is no
  // hover) or named in the address (#focus=ID); the highlight shows whichever is set.
  let visible = nodes.map(() => true), matches = new Set(), hovered = -1, pinned = -1;
  const focused = () => hovered >= 0 ? hovered : pinned;
  function applyFilters() {
    const company = companySelect.value, category = categorySelect.value;
    const query = search.value.trim().toLowerCase();
    const keepThird = n => (!company || n.company === company) && (!category || n.categories.includes(category));
    visible = nodes.map(n => n.kind !== "firstParty" && n.kind !== "device" && keepThird(n));
    // A site stays when it contacted a visible third party.
    edges.forEach(e => { if (visible[e[1]]) visible[e[0]] = true; });
    matches = new Set();
    if (query) nodes.forEach((n, i) => {
      if (visible[i] && (n.label.toLowerCase().includes(query) || (n.company || "").toLowerCase().includes(query))) matches.add(i);
    });
    showStatus();
    writeHash();
    draw();
  }
  function showStatus() {
    let shownNodes = 0, shownEdges = 0;
    visible.forEach(v => { if (v) shownNodes++; });
    edges.forEach(e => { if (visible[e[0]] && visible[e[1]]) shownEdges++; });
    let text = say("shown", { nodes: shownNodes, total: nodes.length, edges: shownEdges });
    if (search.value.trim()) text += ", " + say("matching", { count: matches.size });
    const f = focused();
    if (f >= 0) text += " · " + say("neighbours", { label: nodes[f].label, count: incident[f].length });
    status.textContent = text;
  }

  // The view's filters and pinned node live in the address (#search=…&company=…&focus=…),
  // so a filtered view can be bookmarked or sent.
  function readHash() {
    const params = new URLSearchParams(location.hash.slice(1));
    search.value = params.get("search") || "";
    for (const [select, key] of [[companySelect, "company"], [categorySelect, "category"]]) {
      const wanted = params.get(key) || "";
      select.value = [...select.options].some(o => o.value === wanted) ? wanted : "";
    }
    const focus = params.get("focus");
    pinned = focus ? nodes.findIndex(n => n.id === focus || n.label === focus) : -1;
  }
  function writeHash() {
    const params = new URLSearchParams();
    if (search.value) params.set("search", search.value);
    if (companySelect.value) params.set("company", companySelect.value);
    if (categorySelect.value) params.set("category", categorySelect.value);
    if (pinned >= 0) params.set("focus", nodes[pinned].id);
    const hash = params.toString();
    if (hash === location.hash.slice(1)) return;
    try { history.replaceState(null, "", "#" + hash); } catch (error) { /* a sandboxed frame */ }
  }

  const view = { scale: 1, x: 0, y: 0 };
  let moving = false, settle = 0;
  function fit() {
    const w = canvas.clientWidth, h = canvas.clientHeight;
    view.scale = Math.min(w, h) / Math.max(data.size, 1);
    view.x = (w - data.size * view.scale) / 2;
    view.y = (h - data.size * view.scale) / 2;
    draw();
  }
  function resize() {
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.max(1, Math.round(canvas.clientWidth * ratio));
    canvas.height = Math.max(1, Math.round(canvas.clientHeight * ratio));
    draw();
  }

  let pending = false;
  function draw() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(paint);
  }
  function paint() {
    pending = false;
    const ratio = window.devicePixelRatio || 1;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.setTransform(ratio * view.scale, 0, 0, ratio * view.scale, ratio * view.x, ratio * view.y);
    const centreNode = focused();
    const focus = centreNode >= 0 ? new Set([centreNode]) : null;
    if (focus) for (const i of incident[centreNode]) { focus.add(edges[i][0]); focus.add(edges[i][1]); }
    const list = moving && byWeight.length > MOVING_EDGES ? byWeight.slice(0, MOVING_EDGES) : byWeight;
    ctx.lineWidth = 1 / view.scale;
    // Four batches: tracker or not, observed or inferred (dashed).
    for (const tracker of [0, 1]) for (const inferred of [0, 1]) {
      ctx.beginPath();
      for (const i of list) {
        const e = edges[i];
        if (e[5] !== tracker || e[6] !== inferred || !visible[e[0]] || !visible[e[1]]) continue;
        const a = nodes[e[0]], b = nodes[e[1]];
        ctx.moveTo(a.x, a.y);
        ctx.lineTo(b.x, b.y);
      }
      const alpha = focus ? EDGE_ALPHA / 4 : EDGE_ALPHA;
      ctx.strokeStyle = tracker ? "rgba(220,38,38," + alpha + ")" : "rgba(107,114,128," + alpha + ")";
      ctx.setLineDash(inferred ? [4 / view.scale, 3 / view.scale] : []);
      ctx.stroke();
    }
    ctx.setLineDash([]);
    if (focus) {
      ctx.beginPath();
      for (const i of incident[centreNode]) {
        const a = nodes[edges[i][0]], b = nodes[edges[i][1]];
        ctx.moveTo(a.x, a.y);
        ctx.lineTo(b.x, b.y);
      }
      ctx.strokeStyle = "rgba(17,24,39,0.7)";
      ctx.lineWidth = 1.5 / view.scale;
      ctx.stroke();
    }
    nodes.forEach((n, i) => {
      if (!visible[i]) return;
      ctx.globalAlpha = focus && !focus.has(i) ? 0.15 : 1;
      ctx.beginPath();
      // At least 2.5 pixels across, however far out the view is zoomed.
      const r = Math.max(n.r, 2.5 / view.scale);
      if (isOrigin(n)) {
        ctx.rect(n.x - r * 0.9, n.y - r * 0.9, r * 1.8, r * 1.8);
      } else {
        ctx.arc(n.x, n.y, r, 0, 2 * Math.PI);
      }
      ctx.fillStyle = n.colour;
      ctx.fill();
      if (matches.has(i) || i === centreNode) {
        ctx.lineWidth = 3 / view.scale;
        ctx.strokeStyle = "#facc15";
        ctx.stroke();
      }
    });
    ctx.globalAlpha = 1;
    drawLabels(focus);
  }

  // Labels where they fit: big enough on screen, or highlighted; the most important first
  // (highlighted, then the biggest nodes), and a label that would overlap one already drawn is
  // left out rather than drawn over it. Overlap is judged on screen, in pixels.
  const LABEL_PX = 12, MAX_LABELS = 400;
  function drawLabels(focus) {
    ctx.fillStyle = "#111827";
    ctx.font = (LABEL_PX / view.scale) + "px system-ui, sans-serif";
    ctx.textAlign = "center";
    const wanted = [];
    nodes.forEach((n, i) => {
      if (!visible[i] || (focus && !focus.has(i))) return;
      const highlighted = (focus && focus.has(i)) || matches.has(i);
      if (highlighted || SMALL || n.r * view.scale >= 9) wanted.push([highlighted ? 1 : 0, i]);
    });
    wanted.sort((a, b) => b[0] - a[0] || nodes[b[1]].r - nodes[a[1]].r);
    const placed = [];
    const width = canvas.clientWidth, height = canvas.clientHeight;
    for (const [, i] of wanted) {
      if (placed.length >= MAX_LABELS) break;
      const n = nodes[i];
      const w = ctx.measureText(n.label).width * view.scale, h = LABEL_PX + 2;
      const x = n.x * view.scale + view.x - w / 2, y = (n.y + n.r) * view.scale + view.y + 1;
      if (x + w < 0 || y + h < 0 || x > width || y > height) continue;
      if (placed.some(p => x < p[0] + p[2] && p[0] < x + w && y < p[1] + p[3] && p[1] < y + h)) continue;
      placed.push([x, y, w, h]);
      ctx.fillText(n.label, n.x, n.y + n.r + LABEL_PX / view.scale);
    }
  }

  function toWorld(event) {
    const box = canvas.getBoundingClientRect();
    return [(event.clientX - box.left - view.x) / view.scale, (event.clientY - box.top - view.y) / view.scale];
  }
  function showTip(i, event) {
    if (i < 0) { tip.hidden = true; return; }
    const n = nodes[i];
    const counts = { sites: n.sites, requests: n.requests };
    const lines = [n.label, say(n.kind === "firstParty" ? "site" : n.kind === "device" ? "device" : "thirdParty", counts)];
    if (n.company && n.kind !== "company") lines.push(say("company", { name: n.company }));
    if (n.categories.length) lines.push(say("categories", { names: n.categories.join(", ") }));
    if (n.setsCookies || n.sendsCookies) {
      const what = [n.setsCookies ? words.set : "", n.sendsCookies ? words.sent : ""].filter(w => w).join(", ");
      lines.push(say("cookies", { what: what }));
    }
    lines.push(say("seen", { first: n.firstSeen.slice(0, 10), last: n.lastSeen.slice(0, 10) }));
    tip.textContent = lines.join("\n");
    const box = canvas.getBoundingClientRect();
    tip.style.left = Math.min(event.clientX - box.left + 12, box.width - 200) + "px";
    tip.style.top = (event.clientY - box.top + 12) + "px";
    tip.hidden = false;
  }
  function settleLater() {
    clearTimeout(settle);
    settle = setTimeout(() => { moving = false; draw(); }, 150);
  }

  let drag = null;
  canvas.addEventListener("pointerdown", event => {
    drag = { x: event.clientX, y: event.clientY, vx: view.x, vy: view.y, moved: false };
    canvas.setPointerCapture(event.pointerId);
    canvas.classList.add("dragging");
  });
  canvas.addEventListener("pointermove", event => {
    if (drag) {
      view.x = drag.vx + event.clientX - drag.x;
      view.y = drag.vy + event.clientY - drag.y;
      drag.moved = drag.moved || Math.hypot(event.clientX - drag.x, event.clientY - drag.y) > 4;
      moving = true;
      settleLater();
      draw();
      return;
    }
    const [wx, wy] = toWorld(event);
    const i = nodeAt(wx, wy);
    showTip(i, event);
    if (i !== hovered) { hovered = i; showStatus(); draw(); }
  });
  const endDrag = () => { drag = null; canvas.classList.remove("dragging"); };
  canvas.addEventListener("pointerup", event => {
    // A click (no drag) pins the node under the pointer, or unpins.
    if (drag && !drag.moved) {
      const [wx, wy] = toWorld(event);
      const i = nodeAt(wx, wy);
      pinned = i === pinned ? -1 : i;
      showStatus();
      writeHash();
      draw();
    }
    endDrag();
  });
  canvas.addEventListener("pointercancel", endDrag);
  canvas.addEventListener("pointerleave", () => {
    tip.hidden = true;
    if (hovered >= 0) { hovered = -1; showStatus(); draw(); }
  });
  function zoom(factor, sx, sy) {
    const next = Math.min(Math.max(view.scale * factor, 0.02), 40);
    view.x = sx - (sx - view.x) * (next / view.scale);
    view.y = sy - (sy - view.y) * (next / view.scale);
    view.scale = next;
    moving = true;
    settleLater();
    draw();
  }
  canvas.addEventListener("wheel", event => {
    event.preventDefault();
    const box = canvas.getBoundingClientRect();
    zoom(Math.exp(-event.deltaY * 0.0015), event.clientX - box.left, event.clientY - box.top);
  }, { passive: false });
  const centre = () => [canvas.clientWidth / 2, canvas.clientHeight / 2];
  document.getElementById("zoom-in").addEventListener("click", () => zoom(1.5, ...centre()));
  document.getElementById("zoom-out").addEventListener("click", () => zoom(1 / 1.5, ...centre()));
  document.getElementById("fit").addEventListener("click", fit);
  companySelect.addEventListener("change", applyFilters);
  categorySelect.addEventListener("change", applyFilters);
  search.addEventListener("input", applyFilters);
  search.addEventListener("keydown", event => {
    if (event.key !== "Enter" || matches.size === 0) return;
    const n = nodes[matches.values().next().value];
    view.scale = Math.max(view.scale, 2);
    view.x = canvas.clientWidth / 2 - n.x * view.scale;
    view.y = canvas.clientHeight / 2 - n.y * view.scale;
    draw();
  });
  window.addEventListener("resize", resize);
  window.addEventListener("hashchange", () => { readHash(); applyFilters(); });
  resize();
  fit();
  readHash();
  applyFilters();
  // The first frame synchronously, timed: what "responsive" means is measurable.
  const started = performance.now();
  paint();
  document.body.dataset.paintMs = String(Math.round(performance.now() - started));
  document.body.dataset.ready = "true";
})();
