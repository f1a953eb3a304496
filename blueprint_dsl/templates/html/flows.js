// blueprint-dsl page script, first part: where the arrows between the cards go (arrows.js
// draws them; labels.js places their labels). It works on the boxes and points arrows.js
// gives it, in the grid's px, and touches nothing of the page.
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
  // px: the width of the columns of the index of cards' boxes (arrows.js's "cardIndex").
  var BUCKET = 256;
  // px apart, in turn, for the pairs of cards whose flows go round cards along one gap.
  var SLOTS = [0, 3, -3, 6, -6];

  // The two points an arrow joins: facing sides when the cards lie further apart
  // across than down, else bottom and top. A flow along one lane that skips columns
  // arcs under the lane's cards instead of running behind them; one between two cards
  // stacked in a cell, too close for an arrowhead between them, bows out to the right.
  // Cards of two lanes have a line of the method between them, room enough for an
  // arrowhead even where print sets them closer than STACKED.
  function ends(a, b, sameLane) {
    var across = Math.max(b.left - a.right, a.left - b.right);
    var down = Math.max(b.top - a.bottom, a.top - b.bottom);
    if (sameLane && across > 60) return [[a.cx, a.bottom], [b.cx, b.bottom], "u"];
    if (sameLane && across < 0 && down < STACKED) return [[a.right, a.cy], [b.right, b.cy], "r"];
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

  // Gives the ends of the flows arrows.js draws ("drawn", each { flow, from, to }, with its
  // curve, or its way round where it has one) places of their own along each card's side
  // (spreadEnds), then bends the lines to their ends again: a curve's controls,
  // a loop's and a way round's first and last stretches, level with their ends.
  function spreadAllEnds(drawn, curves, ways) {
    var ends = [];
    function end(item, number, start, point, heading) {
      var id = start ? item.flow.source : item.flow.target, card = start ? item.from : item.to;
      var side = nearestSide(point, card), axis = side === "left" || side === "right" ? 1 : 0;
      ends.push({ side: id + " " + side, card: card, axis: axis, point: point,
                  heading: heading === undefined ? point[axis] : heading, flow: number });
    }
    drawn.forEach(function (item, i) {
      var curve = curves[i], points = ways[i];
      if (points) {
        // Heading for where it turns to after its first stretch (before its last).
        end(item, i, true, points[0], points[2][1]);
        end(item, i, false, points[points.length - 1], points[points.length - 3][1]);
      } else if (curve.loop) {
        end(item, i, true, curve.p);
        end(item, i, false, curve.q);
      } else {
        var across = nearestSide(curve.p, item.from) === "top" || nearestSide(curve.p, item.from) === "bottom";
        end(item, i, true, curve.p, across ? item.to.cx : item.to.cy);
        end(item, i, false, curve.q, across ? item.from.cx : item.from.cy);
      }
    });
    spreadEnds(ends);
    drawn.forEach(function (item, i) {
      var curve = curves[i], points = ways[i];
      if (points) {
        points[1][1] = points[0][1];
        points[points.length - 2][1] = points[points.length - 1][1];
        return;
      }
      curve.p = curve.p.map(round);
      curve.q = curve.q.map(round);
      if (curve.loop) {
        curve.c[0][1] = curve.p[1];
        curve.c[1][1] = curve.q[1];
      } else {
        curve.c = controls(curve.p, curve.q, curve.direction, curve.bow);
      }
    });
  }

  // The side of a card a point on its border lies on.
  function nearestSide(point, card) {
    var gaps = { left: Math.abs(point[0] - card.left), right: Math.abs(point[0] - card.right),
                 top: Math.abs(point[1] - card.top), bottom: Math.abs(point[1] - card.bottom) };
    return Object.keys(gaps).reduce(function (best, side) { return gaps[side] < gaps[best] ? side : best; });
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

  return {
    GAP: GAP,
    BUCKET: BUCKET,
    SLOTS: SLOTS,
    ends: ends,
    apart: apart,
    spreadAllEnds: spreadAllEnds,
    selfLoop: selfLoop,
    controls: controls,
    round: round,
    middle: middle,
    hidden: hidden,
    detour: detour,
    parallel: parallel,
    polyline: polyline,
    distance: distance,
    longestMiddle: longestMiddle
  };
})();
