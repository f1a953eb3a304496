// blueprint-dsl, MkDocs plugin: each interactive page in a frame says how tall it is, and
// its frame takes that height, so that the whole page shows, grid included, with no
// scrolling inside the frame. Only a frame of a diagram is sized, and only by its own page.
(function () {
  "use strict";
  if (window.blueprintFramesSized) return;
  window.blueprintFramesSized = true;
  window.addEventListener("message", function (event) {
    var message = event.data;
    if (!message || message.type !== "blueprint-dsl:height") return;
    var height = Math.ceil(Number(message.height));
    if (!(height > 0)) return;
    var frames = document.querySelectorAll("iframe.blueprint");
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === event.source) {
        frames[i].style.height = Math.min(height, 200000) + "px";
        event.source.postMessage({ type: "blueprint-dsl:sized" }, "*");  // the page lays itself out for it
        return;
      }
    }
  });
})();
