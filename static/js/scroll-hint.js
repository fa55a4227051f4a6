// A table wider than its frame says so: the hint above it («Rull sidelengs ...») is shown while
// the table does not fit, and hidden again when the window grows. Without this script the table
// still scrolls, and the frame's shadows (bygdevekst.css) show that there is more.
(function () {
  "use strict";
  function update() {
    document.querySelectorAll(".table-scroll").forEach(function (frame) {
      var hint = frame.previousElementSibling;
      if (hint && hint.classList.contains("scroll-hint")) {
        hint.classList.toggle("is-shown", frame.scrollWidth > frame.clientWidth + 1);
      }
    });
  }
  var pending = null;
  function soon() {
    if (pending === null) {
      pending = window.requestAnimationFrame(function () { pending = null; update(); });
    }
  }
  // A frame or its table changes size when the window does, when the fonts arrive and when htmx
  // puts new content in (the budget's totals, an edited measure).
  var observer = "ResizeObserver" in window ? new ResizeObserver(soon) : null;
  function watch() {
    document.querySelectorAll(".table-scroll").forEach(function (frame) {
      if (observer && !frame.dataset.watched) {
        frame.dataset.watched = "true";
        observer.observe(frame);
        if (frame.firstElementChild) { observer.observe(frame.firstElementChild); }
      }
    });
    soon();
  }
  document.addEventListener("DOMContentLoaded", watch);
  window.addEventListener("resize", soon);
  document.addEventListener("htmx:afterSettle", watch);
})();
