// blueprint-dsl page script, fifth part: a card's details, in a dialog opened by a click
// or Enter on the card, closed by its button or Escape, which gives the card the focus
// back. page.js, which comes last in the page's script, gives it the page. The details'
// text is copied from the page's escaped text version, never built as markup.
var blueprintDetails = function (page) {
  "use strict";
  var data = page.data, grid = page.grid, cards = page.cards, shown = page.shown, cardOf = page.cardOf;
  var details = document.getElementById("details");
  var openerId = null;

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
    // A frame as tall as the page may reach far above and below the window it shows in:
    // there the panel opens below its card, not at the frame's top.
    if (page.framed) details.style.top = cards[id].getBoundingClientRect().bottom + window.scrollY + 8 + "px";
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
  // The panel covers part of the page: while it is open, Tab and Shift+Tab go round
  // within it, never to a link or a card under it; Escape closes it.
  details.addEventListener("keydown", function (event) {
    if (event.key !== "Tab") return;
    var stops = Array.prototype.filter.call(details.querySelectorAll("a[href], button"), shown);
    if (!stops.length) return;
    var first = stops[0], last = stops[stops.length - 1], here = document.activeElement;
    if (event.shiftKey && (here === first || here === details)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && here === last) {
      event.preventDefault();
      first.focus();
    }
  });
};
