// blueprint-dsl page script, second part: where the flows' labels go, beside their flows,
// clear of the cards, the notes, each other and, where they can be, the other flows' lines
// and the lines of the method; arrows.js draws them. It works on the boxes and points
// arrows.js gives it, in the grid's px; of the page it touches only the labels it places
// and the arrows it measures for them.
var blueprintLabels = (function () {
  "use strict";

  // Where the arrows go: flows.js, which comes first in the page's script.
  var flows = window.blueprintFlows;
  // The characters of a line of a flow's label, at most, where its words allow.
  var LABEL_LINE = 32;
  // px from its flow's middle, at most, for a label with no room beside its flow; it is
  // drawn there with a leader back to its flow.
  var REACH = 240;
  // px from its flow, at most, for a label read as naming it without a leader (the SVG's
  // leaders start at 16 pt too).
  var NEXT_TO = 16;
  // px, at most, between the points of a flow's line that tell whether a label lies across it:
  // less than a label's height, so that no line runs through one between two points.
  var LINE_STEP = 4;
  // px from a line, at most, for a point of a leader that cannot be told from the line.
  var ON_LINE = 4;
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
        function along() {  // points of the flow's line, 4 px apart
          samples = samples || pointsAlong(entry.path, length);
          return samples;
        }
        function leaderFrom(r) {  // the point of a box nearest the flow's middle
          return [Math.min(Math.max(m.x, r.left), r.right), Math.min(Math.max(m.y, r.top), r.bottom)];
        }
        // Whether a leader from the box keeps off its own flow's line and the lines of the
        // method: along one, it cannot be told from it.
        function apart(r) {
          return !alongLines(leaderFrom(r), middle, along(), methodLines || []);
        }
        // Whether a leader from the box would be seen: kept off those lines, and off the
        // cards, since it is drawn under them, as the arrows are.
        function seen(r) {
          var from = leaderFrom(r);
          return !flows.hidden(from, [from, middle], middle, cardIndex, null, null, bounds) && apart(r);
        }
        // Whether the box is next to its flow, where it reads as naming it without a leader:
        // over or under a card the flow joins, it may be a card's height away, across the card.
        function nextTo(r) {
          return along().some(function (point) { return gap(point, r) <= NEXT_TO; });
        }
        var near = leastCrossed(elsewhere(entry, b, b.y - y, methodLines || []),
                                function (r) { return nextTo(r) || seen(r); }, first, firstRank);
        // Far off: where its leader can be seen, else where some of it can (under cards, not
        // along a line), else anywhere clear, rather than over other labels.
        var far = null;
        if (!near) {
          var tries = around(m, b, b.x - x, b.y - y), spread = FURTHER / RING * RING_PLACES;
          far = leastCrossed(tries, seen, null, 3, spread) || leastCrossed(tries, apart, null, 3, spread) ||
            leastCrossed(tries, null, null, 3, spread);
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
    var points = [], steps = Math.max(1, Math.ceil((flows.distance(p, c1) + flows.distance(c1, c2) + flows.distance(c2, q)) / LINE_STEP));
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
      var from = way[i - 1], to = way[i], steps = Math.max(1, Math.ceil(flows.distance(from, to) / LINE_STEP));
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

  // Whether a leader from point "from" to point "to" runs along the lines of "points" (a
  // flow's, at most 4 px apart) or a line of the method for more than half its length.
  function alongLines(from, to, points, methodLines) {
    var dx = to[0] - from[0], dy = to[1] - from[1];
    var steps = Math.max(1, Math.ceil(Math.sqrt(dx * dx + dy * dy) / LINE_STEP)), on = 0;
    var left = Math.min(from[0], to[0]) - ON_LINE, right = Math.max(from[0], to[0]) + ON_LINE;
    var top = Math.min(from[1], to[1]) - ON_LINE, bottom = Math.max(from[1], to[1]) + ON_LINE;
    var near = points.filter(function (q) { return q[0] >= left && q[0] <= right && q[1] >= top && q[1] <= bottom; });
    for (var i = 0; i <= steps; i++) {
      var x = from[0] + dx * i / steps, y = from[1] + dy * i / steps;
      var onLine = near.some(function (q) { return Math.abs(q[0] - x) + Math.abs(q[1] - y) <= ON_LINE; }) ||
        methodLines.some(function (line) { return Math.abs(line.y - y) <= ON_LINE && x >= line.left && x <= line.right; });
      if (onLine) on++;
    }
    return on * 2 > steps + 1;
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
    text.setAttribute("x", flows.round(at[0]));
    text.setAttribute("y", flows.round(at[1]));
    Array.prototype.forEach.call(text.childNodes, function (span) {
      span.setAttribute("x", flows.round(at[0]));
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
    for (var k = Math.floor(r.left / flows.BUCKET); k <= Math.floor(r.right / flows.BUCKET); k++) {
      if (!(cardIndex[k] || []).every(off)) return false;
    }
    return placed.every(off);
  }

  return {
    placeLabels: placeLabels,
    moveLabel: moveLabel,
    wrap: wrap
  };
})();
