// Catalogue search: filters open on wide screens, folded on phones; after a search, focus (and so the screen
// reader) goes to the result count or to the error summary, not to the whole list of results.
(function () {
  "use strict";
  var wide = window.matchMedia("(min-width: 48em)");
  var filters = document.getElementById("search-filters");
  // Open on wide screens, and wherever a filter is in error: the summary's links lead to it.
  if (filters && (wide.matches || document.getElementById("search-errors"))) filters.open = true;

  function focusOutcome() {
    if (filters && document.getElementById("search-errors")) filters.open = true;
    var target = document.getElementById("search-errors") || document.getElementById("results-count");
    if (target) target.focus();
  }
  var results = document.getElementById("search-results");
  if (results && results.hasAttribute("data-submitted")) focusOutcome();
  document.body.addEventListener("htmx:afterSettle", function (event) {
    if (event.detail && event.detail.target && event.detail.target.id === "search-results") focusOutcome();
  });
})();
