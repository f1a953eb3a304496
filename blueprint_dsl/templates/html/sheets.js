// blueprint-dsl page script, eighth part: the grid on paper. A page of the paper chosen
// (paper.js) holds only so many steps at a size that can be read, more on A3 than on A4; a
// blueprint of more is printed as sheets, one a page, each with every lane, its titles and
// the headers of its steps and stages, and a run of whole stages (a stage too long for a
// sheet is split between steps). The grid itself is the first sheet, under the page's
// header on page one where it fits there, the others copies of it, shown in print only,
// each numbered in its corner. A flow between two sheets has a note on each of its cards
// instead of an arrow (connectors.js), and is listed with the rest in the text version.
// page.js, which comes last in the page's script, lays the sheets out when print media
// applies and takes them away after.
var blueprintSheets = function (page, paper) {
  "use strict";
  // px: the lane titles' width in print (5.5rem).
  var TITLES = 88;
  // px: the narrowest a step's column is printed, about 20 characters of a card's line.
  var STEP = 120;
  // Of the paper chosen, read as the sheets are laid out: how many steps a sheet holds, how
  // wide their columns are and how tall a page is inside its margins, in px.
  var perSheet, columnWidth, pageHeight;
  var copies = [];
  var spans = []; // the spans of the stage headers and lines on screen, given back after printing
  var connectors = window.blueprintConnectors(page);

  // The steps shown (a filter may leave out some).
  function shownSteps() {
    return Array.prototype.filter.call(page.grid.querySelectorAll("th.step-header"), function (step) {
      return !step.hidden;
    });
  }

  function stageOf(step) {
    return step.getAttribute("data-stage");
  }

  // Steps in runs of whole stages that fit a sheet.
  function runs(steps) {
    var all = [], run = [];
    steps.forEach(function (step, k) {
      var stage = stageOf(step), room = perSheet - run.length;
      if (!k || stageOf(steps[k - 1]) !== stage) {
        // A new stage: on this sheet if all of it fits, else on the next; a stage longer
        // than a sheet fills the sheets it needs.
        var length = 1;
        while (k + length < steps.length && stageOf(steps[k + length]) === stage) length++;
        if (run.length && Math.min(length, perSheet) > room) room = 0;
      }
      if (!room) {
        all.push(run);
        run = [];
      }
      run.push(step);
    });
    if (run.length) all.push(run);
    return all;
  }

  // A run too tall for a page in two: between stages, as near its middle as can be.
  function halves(run) {
    var at = Math.floor(run.length / 2), best = run.length;
    for (var k = Math.ceil(run.length / 4); k <= run.length * 3 / 4 && k < run.length; k++) {
      var between = stageOf(run[k]) !== stageOf(run[k - 1]);
      if (between && Math.abs(k - run.length / 2) < best) {
        at = k;
        best = Math.abs(k - run.length / 2);
      }
    }
    return [run.slice(0, at), run.slice(at)];
  }

  // A run of fewer steps than a full sheet, too tall for a page at a full sheet's columns:
  // its columns share the paper's width, and its cards, wider, are shorter.
  function spreadOut(run) {
    var wide = run.slice();
    wide.spread = true;
    return wide;
  }

  // The columns and stages of a run of steps, and how many steps it has.
  function describe(steps) {
    var columns = {}, stages = {};
    steps.forEach(function (step) {
      columns[step.getAttribute("data-column")] = true;
      stages[stageOf(step)] = (stages[stageOf(step)] || 0) + 1;
    });
    return { columns: columns, stages: stages, count: steps.length, spread: Boolean(steps.spread) };
  }

  // How wide a sheet's table is printed: the paper's width, or for fewer steps than a full
  // sheet's, as wide as their columns are on a full sheet, the rest of the row left empty,
  // so that a short first or last sheet looks like the others; the paper's width again for
  // a run spread out, too tall at that.
  function widthOf(run) {
    return run.spread || run.count >= perSheet ? "" : TITLES + run.count * columnWidth + "px";
  }

  // Whether a cell of the grid belongs on the sheet of a run.
  function keeps(cell, run) {
    if (cell.classList.contains("stage-header")) return cell.getAttribute("data-stage") in run.stages;
    return !cell.hasAttribute("data-column") || cell.getAttribute("data-column") in run.columns;
  }

  // A stage's header spans the run's steps of it, a line of the method all of them: a
  // line spanning more would give the sheet's table empty columns.
  function span(cell, run) {
    if (cell.classList.contains("stage-header")) cell.colSpan = run.stages[cell.getAttribute("data-stage")];
    else if (cell.classList.contains("line-cell")) cell.colSpan = run.count;
  }

  function spanned(cell) {
    return cell.classList.contains("stage-header") || cell.classList.contains("line-cell");
  }

  // A copy of the grid with the cells of a run only, and empty layers for its arrows; no
  // ids, so that links, labels and the page's own script find the grid, and out of the
  // reach of the keyboard and of screen readers, which read the grid.
  function copyOf(run) {
    var wrap = page.wrap.cloneNode(false);
    wrap.removeAttribute("id");
    wrap.classList.add("print-sheet");
    wrap.setAttribute("aria-hidden", "true");
    wrap.inert = true;
    Array.prototype.forEach.call(page.wrap.children, function (child) {
      if (child !== page.grid) {
        var layer = child.cloneNode(true);
        Array.prototype.forEach.call(layer.querySelectorAll(".flow-paths"), function (paths) {
          while (paths.firstChild) paths.removeChild(paths.firstChild);
        });
        if (layer.classList.contains("flow-labels")) while (layer.firstChild) layer.removeChild(layer.firstChild);
        wrap.appendChild(layer);
        return;
      }
      var table = child.cloneNode(false);
      Array.prototype.forEach.call(child.children, function (section) {
        if (section.tagName === "CAPTION") return;
        var part = section.cloneNode(false);
        Array.prototype.forEach.call(section.rows, function (row) {
          var copy = row.cloneNode(false);
          Array.prototype.forEach.call(row.cells, function (cell) {
            if (!keeps(cell, run)) return;
            var kept = cell.cloneNode(true);
            if (spanned(kept)) span(kept, run);
            copy.appendChild(kept);
          });
          part.appendChild(copy);
        });
        table.appendChild(part);
      });
      wrap.appendChild(table);
    });
    Array.prototype.forEach.call(wrap.querySelectorAll("[id]"), function (element) {
      element.removeAttribute("id");
    });
    return wrap;
  }

  // The grid keeps the first run, hiding the other steps in print; each other run gets a
  // copy after it. A sheet taller than a page has its columns widened, or is split in two,
  // and again, so that every lane of it is on one page where its steps allow. Page one has
  // the page's header and summary above the first sheet: a first sheet too tall to go under
  // them takes fewer steps, where some fit there, rather than leave page one to the header
  // alone.
  function lay() {
    var size = paper.size();
    perSheet = Math.max(1, Math.floor((size.width - TITLES) / STEP));
    columnWidth = (size.width - TITLES) / perSheet;
    pageHeight = size.height;
    clear();
    var all = settle([], runs(shownSteps()));
    if (all.length < 2) return;
    var room = pageHeight - above();
    if (page.wrap.getBoundingClientRect().height <= room) return;
    var first = opening(all, room);
    clear();
    if (first) settle([first], runsAfter(first, all));
    else settle([], all);
  }

  // The runs after "first", a start of the first of the runs "all": the rest of that run,
  // with the next run where a sheet holds both, so that a step or two left over does not
  // take a sheet of its own.
  function runsAfter(first, all) {
    var rest = all[0].slice(first.length), next = all[1] || [];
    if (rest.length + next.length <= perSheet) return [rest.concat(next)].concat(all.slice(2));
    return [rest].concat(all.slice(1));
  }

  // px of page one above the grid. Printing, the browser may already have moved the grid
  // to page two: where it starts is read from a mark put where it would go, which has no
  // height to be moved.
  function above() {
    var mark = document.createElement("div");
    page.wrap.parentNode.insertBefore(mark, page.wrap);
    var top = mark.getBoundingClientRect().top - document.documentElement.getBoundingClientRect().top;
    mark.parentNode.removeChild(mark);
    return top;
  }

  // The runs after "fixed" ones spread out, or else split, until each fits a page, and laid
  // out so; all of them. A round spreads a run out or splits it: a full sheet's run may be
  // split, its halves spread out and split again.
  function settle(fixed, all) {
    for (var round = 0; round < 8; round++) {
      layOut(fixed.concat(all));
      var sheets = [page.wrap].concat(copies.map(function (copy) { return copy.wrap; })).slice(fixed.length);
      var changed = false;
      all = all.reduce(function (kept, run, k) {
        var tall = sheets[k] && sheets[k].getBoundingClientRect().height > pageHeight;
        var wider = tall && !run.spread && run.length < perSheet, split = tall && !wider && run.length > 1;
        changed = changed || wider || split;
        return kept.concat(wider ? [spreadOut(run)] : split ? halves(run) : [run]);
      }, []);
      if (!changed) return fixed.concat(all);
      clear();
    }
    layOut(fixed.concat(all));
    return fixed.concat(all);
  }

  // A grid of one sheet is the grid, cut down to the steps a filter leaves.
  function layOut(all) {
    if (all.length > 1) build(all.map(describe));
    else if (all.length) cut(describe(all[0]));
  }

  // The longest start of the first of the runs "all" that fits "room" px as a sheet of its
  // own: whole stages, or steps where the run is one stage's, split already; with a full
  // sheet's columns where some start fits so, else spread out. The first sheet alone is laid
  // out to measure it; none fits where the header leaves too little room.
  function opening(all, room) {
    var run = all[0];
    var oneStage = stageOf(run[0]) === stageOf(run[run.length - 1]), starts = [];
    for (var k = run.length; k > 0; k--) {
      if (k === run.length || oneStage || stageOf(run[k]) !== stageOf(run[k - 1])) starts.push(run.slice(0, k));
    }
    // The whole run is measured already, at its width.
    var tries = starts.filter(function (start) { return start.length < run.length; })
      .concat(starts.filter(function (start) { return start.length < run.length || !run.spread; }).map(spreadOut));
    for (var t = 0; t < tries.length; t++) {
      clear();
      build([tries[t]].concat(runsAfter(tries[t], all)).map(describe), true);
      if (page.wrap.getBoundingClientRect().height <= room) return tries[t];
    }
    return null;
  }

  // The sheets of the runs "all" described: copies of the grid for all but the first (the
  // grid alone, and no copies, when "gridOnly" is set), the grid cut down to the first, each
  // as wide as its steps, notes for the flows between sheets and each sheet's number.
  function build(all, gridOnly) {
    var sheetOf = {};
    all.forEach(function (run, k) {
      Object.keys(run.columns).forEach(function (column) { sheetOf[column] = k; });
    });
    var crossing = connectors.between(sheetOf), sheets = [page.cards], after = page.wrap;
    (gridOnly ? [] : all.slice(1)).forEach(function (run) {
      var wrap = copyOf(run), cards = {};
      Array.prototype.forEach.call(wrap.querySelectorAll(".card[data-action]"), function (card) {
        cards[card.getAttribute("data-action")] = card;
      });
      after.parentNode.insertBefore(wrap, after.nextSibling);
      after = wrap;
      sheets.push(cards);
      var sheet = { data: page.data, wrap: wrap, grid: wrap.querySelector("table"), cards: cards, shown: page.shown };
      sheet.grid.style.width = widthOf(run);
      copies.push({ wrap: wrap, arrows: window.blueprintArrows(sheet) });
    });
    cut(all[0]);
    connectors.note(crossing, sheets);
    [page.wrap].concat(copies.map(function (copy) { return copy.wrap; })).forEach(function (wrap, k) {
      var number = document.createElement("span");
      number.className = "sheet-number";
      number.textContent = "Sheet " + (k + 1) + " of " + all.length;
      wrap.querySelector("tr.stage-row .corner").appendChild(number);
    });
  }

  // The grid as the sheet of a run: as wide as its steps, the others' cells off the sheet,
  // and its stages and lines spanning its own steps.
  function cut(run) {
    page.grid.style.width = widthOf(run);
    Array.prototype.forEach.call(page.grid.querySelectorAll("thead th, tbody td"), function (cell) {
      if (!keeps(cell, run)) cell.classList.add("off-sheet");
      else if (spanned(cell)) {
        spans.push([cell, cell.colSpan]);
        span(cell, run);
      }
    });
  }

  // The grid as the screen shows it.
  function clear() {
    copies.forEach(function (copy) {
      copy.wrap.parentNode.removeChild(copy.wrap);
    });
    copies = [];
    Array.prototype.forEach.call(page.grid.querySelectorAll(".sheet-link, .sheet-number"), function (added) {
      added.parentNode.removeChild(added);
    });
    Array.prototype.forEach.call(page.grid.querySelectorAll(".off-sheet"), function (cell) {
      cell.classList.remove("off-sheet");
    });
    spans.forEach(function (header) {
      header[0].colSpan = header[1];
    });
    spans = [];
    page.grid.style.width = "";
  }

  return {
    lay: lay,
    clear: clear,
    // Each copy's arrows, for the layout print gives it.
    draw: function () {
      copies.forEach(function (copy) {
        copy.arrows.draw();
      });
    }
  };
};
