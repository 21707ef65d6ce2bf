// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    // move focus to the error summary so screen reader users hear what went wrong first
    var summary = document.querySelector("[data-module='error-summary']");
    if (summary) { summary.focus(); }
  });
})();
