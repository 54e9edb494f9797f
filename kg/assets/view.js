// kg view: builds the network, tooltips, legend, search and details from the JSON data block.
// Every string from the data reaches the page through textContent or as a canvas label; never
// as HTML. Links are kept only when their protocol is http: or https:.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var byId = new Map();
  data.nodes.forEach(function (n) { byId.set(n.id, n); });

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  function safeUrl(u) {
    try {
      var url = new URL(String(u));
      return (url.protocol === "http:" || url.protocol === "https:") ? url.href : null;
    } catch (err) {
      return null;
    }
  }

  function row(card, key, value) {
    var r = el("div", "kg-row");
    r.appendChild(el("span", "kg-key", key + ": "));
    r.appendChild(el("span", "kg-value", value));
    card.appendChild(r);
  }

  function nodeCard(n) {
    var card = el("div", "kg-card");
    card.appendChild(el("div", "kg-kind", n.stub ? n.kind + " (cited only)" : n.kind));
    card.appendChild(el("div", "kg-title", n.name));
    if (n.date) { row(card, "Date", n.date); }
    if (n.authors && n.authors.length) {
      row(card, "Authors", n.authors.join(", "));
    } else if (n.author_count !== undefined) {
      row(card, "Authors", n.author_count + (n.author_count === 1 ? " author" : " authors"));
    }
    (n.facts || []).forEach(function (f) { row(card, f[0], f[1]); });
    row(card, "Id", n.id);
    var links = (n.links || []).filter(function (l) { return safeUrl(l.url); });
    if (links.length) {
      var box = el("div", "kg-row kg-links");
      links.forEach(function (l) {
        var a = el("a", null, l.text);
        a.href = safeUrl(l.url);
        a.target = "_blank";
        a.rel = "noopener noreferrer";
        box.appendChild(a);
      });
      card.appendChild(box);
    }
    return card;
  }

  function edgeCard(e) {
    var card = el("div", "kg-card");
    card.appendChild(el("div", "kg-kind", e.type));
    var from = byId.get(e.from), to = byId.get(e.to);
    card.appendChild(el("div", "kg-title", (from ? from.name : e.from) + " \u2192 " + (to ? to.name : e.to)));
    if (e.evidence) { card.appendChild(el("div", "kg-row kg-evidence", "\u201c" + e.evidence + "\u201d")); }
    if (e.text) { row(card, "Cited as", e.text); }
    if (e.provenance) { row(card, "Source", e.provenance); }
    return card;
  }

  var visNodes = new vis.DataSet(data.nodes.map(function (n) {
    var border = n.border || "#333333";
    return {
      id: n.id,
      label: n.short,
      title: el("div"),  // filled when first hovered (building every card up front is slow)
      shape: n.shape,
      size: n.size,
      x: n.x,
      y: n.y,
      font: { size: n.font, vadjust: n.vadjust || 0 },
      color: { background: n.color, border: border,
               highlight: { background: n.color, border: "#000000" },
               hover: { background: n.color, border: "#000000" } },
      shapeProperties: { borderDashes: n.stub ? [3, 3] : false },
      borderWidth: n.id === data.focus ? 4 : (n.stub ? 1.5 : 1),
      legend: n.legend,
    };
  }));
  var visEdges = new vis.DataSet(data.edges.map(function (e, i) {
    return { id: "e" + i, from: e.from, to: e.to, title: el("div"), kgType: e.type, kgIndex: i };
  }));

  var big = data.nodes.length > 1500;
  var options = {
    autoResize: true,
    nodes: {
      shape: "dot",
      font: { size: 12, face: "system-ui, 'DejaVu Sans', sans-serif", color: "#111111",
              strokeWidth: 3, strokeColor: "#ffffff" },
      scaling: { label: { enabled: false, drawThreshold: data.drawThreshold, maxVisible: 40 } },
    },
    edges: {
      arrows: { to: { enabled: true, scaleFactor: 0.4 } },
      color: { color: "#b0b0b0", highlight: "#333333", hover: "#555555", opacity: 0.6 },
      width: 0.8,
      smooth: false,
    },
    interaction: { hover: true, tooltipDelay: 120, hideEdgesOnDrag: true, hideEdgesOnZoom: big,
                   navigationButtons: false },
    physics: false,
    layout: { improvedLayout: false, randomSeed: 7 },
  };
  var container = document.getElementById("kg-network");
  var network = new vis.Network(container, { nodes: visNodes, edges: visEdges }, options);
  var view = { network: network, nodes: visNodes, edges: visEdges, data: data, ready: false };
  window.kgView = view;

  network.once("afterDrawing", function () {
    view.ready = true;
    document.body.dataset.ready = "true";
  });
  // the labels drawn now (font at least the draw threshold on screen), as DOM boxes, for
  // tests and people's scripts
  view.drawnLabels = function () {
    var scale = network.getScale();
    var out = [];
    visNodes.forEach(function (n) {
      if (n.hidden || n.font.size * scale < data.drawThreshold) { return; }
      var body = network.body.nodes[n.id];
      var s = body.labelModule.size;
      var shift = n.font.vadjust || 0;  // vis-network's size box leaves vadjust out
      var a = network.canvasToDOM({ x: s.left, y: s.top + shift });
      var b = network.canvasToDOM({ x: s.left + s.width, y: s.top + shift + s.height });
      out.push({ id: n.id, text: n.label, px: n.font.size * scale, left: a.x, top: a.y, right: b.x, bottom: b.y });
    });
    return out;
  };
  // positions in canvas (DOM) pixels, for tests and people's scripts
  view.domPosition = function (id) {
    var p = network.getPosition(id);
    return network.canvasToDOM(p);
  };

  // tooltips: a node's or edge's card is built the first time the pointer reaches it
  network.on("hoverNode", function (p) {
    var box = visNodes.get(p.node).title;
    if (!box.firstChild) { box.appendChild(nodeCard(byId.get(p.node))); }
  });
  network.on("hoverEdge", function (p) {
    var edge = visEdges.get(p.edge);
    if (!edge.title.firstChild) { edge.title.appendChild(edgeCard(data.edges[edge.kgIndex])); }
  });

  // details panel
  var details = document.getElementById("kg-details");
  function showDetails(id) {
    details.replaceChildren();
    var n = byId.get(id);
    if (n) { details.appendChild(nodeCard(n)); }
  }
  network.on("click", function (p) { if (p.nodes.length) { showDetails(p.nodes[0]); } });
  if (data.focus) { showDetails(data.focus); }

  // legend: one entry per label (or community), click hides or shows its nodes
  var legend = document.getElementById("kg-legend");
  data.legend.forEach(function (item, index) {
    var li = el("li");
    var sw = el("span", "kg-swatch");
    sw.style.backgroundColor = item.color;
    if (item.border) { sw.style.border = "2px dashed " + item.border; }
    li.appendChild(sw);
    li.appendChild(el("span", null, item.text + " (" + item.count + ")"));
    li.addEventListener("click", function () {
      var off = li.classList.toggle("kg-off");
      visNodes.update(visNodes.get({ filter: function (n) { return n.legend === index; } })
        .map(function (n) { return { id: n.id, hidden: off }; }));
    });
    legend.appendChild(li);
  });
  var shapes = document.getElementById("kg-shapes");
  if (shapes) {
    var marks = { dot: "\u25cf", triangleDown: "\u25bc", diamond: "\u25c6", square: "\u25a0",
                  triangle: "\u25b2", star: "\u2605", hexagon: "\u2b22" };
    shapes.textContent = data.shapes.map(function (s) { return marks[s.shape] + " " + s.text; }).join("  ");
  }

  // search: names and ids containing the text, click to focus
  var input = document.getElementById("kg-search");
  var results = document.getElementById("kg-results");
  function goTo(id) {
    network.selectNodes([id]);
    network.focus(id, { scale: 1.3, animation: { duration: 400 } });
    showDetails(id);
  }
  function search() {
    var q = input.value.trim().toLowerCase();
    results.replaceChildren();
    if (!q) { return []; }
    var hits = data.nodes.filter(function (n) {
      return n.name.toLowerCase().indexOf(q) >= 0 || n.id.toLowerCase().indexOf(q) >= 0;
    }).slice(0, 15);
    hits.forEach(function (n) {
      var li = el("li");
      var b = el("button", null, n.name + " \u00b7 " + n.kind);
      b.type = "button";
      b.addEventListener("click", function () { goTo(n.id); });
      li.appendChild(b);
      results.appendChild(li);
    });
    if (!hits.length) { results.appendChild(el("li", "kg-hint", "no match")); }
    return hits;
  }
  input.addEventListener("input", search);
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") {
      var hits = search();
      if (hits.length) { goTo(hits[0].id); }
    }
  });
})();
