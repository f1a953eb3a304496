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
  var cards = {};
  Array.prototype.forEach.call(grid.querySelectorAll(".card[data-action]"), function (card) {
    cards[card.getAttribute("data-action")] = card;
  });
  var paths = [];
  // px: cards stacked closer than this have no room for an arrow between them.
  var STACKED = 32;
  // px between two flows that join the same two cards, and between loops on one card.
  var GAP = 8;
  // px: the width of the columns of the index of cards' boxes (draw's "cardIndex").
  var BUCKET = 256;
  // px apart, in turn, for the pairs of cards whose flows go round cards along one gap.
  var SLOTS = [0, 3, -3, 6, -6];
  var pending = false;
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

  // The two points an arrow joins: facing sides when the cards lie further apart
  // across than down, else bottom and top. A flow along one lane that skips columns
  // arcs under the lane's cards instead of running behind them; one between two cards
  // stacked in a cell, too close for an arrowhead between them, bows out to the right.
  function ends(a, b, sameLane) {
    var across = Math.max(b.left - a.right, a.left - b.right);
    var down = Math.max(b.top - a.bottom, a.top - b.bottom);
    if (sameLane && across > 60) return [[a.cx, a.bottom], [b.cx, b.bottom], "u"];
    if (across < 0 && down < STACKED) return [[a.right, a.cy], [b.right, b.cy], "r"];
    if (across > 0 && across >= down) {
      if (a.right <= b.left) return [[a.right, a.cy], [b.left, b.cy], "h"];
      return [[a.left, a.cy], [b.right, b.cy], "h"];
    }
    if (a.bottom <= b.top) return [[a.cx, a.bottom], [b.cx, b.top], "v"];
    return [[a.cx, a.top], [b.cx, b.bottom], "v"];
  }

  // Flows between the same two cards (a -> b and b -> a, say) are moved "offset" px
  // apart, so that two one-way flows do not read as one exchange: side by side when
  // they run across or down, nested when they arc under a lane or bow to the right.
  // An end stays on its card's side.
  function apart(e, a, b, offset) {
    var p = e[0].slice(), q = e[1].slice(), direction = e[2], sign;
    if (direction === "h") {
      p[1] += offset;
      q[1] += offset;
    } else if (direction === "v") {
      p[0] += offset;
      q[0] += offset;
    } else if (direction === "u") {
      sign = q[0] >= p[0] ? 1 : -1;
      p[0] -= sign * offset;
      q[0] += sign * offset;
    } else {
      sign = q[1] >= p[1] ? 1 : -1;
      p[1] -= sign * offset;
      q[1] += sign * offset;
    }
    var axis = direction === "h" || direction === "r" ? 1 : 0;
    return [onSide(p, a, axis), onSide(q, b, axis), direction, offset];
  }

  // The point moved along its card's side (axis 0: x, 1: y) to lie on it, clear of the corners.
  function onSide(point, card, axis) {
    var low = axis ? card.top : card.left, high = axis ? card.bottom : card.right;
    point[axis] = Math.min(Math.max(point[axis], low + 4), Math.max(low + 4, high - 4));
    return point;
  }

  // A flow from a card to itself: a loop out of its right side and back in, level at
  // both ends so that the head points into the card beside it; the nth of a card's
  // "count" loops goes around the ones before it. They reach no further than the gap
  // beside the card ("room" px to its cell's edge, as much again to the next card),
  // all of them shortened alike.
  function selfLoop(a, nth, count, room) {
    var scale = Math.min(1, (2 * room - 1.5) / 0.75 / (24 + (count - 1) * GAP));
    var half = 10 + nth * GAP / 2, reach = (24 + nth * GAP) * Math.max(scale, 0);
    var p = [round(a.right), round(a.cy - half)], q = [round(a.right), round(a.cy + half)];
    return [p, [p[0] + reach, p[1]], [q[0] + reach, q[1]], q];
  }

  // The two control points of the curve from p to q, leaving and entering straight;
  // The bow moves a curve that arcs under or to the right further out.
  function controls(p, q, direction, bow) {
    var d;
    if (direction === "u") {
      d = round(Math.max(p[1], q[1]) + 24 + Math.min(40, Math.abs(q[0] - p[0]) / 12) + bow);
      return [[p[0], d], [q[0], d]];
    }
    if (direction === "r") {
      d = round(Math.max(p[0], q[0]) + 22 + bow);
      return [[d, p[1]], [d, q[1]]];
    }
    if (direction === "h") {
      d = Math.max(18, Math.abs(q[0] - p[0]) / 2) * (q[0] >= p[0] ? 1 : -1);
      return [[round(p[0] + d), p[1]], [round(q[0] - d), q[1]]];
    }
    d = Math.max(12, Math.abs(q[1] - p[1]) / 2) * (q[1] >= p[1] ? 1 : -1);
    return [[p[0], round(p[1] + d)], [q[0], round(q[1] - d)]];
  }

  function round(n) {
    return Math.round(n * 10) / 10;
  }

  // A cubic Bezier's point at t = 1/2, where a flow's label goes.
  function middle(p, c1, c2, q) {
    return [(p[0] + 3 * c1[0] + 3 * c2[0] + q[0]) / 8, (p[1] + 3 * c1[1] + 3 * c2[1] + q[1]) / 8];
  }

  // Whether some of a cubic Bezier from p to q would be hidden: under a card other than
  // the two it joins (a and b, boxes of the card index), for cards are drawn over the arrows
  // and one that hid an arrow would seem to be on its way; or outside the grid, which
  // cuts it off.
  function hidden(p, c, q, cardIndex, a, b) {
    // A point at least every 12 px (the control polygon is longer than the curve), so
    // that no card falls between two.
    var steps = Math.max(24, Math.ceil((distance(p, c[0]) + distance(c[0], c[1]) + distance(c[1], q)) / 12));
    for (var i = 1; i < steps; i++) {
      var t = i / steps, u = 1 - t;
      var x = u * u * u * p[0] + 3 * u * u * t * c[0][0] + 3 * u * t * t * c[1][0] + t * t * t * q[0];
      var y = u * u * u * p[1] + 3 * u * u * t * c[0][1] + 3 * u * t * t * c[1][1] + t * t * t * q[1];
      if (x < 0 || y < 0 || x > grid.offsetWidth || y > grid.offsetHeight) return true;
      var near = cardIndex[Math.floor(x / BUCKET)] || [];
      for (var j = 0; j < near.length; j++) {
        var r = near[j];
        if (r !== a && r !== b && x > r.left && x < r.right && y > r.top && y < r.bottom) return true;
      }
    }
    return false;
  }

  // A way round the other cards, along the gaps between the grid's cells, where no card
  // stands: out of the card's side to its column's edge, along its row's edge to the
  // other card's column (below the row when that card is as low or lower, else above),
  // and in at the side; "inset" px inside the gap. Cards in one column are joined along
  // its right edge. Nothing runs along the grid's outer edges, where it would be cut off.
  function detour(a, b, cellA, cellB, inset) {
    var rightwards = cellB.left >= cellA.right - 1, leftwards = cellB.right <= cellA.left + 1;
    if (!rightwards && !leftwards) {
      var right = cellA.right < grid.offsetWidth - 1, x = right ? cellA.right : cellA.left;
      return [[right ? a.right : a.left, a.cy], [x, a.cy], [x, b.cy], [right ? b.right : b.left, b.cy]];
    }
    var p = [rightwards ? a.right : a.left, a.cy], q = [rightwards ? b.left : b.right, b.cy];
    var xa = rightwards ? cellA.right : cellA.left, xb = rightwards ? cellB.left : cellB.right;
    if (Math.abs(xa - xb) < 1) return [p, [xa, p[1]], [xa, q[1]], q];
    var below = b.top >= a.top ? cellA.bottom < grid.offsetHeight - 1 : cellA.top < 1;
    var y = below ? cellA.bottom + inset : cellA.top - inset;
    return [p, [xa, p[1]], [xa, y], [xb, y], [xb, q[1]], q];
  }

  // The way moved "shift" px to its left (to its right when negative), each piece along
  // its own normal and each corner along both: flows along the same gaps, one way or
  // back, lie side by side and never cross. The ends stay on their cards' sides.
  function parallel(points, a, b, shift) {
    var normals = points.slice(1).map(function (point, i) {
      return [Math.sign(point[1] - points[i][1]), -Math.sign(point[0] - points[i][0])];
    });
    var moved = points.map(function (point, i) {
      var before = normals[i - 1] || [0, 0], after = normals[i] || [0, 0];
      return [point[0] + shift * (before[0] + after[0]), point[1] + shift * (before[1] + after[1])];
    });
    onSide(moved[0], a, 1);
    onSide(moved[moved.length - 1], b, 1);
    return moved;
  }

  // The path through the points, its corners rounded.
  function polyline(points) {
    var d = "M" + points[0].map(round);
    for (var i = 1; i < points.length - 1; i++) {
      var o = points[i - 1], m = points[i], n = points[i + 1];
      var r = Math.min(6, distance(o, m) / 2, distance(m, n) / 2);
      d += " L" + toward(m, o, r) + " Q" + m.map(round) + " " + toward(m, n, r);
    }
    return d + " L" + points[points.length - 1].map(round);
  }

  function distance(p, q) {
    return Math.abs(q[0] - p[0]) + Math.abs(q[1] - p[1]);
  }

  // The point r px from m toward n, on a line across or down.
  function toward(m, n, r) {
    var length = distance(m, n) || 1;
    return [round(m[0] + (n[0] - m[0]) * r / length), round(m[1] + (n[1] - m[1]) * r / length)];
  }

  // The middle of the longest piece of a detour, where its label goes.
  function longestMiddle(points) {
    var best = 0;
    for (var i = 1; i < points.length - 1; i++) {
      if (distance(points[i], points[i + 1]) > distance(points[best], points[best + 1])) best = i;
    }
    return [(points[best][0] + points[best + 1][0]) / 2, (points[best][1] + points[best + 1][1]) / 2];
  }

  // Each label where it covers no card, no label placed before it and nothing outside
  // the grid: where its flow's middle puts it if that is free, else beside points further
  // along its flow, above or below, right or left of it, else over or under the cards it
  // joins; where none is free, where it was. Every box is read before any label moves,
  // so the page is laid out once.
  function placeLabels(entries, cardIndex) {
    var placed = [], moves = [];
    entries.forEach(function (entry) {
      if (!entry.label) return;
      var text = entry.label, b = text.getBBox(), x = +text.getAttribute("x"), y = +text.getAttribute("y");
      var tries = [[x, y]], length = entry.path.getTotalLength();
      [0.5, 0.35, 0.65, 0.2, 0.8, 0.08, 0.92].forEach(function (t) {
        var at = entry.path.getPointAtLength(length * t);
        [[4, -4], [4, b.height + 2], [-b.width - 4, -4], [-b.width - 4, b.height + 2]].forEach(function (d) {
          tries.push([at.x + d[0], at.y + d[1]]);
        });
      });
      // Then just over or under the cards it joins, for a short flow with no room beside it.
      [entry.from, entry.to].forEach(function (card) {
        tries.push([card.right - b.width, card.top - 4], [card.right - b.width, card.bottom + b.height + 2]);
      });
      var rects = tries.map(function (at) {
        var left = b.x + at[0] - x, top = b.y + at[1] - y;
        return { left: left, top: top, right: left + b.width, bottom: top + b.height, at: at };
      });
      var free = rects[0];
      for (var i = 0; i < rects.length; i++) {
        if (clear(rects[i], cardIndex, placed)) {
          free = rects[i];
          break;
        }
      }
      placed.push(free);
      if (free !== rects[0]) moves.push([text, free.at]);
    });
    moves.forEach(function (move) {
      move[0].setAttribute("x", round(move[1][0]));
      move[0].setAttribute("y", round(move[1][1]));
    });
  }

  // Whether a label's box is 2 px clear of the cards and the labels placed, inside the grid.
  function clear(r, cardIndex, placed) {
    if (r.left < 0 || r.top < 0 || r.right > grid.offsetWidth || r.bottom > grid.offsetHeight) return false;
    function off(o) {
      return r.right + 2 <= o.left || o.right + 2 <= r.left || r.bottom + 2 <= o.top || o.bottom + 2 <= r.top;
    }
    for (var k = Math.floor(r.left / BUCKET); k <= Math.floor(r.right / BUCKET); k++) {
      if (!(cardIndex[k] || []).every(off)) return false;
    }
    return placed.every(off);
  }

  // Reads every card's box first and writes the arrows in one go afterwards, so a
  // large blueprint is laid out once per redraw, not once per flow.
  function draw() {
    pending = false;
    var origin = wrap.getBoundingClientRect();
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
    // Every card shown, in columns BUCKET px wide, to look up the cards near a point.
    var cardIndex = {};
    Object.keys(cards).forEach(function (id) {
      var r = boxOf(id);
      if (!r) return;
      for (var k = Math.floor(r.left / BUCKET); k <= Math.floor(r.right / BUCKET); k++) {
        (cardIndex[k] = cardIndex[k] || []).push(r);
      }
    });
    var fragment = document.createDocumentFragment();
    var labels = document.createDocumentFragment();
    // Each flow's curve first. Where one of the flows between two cards would be hidden
    // in part, all of them go round, so that they stay side by side.
    var roundabout = {};
    var curves = drawn.map(function (item) {
      var flow = item.flow;
      if (flow.source === flow.target) {
        var loop = selfLoop(item.from, item.nth, between[item.pair],
                            box(cards[flow.source].parentNode, origin).right - item.from.right);
        return { p: loop[0], c: [loop[1], loop[2]], q: loop[3] };
      }
      var sameLane = cards[flow.source].getAttribute("data-lane") === cards[flow.target].getAttribute("data-lane");
      var offset = (item.nth - (between[item.pair] - 1) / 2) * GAP;
      var e = apart(ends(item.from, item.to, sameLane), item.from, item.to, offset);
      var p = [round(e[0][0]), round(e[0][1])], q = [round(e[1][0]), round(e[1][1])], c = controls(p, q, e[2], e[3]);
      if (hidden(p, c, q, cardIndex, item.from, item.to)) roundabout[item.pair] = true;
      return { p: p, c: c, q: q, offset: offset };
    });
    var perGap = {}, slots = {};
    paths = drawn.map(function (item, i) {
      var flow = item.flow, curve = curves[i], d, m;
      if (roundabout[item.pair]) {
        var cellA = box(cards[flow.source].parentNode, origin), cellB = box(cards[flow.target].parentNode, origin);
        var room = Math.min(cellA.right - item.from.right, item.from.left - cellA.left, item.from.top - cellA.top,
                            cellB.right - item.to.right, item.to.left - cellB.left, item.to.top - cellB.top);
        var inset = Math.min(2, room / 4), way = detour(item.from, item.to, cellA, cellB, inset);
        // Either side of their way for the flows between two cards, whichever way each
        // runs; in turn a little apart for the pairs whose ways run along the same gap (a
        // column's edge or a row's). All within the room the cells leave round their
        // cards, which is less in print.
        if (!(item.pair in slots)) {
          var gaps = way.slice(1, -2).map(function (point, k) {
            return point[1] === way[k + 2][1] ? "y" + round(point[1]) : "x" + round(point[0]);
          });
          var taken = Math.max.apply(null, gaps.map(function (gap) { return perGap[gap] || 0; }));
          gaps.forEach(function (gap) { perGap[gap] = taken + 1; });
          slots[item.pair] = SLOTS[taken % SLOTS.length];
        }
        // The pair's flows keep apart first; its slot takes what room is left.
        var limit = Math.max(0, room - 1.5 - inset), outer = (between[item.pair] - 1) / 2 * GAP;
        var offset = curve.offset * Math.min(1, limit / Math.max(outer, 1));
        var slot = Math.sign(slots[item.pair]) * Math.min(Math.abs(slots[item.pair]), Math.max(0, limit - outer));
        var shift = (offset + slot) * (flow.source < flow.target ? 1 : -1);
        var points = parallel(way, item.from, item.to, shift);
        d = polyline(points);
        m = longestMiddle(points);
      } else {
        d = "M" + curve.p + " C" + curve.c[0] + " " + curve.c[1] + " " + curve.q;
        m = middle(curve.p, curve.c[0], curve.c[1], curve.q);
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
      var entry = { flow: flow, path: path, label: null, from: item.from, to: item.to };
      if (flow.label) {
        var text = document.createElementNS(SVG_NS, "text");
        text.setAttribute("class", "flow-label");
        text.setAttribute("x", round(m[0] + 4));
        text.setAttribute("y", round(m[1] - 4));
        text.textContent = flow.label;
        labels.appendChild(text);
        entry.label = text;
      }
      return entry;
    });
    while (layer.firstChild) layer.removeChild(layer.firstChild);
    layer.appendChild(fragment);
    while (labelLayer.firstChild) labelLayer.removeChild(labelLayer.firstChild);
    labelLayer.appendChild(labels);
    [svg, labelLayer].forEach(function (element) {
      element.setAttribute("width", grid.offsetWidth);
      element.setAttribute("height", grid.offsetHeight);
    });
    placeLabels(paths, cardIndex);
    highlight(activeId);
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
    var card = cardOf(event.target);
    highlight(card ? card.getAttribute("data-action") : focusedId());
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

  // -- filters and folding --------------------------------------------------------------

  function applyFilters() {
    var actor = actorFilter.value, stage = stageFilter.value;
    Array.prototype.forEach.call(grid.querySelectorAll("th[data-stage], td[data-stage]"), function (element) {
      element.hidden = stage !== "" && element.getAttribute("data-stage") !== stage;
    });
    Object.keys(cards).forEach(function (id) {
      cards[id].hidden = actor !== "" && cards[id].getAttribute("data-actor") !== actor;
    });
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
  if (window.ResizeObserver) new window.ResizeObserver(redraw).observe(grid);
  draw();
  // After load, so the browser's own jump to the fragment does not undo the centring.
  window.addEventListener("load", function () {
    followHash();
    document.documentElement.setAttribute("data-ready", "true");
  });
})();
