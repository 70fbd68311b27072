// After a failed submit the DSFR error summary takes the focus: it is what the person must read first.
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
