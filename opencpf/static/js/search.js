// Catalogue search: filters open on wide screens, folded on phones; after a search, focus (and so the screen
// reader) goes to the result count or to the error summary, not to the whole list of results.
(function () {
  "use strict";
  var wide = window.matchMedia("(min-width: 48em)");
  var filters = document.getElementById("search-filters");
  if (filters && wide.matches) filters.open = true;

  function focusOutcome() {
    var target = document.getElementById("search-errors") || document.getElementById("results-count");
    if (target) target.focus();
  }
  var results = document.getElementById("search-results");
  if (results && results.hasAttribute("data-submitted")) focusOutcome();
  document.body.addEventListener("htmx:afterSettle", function (event) {
    if (event.detail && event.detail.target && event.detail.target.id === "search-results") focusOutcome();
  });
})();
