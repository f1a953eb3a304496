// blueprint-dsl page script, seventh part: what stands on paper for a flow between two
// printed sheets (sheets.js), whose arrow could be drawn on neither. Each of its cards gets
// a note at its foot, as a drawing's off-sheet connector names where a line goes on: where
// the flow leaves, "→ to sheet 3 · Pay", the sheet and step of the card it goes to, then
// the flow's label and the start of that card's text; where it arrives, "← from sheet 1 ·
// Order" and so on; "↔ with" for an exchange. A note sits inside its card, so it never
// covers one, and the sheet is laid out with it. The text goes in through textContent,
// never as markup.
var blueprintConnectors = function (page) {
  "use strict";
  // Characters of the card at the other end a note quotes, cut at a word: enough to tell
  // it from the other cards of its step.
  var QUOTED = 36;

  function columnOf(card) {
    return card.closest("td").getAttribute("data-column");
  }

  // The flows between cards on two sheets, in flow order: each { flow, ends: the sheet of
  // its source and of its target }. "sheetOf" gives the sheet of each step printed, by its
  // column; a card left out by a filter or a folded lane is on none. Read from the grid
  // before it is cut down to its own sheet.
  function between(sheetOf) {
    var found = [];
    page.data.flows.forEach(function (flow) {
      var source = page.cards[flow.source], target = page.cards[flow.target];
      if (!source || !target || !page.shown(source) || !page.shown(target)) return;
      var from = sheetOf[columnOf(source)], to = sheetOf[columnOf(target)];
      if (from === undefined || to === undefined || from === to) return;
      found.push({ flow: flow, ends: [from, to] });
    });
    return found;
  }

  // Notes on both cards of each flow "between" sheets; "sheets" holds each sheet's cards,
  // by action id, the grid's first, or only the grid's while it is measured alone.
  function note(flows, sheets) {
    var steps = {};
    Array.prototype.forEach.call(page.grid.querySelectorAll("th.step-header"), function (header) {
      steps[header.getAttribute("data-column")] = header.textContent.trim();
    });
    flows.forEach(function (crossing) {
      var flow = crossing.flow, ends = [flow.source, flow.target];
      ends.forEach(function (id, k) {
        if (!sheets[crossing.ends[k]]) return;
        var other = page.cards[ends[1 - k]];
        var way = flow.twoWay ? "↔ with" : k ? "← from" : "→ to";
        sheets[crossing.ends[k]][id].appendChild(connector(flow, way + " sheet " + (crossing.ends[1 - k] + 1) + " · ",
                                                           steps[columnOf(other)], other));
      });
    });
  }

  function connector(flow, way, step, other) {
    var note = document.createElement("p");
    note.className = "sheet-link" + (flow.loop ? " is-loop" : "");
    note.setAttribute("aria-hidden", "true");
    var where = document.createElement("span");
    where.className = "sheet-link-way";
    where.appendChild(document.createTextNode(way));
    where.appendChild(isolated(step));
    note.appendChild(where);
    if (flow.label) {
      var label = document.createElement("span");
      label.className = "sheet-link-label";
      label.appendChild(isolated(flow.label));
      note.appendChild(document.createTextNode(" · "));
      note.appendChild(label);
    }
    note.appendChild(document.createTextNode(": "));
    note.appendChild(isolated(quoted(other.querySelector(".card-text").textContent)));
    return note;
  }

  // Text of either direction, kept apart from the note's own.
  function isolated(text) {
    var bdi = document.createElement("bdi");
    bdi.textContent = text;
    return bdi;
  }

  function quoted(text) {
    var characters = Array.from(text.trim().replace(/\s+/g, " "));
    if (characters.length <= QUOTED) return characters.join("");
    var cut = characters.slice(0, QUOTED).join(""), space = cut.lastIndexOf(" ");
    return (space > QUOTED / 2 ? cut.slice(0, space) : cut) + "…";
  }

  return { between: between, note: note };
};
