// blueprint-dsl page script, third part: draws the flows as arrows between the cards,
// and their labels, where flows.js and labels.js say they go. page.js, which comes last
// in the page's script, gives it the page and says when to draw. The labels' text goes
// in through textContent, never as markup.
var blueprintArrows = function (page) {
  "use strict";
  var SVG_NS = "http://www.w3.org/2000/svg";
  var data = page.data, wrap = page.wrap, grid = page.grid, cards = page.cards, shown = page.shown;
  // The grid's layers (a printed sheet's, for a copy of the grid: sheets.js).
  var svg = wrap.querySelector("svg.flows:not(.flow-labels)");
  var layer = svg.querySelector(".flow-paths");
  // Labels go on a layer above the cards, so a card never hides one.
  var labelLayer = wrap.querySelector("svg.flow-labels");
  // Where the arrows go, and their labels: flows.js and labels.js, which come first in the page's script.
  var flows = window.blueprintFlows, labelling = window.blueprintLabels;
  // What was drawn last: each flow's arrow, label and leader, and the grid's width and height.
  var drawing = { paths: [], size: "", draw: draw };

  function box(element, origin) {
    var r = element.getBoundingClientRect();
    var x = r.left - origin.left + wrap.scrollLeft;
    var y = r.top - origin.top + wrap.scrollTop;
    return { left: x, top: y, right: x + r.width, bottom: y + r.height, cx: x + r.width / 2, cy: y + r.height / 2 };
  }

  // Reads every card's box first and writes the arrows in one go afterwards, so a
  // large blueprint is laid out once per redraw, not once per flow.
  function draw() {
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
    drawing.paths = drawn.map(function (item, i) {
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
    drawing.size = grid.offsetWidth + "x" + grid.offsetHeight;
    [svg, labelLayer].forEach(function (element) {
      element.setAttribute("width", grid.offsetWidth);
      element.setAttribute("height", grid.offsetHeight);
    });
    labelling.placeLabels(drawing.paths, coverIndex, bounds, methodLines).forEach(function (leader) {
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
  }

  // A line of Hebrew or Arabic in a label runs right to left, its punctuation at its own
  // end: set apart by first-strong and pop isolate marks, which SVG text has no dir for.
  // They take no room, so the label's box and place are those of its text.
  var RIGHT_TO_LEFT = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]/;
  function ownDirection(line) {
    return RIGHT_TO_LEFT.test(line) ? "\u2068" + line + "\u2069" : line;
  }

  return drawing;
};
