// blueprint-dsl page script, ninth part: the paper the page is printed on, landscape: A4,
// A3, US Letter or US Tabloid, chosen beside the filters and remembered by the browser for
// every page it opens and has open (where it keeps anything: not with storage turned off,
// nor in a sandboxed frame); until the reader chooses, the page's own (render --paper).
// html[data-paper] gives the printed page the paper's named page (page.css's @page rules),
// for the size the browser prints; sheets.js asks here for the room on it. page.js, which
// comes last in the page's script, sets it going.
var blueprintPaper = function () {
  "use strict";
  var KEY = "blueprint-dsl:paper";
  // mm: the margin of page.css's @page, on every side.
  var MARGIN = 8;
  // CSS px in a mm.
  var PX = 96 / 25.4;
  var choice = document.getElementById("paper");
  // The page's own paper: the option it was written with selected.
  var preset = choice.querySelector("option[selected]").value;

  function remembered() {
    try {
      return window.localStorage.getItem(KEY);
    } catch (error) {
      return null; // no storage here: the page's own paper
    }
  }

  function remember(name) {
    try {
      window.localStorage.setItem(KEY, name);
    } catch (error) {
      // no storage here: chosen for this visit only
    }
  }

  // The paper named, or the page's own for a name the page does not know.
  function choose(name) {
    var known = Array.prototype.some.call(choice.options, function (option) { return option.value === name; });
    choice.value = known ? name : preset;
    document.documentElement.setAttribute("data-paper", choice.value);
  }

  choose(remembered());
  choice.addEventListener("change", function () {
    choose(choice.value);
    remember(choice.value);
  });
  // Chosen on another page of the browser: this one prints on it too, as it would reloaded.
  window.addEventListener("storage", function (event) {
    if (event.key === KEY && event.newValue) choose(event.newValue);
  });

  return {
    // px: the chosen paper's page inside its margins, across and down.
    size: function () {
      var mm = choice.options[choice.selectedIndex].getAttribute("data-size").split(" ").map(Number);
      return { width: Math.floor((mm[0] - 2 * MARGIN) * PX), height: Math.floor((mm[1] - 2 * MARGIN) * PX) };
    }
  };
};
