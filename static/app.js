// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    // move focus to the error summary so screen reader users hear what went wrong first
    var summary = document.querySelector("[data-module='error-summary']");
    if (summary) { summary.focus(); }

    // show a group of fields only while the choice it belongs to is made (without JS, all are shown)
    Array.prototype.forEach.call(document.querySelectorAll("[data-reveal-when]"), function (group) {
      var rule = group.getAttribute("data-reveal-when").split("=");
      var radios = document.querySelectorAll("input[name='" + rule[0] + "']");
      function update() {
        var chosen = document.querySelector("input[name='" + rule[0] + "']:checked");
        group.hidden = !(chosen && chosen.value === rule[1]);
      }
      Array.prototype.forEach.call(radios, function (radio) { radio.addEventListener("change", update); });
      update();
    });
  });
})();
