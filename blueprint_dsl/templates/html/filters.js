// blueprint-dsl page script, sixth part: the actor and stage filters, and the lanes
// folded and unfolded. page.js, which comes last in the page's script, gives it the page
// and what draws the arrows again for what is left shown.
var blueprintFilters = function (page, redraw) {
  "use strict";
  var grid = page.grid, cards = page.cards;
  var actorFilter = document.getElementById("filter-actor");
  var stageFilter = document.getElementById("filter-stage");
  // Said politely by a screen reader whenever the filters change what is shown.
  var status = document.getElementById("filter-status");

  document.getElementById("filters").hidden = false;

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

  // Both filters back to every actor and stage.
  function clear() {
    actorFilter.value = "";
    stageFilter.value = "";
    applyFilters();
  }

  return { apply: applyFilters, fold: fold, clear: clear };
};
