// blueprint-dsl page script: draws the flows as arrows between the cards, and handles
// hover and focus highlighting, details, filters, folding and deep links. It never
// builds markup from the blueprint's text: text reaches the page through the escaped
// template or through textContent.
(function () {
  "use strict";
  var SVG_NS = "http://www.w3.org/2000/svg";
  var data = JSON.parse(document.getElementById("blueprint-data").textContent);
  var wrap = document.getElementById("grid-wrap");
  var grid = document.getElementById("grid");
  var svg = document.getElementById("flows");
  var layer = document.getElementById("flow-paths");
  // Labels go on a layer above the cards, so a card never hides one.
  var labelLayer = document.getElementById("flow-labels");
  var details = document.getElementById("details");
  var actorFilter = document.getElementById("filter-actor");
  var stageFilter = document.getElementById("filter-stage");
  // Said politely by a screen reader whenever the filters change what is shown.
  var status = document.getElementById("filter-status");
  var cards = {};
  // In a frame whose page sizes it to this one's height (the MkDocs plugin's), which says
  // so once told the height: then the details open by their card, the frame being tall.
  var framed = false;
  Array.prototype.forEach.call(grid.querySelectorAll(".card[data-action]"), function (card) {
    cards[card.getAttribute("data-action")] = card;
  });
  var paths = [];
  // Where the arrows go, and their labels: flows.js and labels.js, which come first in the page's script.
  var flows = window.blueprintFlows, labelling = window.blueprintLabels;
  var pending = false;
  var drawnSize = ""; // the grid's width and height at the last draw
  var activeId = null;
  var openerId = null;

  document.getElementById("filters").hidden = false;

  // -- arrows ---------------------------------------------------------------------------

  function shown(element) {
    return element.getClientRects().length > 0;
  }

  function box(element, origin) {
    var r = element.getBoundingClientRect();
    var x = r.left - origin.left + wrap.scrollLeft;
    var y = r.top - origin.top + wrap.scrollTop;
    return { left: x, top: y, right: x + r.width, bottom: y + r.height, cx: x + r.width / 2, cy: y + r.height / 2 };
  }

  // Reads every card's box first and writes the arrows in one go afterwards, so a
  // large blueprint is laid out once per redraw, not once per flow.
  function draw() {
    pending = false;
    // The arrows' layers lie inside the grid's border, as the grid does: boxes are read from there.
    var outer = wrap.getBoundingClientRect(), bounds = { width: grid.offsetWidth, height: grid.offsetHeight };
    var origin = { left: outer.left + wrap.clientLeft, top: outer.top + wrap.clientTop };
    // Right of the lane titles and below the steps' headers, which stay over the grid as
    // it scrolls: where the cells start (the titles' own boxes move with the scroll).
    var firstCell = grid.querySelector("td.cell");
    if (firstCell) {
      var cells = box(firstCell, origin);
      bounds.left = cells.left;
      bounds.top = cells.top;
    }
    var boxes = {};
    function boxOf(id) {
      if (!(id in boxes)) boxes[id] = cards[id] && shown(cards[id]) ? box(cards[id], origin) : null;
      return boxes[id];
    }
    var drawn = [], between = {};
    data.flows.forEach(function (flow, index) {
      var from = boxOf(flow.source), to = boxOf(flow.target);
      if (!from || !to) return;
      // The flows between one pair of cards, whichever way they run, in flow order.
      var pair = flow.source < flow.target ? flow.source + " " + flow.target : flow.target + " " + flow.source;
      between[pair] = (between[pair] || 0) + 1;
      drawn.push({ flow: flow, index: index, from: from, to: to, pair: pair, nth: between[pair] - 1 });
    });
    // Every card shown, in columns flows.BUCKET px wide, to look up the cards near a point;
    // and for the labels, which must not cover them either, the notes of evidence and the
    // annotations too.
    var cardIndex = {}, coverIndex = {};
    function file(index, r) {
      for (var k = Math.floor(r.left / flows.BUCKET); k <= Math.floor(r.right / flows.BUCKET); k++) {
        (index[k] = index[k] || []).push(r);
      }
    }
    Object.keys(cards).forEach(function (id) {
      var r = boxOf(id);
      if (!r) return;
      file(cardIndex, r);
      file(coverIndex, r);
    });
    Array.prototype.forEach.call(grid.querySelectorAll(".cell .evidence, .cell .annotation"), function (note) {
      if (shown(note)) file(coverIndex, box(note, origin));
    });
    // The lines of the method, across the middle of their rows, which the labels keep off where they can.
    var methodLines = [];
    Array.prototype.forEach.call(grid.querySelectorAll("td.line-cell"), function (cell) {
      if (!shown(cell)) return;
      var r = box(cell, origin);
      methodLines.push({ left: r.left, right: r.right, y: r.cy });
    });
    var fragment = document.createDocumentFragment();
    var labels = document.createDocumentFragment();
    // Each flow's curve first. Where one of the flows between two cards would be hidden
    // in part, all of them go round, so that they stay side by side.
    var roundabout = {};
    var curves = drawn.map(function (item) {
      var flow = item.flow;
      if (flow.source === flow.target) {
        var loop = flows.selfLoop(item.from, item.nth, between[item.pair],
                            box(cards[flow.source].parentNode, origin).right - item.from.right);
        return { p: loop[0], c: [loop[1], loop[2]], q: loop[3], loop: true };
      }
      var sameLane = cards[flow.source].getAttribute("data-lane") === cards[flow.target].getAttribute("data-lane");
      var offset = (item.nth - (between[item.pair] - 1) / 2) * flows.GAP;
      var e = flows.apart(flows.ends(item.from, item.to, sameLane), item.from, item.to, offset);
      var p = [flows.round(e[0][0]), flows.round(e[0][1])], q = [flows.round(e[1][0]), flows.round(e[1][1])], c = flows.controls(p, q, e[2], e[3]);
      if (flows.hidden(p, c, q, cardIndex, item.from, item.to, bounds)) roundabout[item.pair] = true;
      return { p: p, c: c, q: q, offset: offset, direction: e[2], bow: e[3] };
    });
    var perGap = {}, slots = {};
    // The ways round, as points along the gaps.
    var ways = drawn.map(function (item, i) {
      if (!roundabout[item.pair]) return null;
      var flow = item.flow;
      var cellA = box(cards[flow.source].parentNode, origin), cellB = box(cards[flow.target].parentNode, origin);
      var room = Math.min(cellA.right - item.from.right, item.from.left - cellA.left, item.from.top - cellA.top,
                          cellB.right - item.to.right, item.to.left - cellB.left, item.to.top - cellB.top);
      var inset = Math.min(2, room / 4), way = flows.detour(item.from, item.to, cellA, cellB, inset, bounds);
      // Either side of their way for the flows between two cards, whichever way each
      // runs; in turn a little apart for the pairs whose ways run along the same gap (a
      // column's edge or a row's). All within the room the cells leave round their
      // cards, which is less in print.
      if (!(item.pair in slots)) {
        var gaps = way.slice(1, -2).map(function (point, k) {
          return point[1] === way[k + 2][1] ? "y" + flows.round(point[1]) : "x" + flows.round(point[0]);
        });
        var taken = Math.max.apply(null, gaps.map(function (gap) { return perGap[gap] || 0; }));
        gaps.forEach(function (gap) { perGap[gap] = taken + 1; });
        slots[item.pair] = flows.SLOTS[taken % flows.SLOTS.length];
      }
      // The pair's flows keep apart first; its slot takes what room is left.
      var limit = Math.max(0, room - 1.5 - inset), outer = (between[item.pair] - 1) / 2 * flows.GAP;
      var offset = curves[i].offset * Math.min(1, limit / Math.max(outer, 1));
      var slot = Math.sign(slots[item.pair]) * Math.min(Math.abs(slots[item.pair]), Math.max(0, limit - outer));
      var shift = (offset + slot) * (flow.source < flow.target ? 1 : -1);
      return flows.parallel(way, item.from, item.to, shift);
    });
    flows.spreadAllEnds(drawn, curves, ways);
    paths = drawn.map(function (item, i) {
      var flow = item.flow, curve = curves[i], points = ways[i], d, m;
      if (points) {
        d = flows.polyline(points);
        m = flows.longestMiddle(points);
      } else {
        d = "M" + curve.p + " C" + curve.c[0] + " " + curve.c[1] + " " + curve.q;
        m = flows.middle(curve.p, curve.c[0], curve.c[1], curve.q);
      }
      var path = document.createElementNS(SVG_NS, "path");
      path.setAttribute("d", d);
      path.setAttribute("class", "flow" + (flow.twoWay ? " is-two-way" : "") + (flow.loop ? " is-loop" : "") +
        (flow.status ? " diff-" + flow.status : ""));
      path.setAttribute("marker-end", "url(#arrow-head)");
      if (flow.twoWay) path.setAttribute("marker-start", "url(#arrow-head)");
      path.setAttribute("data-source", flow.source);
      path.setAttribute("data-target", flow.target);
      path.setAttribute("data-flow", String(item.index));
      fragment.appendChild(path);
      // Its line, which the other flows' labels keep off where they can.
      var line = points ? { way: points } : { curve: [curve.p, curve.c[0], curve.c[1], curve.q] };
      var entry = { flow: flow, path: path, label: null, from: item.from, to: item.to, line: line };
      if (flow.label) {
        var text = document.createElementNS(SVG_NS, "text");
        text.setAttribute("class", "flow-label" + (flow.loop ? " is-loop" : ""));
        // A long label in lines about a card wide, each word on one; a line ends in the
        // space after its last word, so that the text reads as written.
        labelling.wrap(flow.label).forEach(function (line, k, lines) {
          var span = document.createElementNS(SVG_NS, "tspan");
          if (k) span.setAttribute("dy", "1.2em");
          span.textContent = k < lines.length - 1 ? ownDirection(line) + " " : ownDirection(line);
          text.appendChild(span);
        });
        labelling.moveLabel(text, [m[0] + 4, m[1] - 4]);
        labels.appendChild(text);
        entry.label = text;
      }
      return entry;
    });
    while (layer.firstChild) layer.removeChild(layer.firstChild);
    layer.appendChild(fragment);
    while (labelLayer.firstChild) labelLayer.removeChild(labelLayer.firstChild);
    labelLayer.appendChild(labels);
    drawnSize = grid.offsetWidth + "x" + grid.offsetHeight;
    [svg, labelLayer].forEach(function (element) {
      element.setAttribute("width", grid.offsetWidth);
      element.setAttribute("height", grid.offsetHeight);
    });
    labelling.placeLabels(paths, coverIndex, bounds, methodLines).forEach(function (leader) {
      // With the arrows, under the cards: a thin dotted line, and a dot where it meets the flow.
      var entry = leader[0], from = leader[1], to = leader[2];
      var line = document.createElementNS(SVG_NS, "path");
      line.setAttribute("d", "M" + flows.round(from[0]) + " " + flows.round(from[1]) + " L" + flows.round(to[0]) + " " +
                        flows.round(to[1]));
      line.setAttribute("class", "flow-leader");
      var dot = document.createElementNS(SVG_NS, "circle");
      dot.setAttribute("cx", flows.round(to[0]));
      dot.setAttribute("cy", flows.round(to[1]));
      dot.setAttribute("r", "2");
      dot.setAttribute("class", "flow-leader");
      layer.appendChild(line);
      layer.appendChild(dot);
      entry.leader = [line, dot];
    });
    highlight(activeId);
  }

  // A line of Hebrew or Arabic in a label runs right to left, its punctuation at its own
  // end: set apart by first-strong and pop isolate marks, which SVG text has no dir for.
  // They take no room, so the label's box and place are those of its text.
  var RIGHT_TO_LEFT = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]/;
  function ownDirection(line) {
    return RIGHT_TO_LEFT.test(line) ? "\u2068" + line + "\u2069" : line;
  }

  function redraw() {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(draw);
  }

  // -- highlighting ---------------------------------------------------------------------

  function highlight(id) {
    activeId = id && cards[id] ? id : null;
    Array.prototype.forEach.call(grid.querySelectorAll(".card.is-active, .card.is-linked"), function (card) {
      card.classList.remove("is-active", "is-linked");
    });
    wrap.classList.toggle("has-active", activeId !== null);
    var linked = activeId ? (cards[activeId].getAttribute("data-linked") || "").split(" ") : [];
    if (activeId) cards[activeId].classList.add("is-active");
    linked.forEach(function (other) {
      if (cards[other]) cards[other].classList.add("is-linked");
    });
    paths.forEach(function (entry) {
      var on = activeId !== null && (entry.flow.source === activeId || entry.flow.target === activeId);
      entry.path.classList.toggle("is-linked", on);
      if (entry.label) entry.label.classList.toggle("is-linked", on);
      (entry.leader || []).forEach(function (part) {
        part.classList.toggle("is-linked", on);
      });
    });
  }

  function cardOf(node) {
    return node && node.closest ? node.closest(".card[data-action]") : null;
  }

  function focusedId() {
    var card = cardOf(document.activeElement);
    return card ? card.getAttribute("data-action") : null;
  }

  grid.addEventListener("mouseover", function (event) {
    var card = cardOf(event.target), id = card ? card.getAttribute("data-action") : focusedId();
    // The pointer moving over a card's lines, or from cell to cell, changes nothing: on a
    // large page each highlight restyles the whole grid.
    if (id !== activeId) highlight(id);
  });
  grid.addEventListener("mouseleave", function () {
    highlight(focusedId());
  });
  grid.addEventListener("focusin", function (event) {
    var card = cardOf(event.target);
    if (!card) return;
    // A browser scrolls a focused card into the grid's box, where the sticky lane titles
    // may still cover it; "nearest" keeps to the grid's scroll padding, which clears them.
    card.scrollIntoView({ block: "nearest", inline: "nearest" });
    highlight(card.getAttribute("data-action"));
  });
  grid.addEventListener("focusout", function (event) {
    if (!cardOf(event.relatedTarget)) highlight(null);
  });

  // -- details --------------------------------------------------------------------------

  function openDetails(id) {
    var source = document.getElementById(data.factsPrefix + id);
    if (!source) return;
    var facts = source.querySelector(".action-facts");
    var body = document.getElementById("details-body");
    while (body.firstChild) body.removeChild(body.firstChild);
    body.appendChild(facts.cloneNode(true));
    document.getElementById("details-title").textContent = cards[id].querySelector(".card-text").textContent;
    document.getElementById("details-link").setAttribute("href", "#" + data.deepLinkPrefix + id);
    openerId = id;
    // A frame as tall as the page may reach far above and below the window it shows in:
    // there the panel opens below its card, not at the frame's top.
    if (framed) details.style.top = cards[id].getBoundingClientRect().bottom + window.scrollY + 8 + "px";
    details.hidden = false;
    details.focus();
  }

  function closeDetails() {
    if (details.hidden) return;
    details.hidden = true;
    if (openerId && cards[openerId]) cards[openerId].focus();
  }

  grid.addEventListener("click", function (event) {
    var card = cardOf(event.target);
    if (card) openDetails(card.getAttribute("data-action"));
  });
  grid.addEventListener("keydown", function (event) {
    var card = cardOf(event.target);
    if (card && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      openDetails(card.getAttribute("data-action"));
    }
  });
  document.getElementById("details-close").addEventListener("click", closeDetails);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") closeDetails();
  });
  // The panel covers part of the page: while it is open, Tab and Shift+Tab go round
  // within it, never to a link or a card under it; Escape closes it.
  details.addEventListener("keydown", function (event) {
    if (event.key !== "Tab") return;
    var stops = Array.prototype.filter.call(details.querySelectorAll("a[href], button"), shown);
    if (!stops.length) return;
    var first = stops[0], last = stops[stops.length - 1], here = document.activeElement;
    if (event.shiftKey && (here === first || here === details)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && here === last) {
      event.preventDefault();
      first.focus();
    }
  });

  // -- filters and folding --------------------------------------------------------------

  // A stage other than the one chosen is left out, and so is a step where the actor
  // chosen does nothing, so that what is left shows side by side; a stage's header spans
  // the columns of it left.
  function applyFilters() {
    var actor = actorFilter.value, stage = stageFilter.value, acting = {}, spans = {};
    Object.keys(cards).forEach(function (id) {
      cards[id].hidden = actor !== "" && cards[id].getAttribute("data-actor") !== actor;
      if (!cards[id].hidden) acting[cards[id].closest("td").getAttribute("data-column")] = true;
    });
    Array.prototype.forEach.call(grid.querySelectorAll("[data-column]"), function (element) {
      var where = element.getAttribute("data-stage");
      element.hidden = (stage !== "" && where !== stage) || (actor !== "" && !acting[element.getAttribute("data-column")]);
      if (!element.hidden && element.classList.contains("step-header")) spans[where] = (spans[where] || 0) + 1;
    });
    Array.prototype.forEach.call(grid.querySelectorAll("th.stage-header"), function (header) {
      var span = spans[header.getAttribute("data-stage")] || 0;
      header.hidden = span === 0;
      if (span) header.colSpan = span;
    });
    var steps = grid.querySelectorAll("th.step-header");
    status.textContent = Array.prototype.filter.call(steps, function (step) { return !step.hidden; }).length +
      " of " + steps.length + " steps shown";
    redraw();
  }

  actorFilter.addEventListener("change", applyFilters);
  stageFilter.addEventListener("change", applyFilters);
  document.getElementById("filter-reset").addEventListener("click", function () {
    actorFilter.value = "";
    stageFilter.value = "";
    Array.prototype.forEach.call(grid.querySelectorAll("tr.is-folded"), fold);
    applyFilters();
  });

  function fold(row) {
    var folded = row.classList.toggle("is-folded");
    row.querySelector(".fold").setAttribute("aria-expanded", folded ? "false" : "true");
    redraw();
  }

  grid.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button.fold") : null;
    if (button) fold(button.closest("tr"));
  });

  // -- deep links -----------------------------------------------------------------------

  function followHash() {
    var name;
    try {
      name = decodeURIComponent(window.location.hash.slice(1));
    } catch (error) {
      return; // not percent-encoding (page.html#%): no fragment to follow
    }
    if (name.indexOf(data.deepLinkPrefix) !== 0) return;
    var card = document.getElementById(name);
    if (!card || !card.classList.contains("card")) return;
    if (!shown(card)) {
      actorFilter.value = "";
      stageFilter.value = "";
      applyFilters();
      var row = card.closest("tr");
      if (row.classList.contains("is-folded")) fold(row);
    }
    card.scrollIntoView({ block: "center", inline: "center" });
    card.focus({ preventScroll: true });
    highlight(card.getAttribute("data-action"));
    draw();
  }

  window.addEventListener("hashchange", followHash);
  window.addEventListener("resize", redraw);
  // Paper lays the grid out anew. beforeprint comes while the page still has its screen
  // layout, so the arrows are drawn again once print media applies, and once more when
  // it no longer does; beforeprint and afterprint stay for browsers that print without
  // telling media query listeners.
  var printing = window.matchMedia("print");
  if (printing.addEventListener) printing.addEventListener("change", draw);
  else if (printing.addListener) printing.addListener(draw);
  window.addEventListener("beforeprint", draw);
  window.addEventListener("afterprint", draw);
  // The observer also reports the grid's size when it starts, which the first draw has
  // just drawn at: only a size not drawn yet is drawn again.
  if (window.ResizeObserver) {
    new window.ResizeObserver(function () {
      if (grid.offsetWidth + "x" + grid.offsetHeight !== drawnSize) redraw();
    }).observe(grid);
  }
  // In a frame of another page (the MkDocs plugin's), tell that page how tall this one
  // is, now and whenever it changes (a lane folded, a filter set), so that it can give
  // the frame that height and show the grid without scrolling inside the frame.
  function postHeight() {
    var height = document.documentElement.getBoundingClientRect().height;
    if (height !== postedHeight) window.parent.postMessage({ type: "blueprint-dsl:height", height: height }, "*");
    postedHeight = height;
  }
  var postedHeight = null;
  if (window.parent !== window) {
    if (window.ResizeObserver) new window.ResizeObserver(postHeight).observe(document.documentElement);
    window.addEventListener("load", postHeight);
    window.addEventListener("message", function (event) {
      if (event.source !== window.parent || !event.data || event.data.type !== "blueprint-dsl:sized") return;
      framed = true;
      document.documentElement.setAttribute("data-framed", "true");
    });
  }
  draw();
  // After load, so the browser's own jump to the fragment does not undo the centring.
  window.addEventListener("load", function () {
    followHash();
    document.documentElement.setAttribute("data-ready", "true");
  });
})();
