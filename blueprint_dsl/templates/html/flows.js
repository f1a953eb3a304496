// blueprint-dsl page script, first part: where the arrows between the cards go, and
// their labels (page.js draws them). It works on the boxes and points page.js gives it,
// in the grid's px; of the page it touches only the labels it places and the arrows it
// measures for them.
var blueprintFlows = (function () {
  "use strict";

  // px: cards stacked closer than this have no room for an arrow between them.
  var STACKED = 32;
  // px between two flows that join the same two cards, and between loops on one card.
  var GAP = 8;
  // px between the ends of flows along one side of a card, where the side is long enough:
  // an arrowhead is 11 px wide (page.html.j2), and two that touch read as one.
  var PORT_GAP = 12;
  // px kept free at each end of a card's side, where its corner is rounded.
  var PORT_MARGIN = 4;
  // px: the width of the columns of the index of cards' boxes (page.js's "cardIndex").
  var BUCKET = 256;
  // The characters of a line of a flow's label, at most, where its words allow.
  var LABEL_LINE = 32;
  // px apart, in turn, for the pairs of cards whose flows go round cards along one gap.
  var SLOTS = [0, 3, -3, 6, -6];
  // px from its flow's middle, at most, for a label with no room beside its flow; it is
  // drawn there with a leader back to its flow.
  var REACH = 240;
  // px from its flow, at most, for a label read as naming it without a leader (the SVG's
  // leaders start at 16 pt too).
  var NEXT_TO = 16;
  // px, at most, between the points of a flow's line that tell whether a label lies across it:
  // less than a label's height, so that no line runs through one between two points.
  var LINE_STEP = 4;
  // px: the side of the squares of the index of those points.
  var SQUARE = 64;
  // px between the rings of places round a flow's middle tried for a label with no room
  // near its flow, and how many places each ring has.
  var RING = 12, RING_PLACES = 8;
  // px further out than the first clear place of those rings that a label set off its
  // flow looks for one no line runs through (the SVG's labels look as far, 48 pt, before
  // lying across a line of the method): a little further off reads better than across a
  // line, much further does not.
  var FURTHER = 48;

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
    point[axis] = Math.min(Math.max(point[axis], low + PORT_MARGIN), Math.max(low + PORT_MARGIN, high - PORT_MARGIN));
    return point;
  }

  // Gives each flow's end on a card's side a place of its own, PORT_GAP px from the next
  // (closer on a side too short for them all), as near where its route put it as that
  // allows: an arrowhead drawn where another flow's line starts reads as an exchange, and
  // a -> b -> c as a <-> b. The ends keep the order their routes gave them (flows between
  // two cards side by side, or nested); ends at one place are ordered by where each heads,
  // the one going furthest left, or up, first, so that flows fanning out do not cross. Each end is
  // { side: a name for the card and its side, card, axis: 0 along a top or bottom side,
  // 1 along a left or right one, point, heading, flow: the flow's number }; the points are
  // moved in place. A flow whose two ends were level and one of which had to move is made
  // level again where its other end is alone on its side, so that it stays straight.
  function spreadEnds(ends) {
    var sides = {}, moved = {};
    ends.forEach(function (end) {
      end.level = end.point[end.axis];
      (sides[end.side] = sides[end.side] || []).push(end);
    });
    Object.keys(sides).forEach(function (name) {
      var group = sides[name], axis = group[0].axis;
      if (group.length < 2) return;
      group.sort(function (one, other) {
        if (Math.abs(one.level - other.level) > 1) return one.level - other.level;
        return one.heading - other.heading || one.flow - other.flow;
      });
      var low = (axis ? group[0].card.top : group[0].card.left) + PORT_MARGIN;
      var high = Math.max(low, (axis ? group[0].card.bottom : group[0].card.right) - PORT_MARGIN);
      var gap = Math.min(PORT_GAP, (high - low) / (group.length - 1));
      packed(group.map(function (end) { return end.level; }), gap).forEach(function (at, k) {
        // Within the side, each leaving room for the ones before and after it.
        group[k].point[axis] = Math.min(Math.max(at, low + k * gap), high - (group.length - 1 - k) * gap);
        moved[group[k].flow] = moved[group[k].flow] || Math.abs(group[k].point[axis] - group[k].level) > 0.01;
      });
    });
    var byFlow = {};
    ends.forEach(function (end) {
      (byFlow[end.flow] = byFlow[end.flow] || []).push(end);
    });
    ends.forEach(function (end) {
      var pair = byFlow[end.flow], other = pair[0] === end ? pair[1] : pair[0];
      if (!other || !moved[end.flow] || sides[end.side].length > 1 || other.axis !== end.axis ||
          Math.abs(end.level - other.level) > 0.5) return;
      var at = other.point[end.axis], card = end.card;
      if (at >= (end.axis ? card.top : card.left) + PORT_MARGIN && at <= (end.axis ? card.bottom : card.right) - PORT_MARGIN) {
        end.point[end.axis] = at;
      }
    });
  }

  // The places nearest those wanted, in order, each at least gap after the one before it:
  // a run of places too close together is spread evenly around where its members wanted to be.
  function packed(wanted, gap) {
    var runs = [];  // each [where its first member goes, less k gaps for the kth, and how many]
    wanted.forEach(function (at, k) {
      var run = [at - k * gap, 1];
      while (runs.length && runs[runs.length - 1][0] > run[0]) {
        var last = runs.pop();
        run = [(last[0] * last[1] + run[0] * run[1]) / (last[1] + run[1]), last[1] + run[1]];
      }
      runs.push(run);
    });
    var places = [];
    runs.forEach(function (run) {
      for (var k = 0; k < run[1]; k++) places.push(run[0] + places.length * gap);
    });
    return places;
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
  function hidden(p, c, q, cardIndex, a, b, bounds) {
    // A point at least every 12 px (the control polygon is longer than the curve), so
    // that no card falls between two.
    var steps = Math.max(24, Math.ceil((distance(p, c[0]) + distance(c[0], c[1]) + distance(c[1], q)) / 12));
    for (var i = 1; i < steps; i++) {
      var t = i / steps, u = 1 - t;
      var x = u * u * u * p[0] + 3 * u * u * t * c[0][0] + 3 * u * t * t * c[1][0] + t * t * t * q[0];
      var y = u * u * u * p[1] + 3 * u * u * t * c[0][1] + 3 * u * t * t * c[1][1] + t * t * t * q[1];
      if (x < 0 || y < 0 || x > bounds.width || y > bounds.height) return true;
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
  function detour(a, b, cellA, cellB, inset, bounds) {
    var rightwards = cellB.left >= cellA.right - 1, leftwards = cellB.right <= cellA.left + 1;
    if (!rightwards && !leftwards) {
      var right = cellA.right < bounds.width - 1, x = right ? cellA.right : cellA.left;
      return [[right ? a.right : a.left, a.cy], [x, a.cy], [x, b.cy], [right ? b.right : b.left, b.cy]];
    }
    var p = [rightwards ? a.right : a.left, a.cy], q = [rightwards ? b.left : b.right, b.cy];
    var xa = rightwards ? cellA.right : cellA.left, xb = rightwards ? cellB.left : cellB.right;
    if (Math.abs(xa - xb) < 1) return [p, [xa, p[1]], [xa, q[1]], q];
    var below = b.top >= a.top ? cellA.bottom < bounds.height - 1 : cellA.top < 1;
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

  // Places each label where it covers no card, no note, no label placed before it and
  // nothing outside the grid: where it is (beside its flow's middle), else beside points
  // further along its flow, else over or under the cards it joins, else, with no room
  // near its flow, the nearest clear place within REACH of its flow's middle. Of those
  // near its flow, one that another flow's line or a line of the method ("methodLines",
  // each { left, right, y }) runs through is taken only when none is clear of them: a line
  // through a label is hard to read, and another flow's makes it seem to name that flow.
  // A place not next to its flow is taken only where the leader back to it can be seen,
  // if one can. Returns the leaders of the labels placed off their flows, each [entry,
  // from, to]: from the label's box to its flow's middle. Every box is read before any
  // label moves, so the page is laid out once.
  function placeLabels(entries, cardIndex, bounds, methodLines) {
    var placed = [], moves = [], leaders = [], flowLines = null;
    // What runs through a box: 0 nothing, 1 a line of the method, 2 the line of a flow other than "number".
    function crossed(r, number) {
      flowLines = flowLines || lineIndex(entries);
      if (acrossFlows(r, number, flowLines)) return 2;
      return acrossMethod(r, methodLines || []) ? 1 : 0;
    }
    entries.forEach(function (entry, number) {
      if (!entry.label) return;
      var text = entry.label, b = text.getBBox(), x = +text.getAttribute("x"), y = +text.getAttribute("y");
      function rect(at) {
        var left = b.x + at[0] - x, top = b.y + at[1] - y;
        return { left: left, top: top, right: left + b.width, bottom: top + b.height, at: at };
      }
      // Of the clear places tried that pass "also", the one fewest lines run through, the
      // first of equals; "best" (of rank "rank") stands unless one is better.
      function leastCrossed(tries, also, best, rank, spread) {
        var until = tries.length;
        rank = best ? rank : 3;
        for (var i = 0; i < tries.length && rank > 0; i++) {
          // Given "spread", only a place another flow's line runs through is bettered more
          // than that many tries past the first clear one.
          if (i >= until && rank < 2) break;
          var r = rect(tries[i]);
          if (!clear(r, cardIndex, placed, bounds) || (also && !also(r))) continue;
          var k = crossed(r, number);
          if (!best && spread !== undefined) until = i + 1 + spread;
          if (k < rank) {
            best = r;
            rank = k;
          }
        }
        return best || null;
      }
      var free = rect([x, y]), first = clear(free, cardIndex, placed, bounds) ? free : null;
      var firstRank = first ? crossed(first, number) : 3;
      if (firstRank > 0) {
        // Measured along the flow only for a label whose first place is taken or crossed.
        var length = entry.path.getTotalLength(), m = entry.path.getPointAtLength(length / 2);
        var middle = [m.x, m.y], samples = null;
        function leaderFrom(r) {  // the point of a box nearest the flow's middle
          return [Math.min(Math.max(m.x, r.left), r.right), Math.min(Math.max(m.y, r.top), r.bottom)];
        }
        // Whether a leader from the box would be seen: it is drawn under the cards, as the arrows are.
        function seen(r) {
          var from = leaderFrom(r);
          return !hidden(from, [from, middle], middle, cardIndex, null, null, bounds);
        }
        // Whether the box is next to its flow, where it reads as naming it without a leader:
        // over or under a card the flow joins, it may be a card's height away, across the card.
        function nextTo(r) {
          samples = samples || pointsAlong(entry.path, length);
          return samples.some(function (point) { return gap(point, r) <= NEXT_TO; });
        }
        var near = leastCrossed(elsewhere(entry, b, b.y - y, methodLines || []),
                                function (r) { return nextTo(r) || seen(r); }, first, firstRank);
        // Far off: where its leader can be seen, else anywhere clear, rather than over other labels.
        var far = null;
        if (!near) {
          var tries = around(m, b, b.x - x, b.y - y), spread = FURTHER / RING * RING_PLACES;
          far = leastCrossed(tries, seen, null, 3, spread) || leastCrossed(tries, null, null, 3, spread);
        }
        if (near || far) {
          free = near || far;
          if (free !== first) moves.push([text, free.at]);
          if (far || !nextTo(near)) leaders.push([entry, leaderFrom(free), middle]);
        }
      }
      placed.push(free);
    });
    moves.forEach(function (move) {
      moveLabel(move[0], move[1]);
    });
    return leaders;
  }

  // The points of every flow's line (entry.line: { curve: [p, c1, c2, q] } or { way: points }),
  // each [x, y, the flow's number], filed by the square SQUARE px wide they lie in.
  function lineIndex(entries) {
    var index = {};
    entries.forEach(function (entry, number) {
      if (!entry.line) return;
      linePoints(entry.line).forEach(function (point) {
        var key = Math.floor(point[0] / SQUARE) + " " + Math.floor(point[1] / SQUARE);
        (index[key] = index[key] || []).push([point[0], point[1], number]);
      });
    });
    return index;
  }

  // Points along a flow's line, at most LINE_STEP px apart.
  function linePoints(line) {
    return line.curve ? curvePoints.apply(null, line.curve) : wayPoints(line.way);
  }

  // Points along a cubic Bezier, at most LINE_STEP px apart (its control polygon is longer than it).
  function curvePoints(p, c1, c2, q) {
    var points = [], steps = Math.max(1, Math.ceil((distance(p, c1) + distance(c1, c2) + distance(c2, q)) / LINE_STEP));
    for (var i = 0; i <= steps; i++) {
      var t = i / steps, u = 1 - t;
      points.push([u * u * u * p[0] + 3 * u * u * t * c1[0] + 3 * u * t * t * c2[0] + t * t * t * q[0],
                   u * u * u * p[1] + 3 * u * u * t * c1[1] + 3 * u * t * t * c2[1] + t * t * t * q[1]]);
    }
    return points;
  }

  // Points along a way round, at most LINE_STEP px apart on each of its pieces.
  function wayPoints(way) {
    var points = [way[0]];
    for (var i = 1; i < way.length; i++) {
      var from = way[i - 1], to = way[i], steps = Math.max(1, Math.ceil(distance(from, to) / LINE_STEP));
      for (var k = 1; k <= steps; k++) {
        points.push([from[0] + (to[0] - from[0]) * k / steps, from[1] + (to[1] - from[1]) * k / steps]);
      }
    }
    return points;
  }

  // Whether the line of a flow other than "number" runs through a box, or within 1 px of it.
  function acrossFlows(r, number, index) {
    var left = r.left - 1, top = r.top - 1, right = r.right + 1, bottom = r.bottom + 1;
    for (var i = Math.floor(left / SQUARE); i <= Math.floor(right / SQUARE); i++) {
      for (var j = Math.floor(top / SQUARE); j <= Math.floor(bottom / SQUARE); j++) {
        var points = index[i + " " + j] || [];
        for (var k = 0; k < points.length; k++) {
          var point = points[k];
          if (point[2] !== number && point[0] > left && point[0] < right && point[1] > top && point[1] < bottom) {
            return true;
          }
        }
      }
    }
    return false;
  }

  // The points where a line through the points crosses the lines of the method.
  function crossingsOf(points, methodLines) {
    var found = [];
    for (var i = 1; i < points.length; i++) {
      var p = points[i - 1], q = points[i];
      methodLines.forEach(function (line) {
        if (p[1] === q[1] || (p[1] - line.y) * (q[1] - line.y) > 0) return;
        var x = p[0] + (q[0] - p[0]) * (line.y - p[1]) / (q[1] - p[1]);
        if (x >= line.left && x <= line.right) found.push([x, line.y]);
      });
    }
    return found;
  }

  // Whether a line of the method, 2 px thick, runs through a box.
  function acrossMethod(r, methodLines) {
    return methodLines.some(function (line) {
      return line.y > r.top - 1 && line.y < r.bottom + 1 && r.right > line.left && r.left < line.right;
    });
  }

  // Points along a path, at most 4 px apart.
  function pointsAlong(path, length) {
    var points = [];
    for (var l = 0; l < length + 4; l += 4) {
      var q = path.getPointAtLength(Math.min(l, length));
      points.push([q.x, q.y]);
    }
    return points;
  }

  // How far a point lies from a box, 0 inside it.
  function gap(point, r) {
    var dx = Math.max(r.left - point[0], 0, point[0] - r.right), dy = Math.max(r.top - point[1], 0, point[1] - r.bottom);
    return Math.sqrt(dx * dx + dy * dy);
  }

  // Places for a label of box b round the point m, in rings RING px apart from 16 px out
  // to REACH, nearest first; each is where its first line starts, the box's left and
  // top being left and top from that.
  function around(m, b, left, top) {
    var tries = [];
    for (var r = 16; r <= REACH; r += RING) {
      for (var k = 0; k < RING_PLACES; k++) {
        var angle = k * 2 * Math.PI / RING_PLACES, cx = m.x + r * Math.cos(angle), cy = m.y + r * Math.sin(angle);
        tries.push([cx - b.width / 2 - left, cy - b.height / 2 - top]);
      }
    }
    return tries;
  }

  // A label's first line starts at point at, its other lines under it.
  function moveLabel(text, at) {
    text.setAttribute("x", round(at[0]));
    text.setAttribute("y", round(at[1]));
    Array.prototype.forEach.call(text.childNodes, function (span) {
      span.setAttribute("x", round(at[0]));
    });
  }

  // The lines of a label, broken at spaces, of at most LABEL_LINE characters where its
  // words allow: about a card wide. Joined with a space between, they are the label.
  function wrap(label) {
    var lines = [];
    label.split(" ").forEach(function (word, k) {
      var last = lines.length - 1;
      if (k && lines[last].length + 1 + word.length <= LABEL_LINE) lines[last] += " " + word;
      else lines.push(word);
    });
    return lines;
  }

  // The other places a label of box b tries, in turn: beside points further along its
  // flow, then beside it just over or under each line of the method it crosses, then just
  // over or under the cards it joins, for a short flow with no room beside it. Each is where
  // its first line starts; the box's top is top below that (above: < 0).
  function elsewhere(entry, b, top, methodLines) {
    var tries = [], length = entry.path.getTotalLength();
    var over = -2 - top - b.height, under = 2 - top;
    [0.5, 0.35, 0.65, 0.2, 0.8, 0.08, 0.92].forEach(function (t) {
      var at = entry.path.getPointAtLength(length * t);
      [[4, over], [4, under], [-b.width - 4, over], [-b.width - 4, under]].forEach(function (d) {
        tries.push([at.x + d[0], at.y + d[1]]);
      });
    });
    // A flow between two lanes often has room for its label only in the gap between a card
    // and the line of the method it crosses: 1 px further off, the label's box is 3 px
    // off the line, as it is 2 px off the cards.
    if (entry.line) {
      crossingsOf(linePoints(entry.line), methodLines).forEach(function (at) {
        tries.push([at[0] + 4, at[1] - 1 + over], [at[0] + 4, at[1] + 1 + under],
                   [at[0] - b.width - 4, at[1] - 1 + over], [at[0] - b.width - 4, at[1] + 1 + under]);
      });
    }
    [entry.from, entry.to].forEach(function (card) {
      tries.push([card.right - b.width, card.top + over], [card.right - b.width, card.bottom + under]);
    });
    return tries;
  }

  // Whether a label's box is 2 px clear of the cards and the labels placed, inside the grid
  // and right of and below its titles (bounds.left, bounds.top), which stay over it when it scrolls.
  function clear(r, cardIndex, placed, bounds) {
    if (r.left < (bounds.left || 0) || r.top < (bounds.top || 0) || r.right > bounds.width || r.bottom > bounds.height) {
      return false;
    }
    function off(o) {
      return r.right + 2 <= o.left || o.right + 2 <= r.left || r.bottom + 2 <= o.top || o.bottom + 2 <= r.top;
    }
    for (var k = Math.floor(r.left / BUCKET); k <= Math.floor(r.right / BUCKET); k++) {
      if (!(cardIndex[k] || []).every(off)) return false;
    }
    return placed.every(off);
  }

  return {
    GAP: GAP,
    BUCKET: BUCKET,
    SLOTS: SLOTS,
    ends: ends,
    apart: apart,
    spreadEnds: spreadEnds,
    selfLoop: selfLoop,
    controls: controls,
    round: round,
    middle: middle,
    hidden: hidden,
    detour: detour,
    parallel: parallel,
    polyline: polyline,
    longestMiddle: longestMiddle,
    placeLabels: placeLabels,
    moveLabel: moveLabel,
    wrap: wrap
  };
})();
