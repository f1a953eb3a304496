// blueprint-dsl page script, fourth part: the card under the pointer or with the focus
// is highlighted, with the cards it is linked to and the arrows between them. page.js,
// which comes last in the page's script, gives it the page and the arrows drawn.
var blueprintHighlighting = function (page, arrows) {
  "use strict";
  var wrap = page.wrap, grid = page.grid, cards = page.cards, cardOf = page.cardOf;
  var activeId = null;

  function highlight(id) {
    activeId = id && cards[id] ? id : null;
    Array.prototype.forEach.call(grid.querySelectorAll(".card.is-active, .card.is-linked"), function (card) {
      card.classList.remove("is-active", "is-linked");
    });
    wrap.classList.toggle("has-active", activeId !== null);
    var linked = activeId ? (cards[activeId].getAttribute("data-linked") || "").split(" ") : [];
    if (activeId) cards[activeId].classList.add("is-active");
    linked.forEach(function (other) {
      if (cards[other]) cards[other].classList.add("is-linked");
    });
    arrows.paths.forEach(function (entry) {
      var on = activeId !== null && (entry.flow.source === activeId || entry.flow.target === activeId);
      entry.path.classList.toggle("is-linked", on);
      if (entry.label) entry.label.classList.toggle("is-linked", on);
      (entry.leader || []).forEach(function (part) {
        part.classList.toggle("is-linked", on);
      });
    });
  }

  function focusedId() {
    var card = cardOf(document.activeElement);
    return card ? card.getAttribute("data-action") : null;
  }

  grid.addEventListener("mouseover", function (event) {
    var card = cardOf(event.target), id = card ? card.getAttribute("data-action") : focusedId();
    // The pointer moving over a card's lines, or from cell to cell, changes nothing: on a
    // large page each highlight restyles the whole grid.
    if (id !== activeId) highlight(id);
  });
  grid.addEventListener("mouseleave", function () {
    highlight(focusedId());
  });
  grid.addEventListener("focusin", function (event) {
    var card = cardOf(event.target);
    if (!card) return;
    // A browser scrolls a focused card into the grid's box, where the sticky lane titles
    // may still cover it; "nearest" keeps to the grid's scroll padding, which clears them.
    card.scrollIntoView({ block: "nearest", inline: "nearest" });
    highlight(card.getAttribute("data-action"));
  });
  grid.addEventListener("focusout", function (event) {
    if (!cardOf(event.relatedTarget)) highlight(null);
  });

  return {
    highlight: highlight,
    // Again, as it is, over arrows drawn anew.
    again: function () { highlight(activeId); }
  };
};
