// A table wider than the screen scrolls inside its box: that box must be reachable with the keyboard to scroll
// it (WCAG 2.1.1, axe "scrollable-region-focusable"). Checked again when the width changes or htmx swaps content.
(function () {
  "use strict";
  var SELECTOR = ".fr-table table, .fr-table__shadow, .fr-table__content, .fr-table__container, .opencpf-scroll";

  function update() {
    document.querySelectorAll(SELECTOR).forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("data-opencpf-scroll", "");
      } else if (!scrolls && box.hasAttribute("data-opencpf-scroll")) {
        box.removeAttribute("tabindex");
        box.removeAttribute("data-opencpf-scroll");
      }
    });
  }

  var pending = null;
  function later() {
    if (pending) { window.cancelAnimationFrame(pending); }
    pending = window.requestAnimationFrame(update);
  }
  document.addEventListener("DOMContentLoaded", update);
  window.addEventListener("resize", later);
  document.body && document.body.addEventListener("htmx:afterSwap", later);
  document.addEventListener("htmx:afterSettle", later);
})();
