// blueprint-dsl page script, last part: finds the page's data, grid and cards, and sets
// going the parts before it, each a script of its own: the arrows (arrows.js, with
// flows.js and labels.js), highlighting, details, filters and folding, and the sheets of
// print (sheets.js, with connectors.js, on the paper of paper.js). Here the arrows are
// drawn again when the layout changes (a window resized, a filter set, printing), the
// text version's lists given their room before they are laid out, and a link to a card
// is followed. No part builds markup from the
// blueprint's text: text reaches the page through the escaped template or through textContent.
(function () {
  "use strict";
  var grid = document.getElementById("grid");
  var page = {
    data: JSON.parse(document.getElementById("blueprint-data").textContent),
    wrap: document.getElementById("grid-wrap"),
    grid: grid,
    // Every card, by its action's id.
    cards: {},
    // In a frame whose page sizes it to this one's height (the MkDocs plugin's), which says
    // so once told the height: then the details open by their card, the frame being tall.
    framed: false,
    shown: function (element) {
      return element.getClientRects().length > 0;
    },
    // The card an element is in, if any.
    cardOf: function (node) {
      return node && node.closest ? node.closest(".card[data-action]") : null;
    }
  };
  Array.prototype.forEach.call(grid.querySelectorAll(".card[data-action]"), function (card) {
    page.cards[card.getAttribute("data-action")] = card;
  });
  var pending = false;
  var arrows = window.blueprintArrows(page);
  var highlighting = window.blueprintHighlighting(page, arrows);
  window.blueprintDetails(page);
  var filters = window.blueprintFilters(page, redraw);
  var sheets = window.blueprintSheets(page, window.blueprintPaper());

  // The arrows, and the highlight over them as it was.
  function draw() {
    pending = false;
    arrows.draw();
    sheets.draw();
    highlighting.again();
  }

  function redraw() {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(draw);
  }

  // -- the text version ------------------------------------------------------------------

  // Its lists are laid out only as they scroll near (page.css), until then taking the room
  // given here: about what their text takes at this width, so that the page is about as
  // long as it will be, where a room for all alike made it a third of that. A line of
  // 1.27rem for each heading, paragraph, fact and flow, and one more for each width of the
  // list its text fills at half a rem a character. Laid out once, a list keeps the room it
  // took (contain-intrinsic-size: auto).
  var textLists = Array.prototype.map.call(document.querySelectorAll(".text-steps, .text-flows"), function (list) {
    var lines = list.querySelectorAll("h4, p, dd, .text-flows > li").length;
    return { list: list, lines: lines, characters: list.textContent.replace(/\s+/g, " ").length };
  });

  // Every width read before any room is written: a read after a write would lay the page
  // out again, once a list, at every step of a window being resized.
  function holdTextRoom() {
    var rem = parseFloat(window.getComputedStyle(document.documentElement).fontSize);
    var widths = textLists.map(function (text) { return Math.max(text.list.clientWidth, rem); });
    textLists.forEach(function (text, k) {
      var lines = text.lines + text.characters * 0.5 * rem / widths[k];
      text.list.style.containIntrinsicSize = "auto " + Math.round(lines * 1.27 * rem) + "px";
    });
  }

  // -- deep links -----------------------------------------------------------------------

  function followHash() {
    var name;
    try {
      name = decodeURIComponent(window.location.hash.slice(1));
    } catch (error) {
      return; // not percent-encoding (page.html#%): no fragment to follow
    }
    if (name.indexOf(page.data.deepLinkPrefix) !== 0) return;
    var card = document.getElementById(name);
    if (!card || !card.classList.contains("card")) return;
    if (!page.shown(card)) {
      filters.clear();
      var row = card.closest("tr");
      if (row.classList.contains("is-folded")) filters.fold(row);
    }
    card.scrollIntoView({ block: "center", inline: "center" });
    card.focus({ preventScroll: true });
    highlighting.highlight(card.getAttribute("data-action"));
    draw();
  }

  window.addEventListener("hashchange", followHash);
  window.addEventListener("resize", redraw);
  window.addEventListener("resize", holdTextRoom);
  // Paper lays the grid out anew. beforeprint comes while the page still has its screen
  // layout, so the arrows are drawn again once print media applies, and once more when
  // it no longer does; beforeprint and afterprint stay for browsers that print without
  // telling media query listeners.
  // A blueprint too wide for a page is printed as sheets of whole stages (sheets.js), laid
  // out before the arrows are drawn for paper and taken away before they are drawn again.
  var printing = window.matchMedia("print");
  function print() {
    if (printing.matches) sheets.lay();
    else sheets.clear();
    draw();
  }
  if (printing.addEventListener) printing.addEventListener("change", print);
  else if (printing.addListener) printing.addListener(print);
  window.addEventListener("beforeprint", function () {
    sheets.lay();
    draw();
  });
  window.addEventListener("afterprint", function () {
    sheets.clear();
    draw();
  });
  // The observer also reports the grid's size when it starts, which the first draw has
  // just drawn at: only a size not drawn yet is drawn again.
  if (window.ResizeObserver) {
    new window.ResizeObserver(function () {
      if (page.grid.offsetWidth + "x" + page.grid.offsetHeight !== arrows.size) redraw();
    }).observe(page.grid);
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
      page.framed = true;
      document.documentElement.setAttribute("data-framed", "true");
    });
  }
  holdTextRoom();
  draw();
  // After load, so the browser's own jump to the fragment does not undo the centring.
  window.addEventListener("load", function () {
    followHash();
    document.documentElement.setAttribute("data-ready", "true");
  });
})();
