// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    // move focus to the error summary so screen reader users hear what went wrong first
    var summary = document.querySelector("[data-module='error-summary']");
    if (summary) { summary.focus(); }

    // show a group of fields only while the choice it belongs to is made (without JS, all are shown under
    // a legend that says when they apply)
    Array.prototype.forEach.call(document.querySelectorAll("[data-reveal-when]"), function (group) {
      var rule = group.getAttribute("data-reveal-when").split("=");
      var radios = document.querySelectorAll("input[name='" + rule[0] + "']");
      function update() {
        var chosen = document.querySelector("input[name='" + rule[0] + "']:checked");
        // "name=*": shown while any of the boxes is ticked (pre-approval items)
        group.hidden = !(chosen && (rule[1] === "*" || chosen.value === rule[1]));
      }
      Array.prototype.forEach.call(radios, function (radio) { radio.addEventListener("change", update); });
      update();
    });

    // offer only the certificate types of the chosen subject nature (without JS each type is listed under
    // its nature, and the server refuses a type the nature may not file with)
    Array.prototype.forEach.call(document.querySelectorAll("select"), function (select) {
      if (!select.querySelector("option[data-nature]")) { return; }
      var groups = Array.prototype.slice.call(select.querySelectorAll("optgroup"));
      var natures = document.querySelectorAll("input[name='nature']");
      function update() {
        var chosen = document.querySelector("input[name='nature']:checked");
        var selected = select.value;
        groups.forEach(function (group) { if (group.parentNode) { group.parentNode.removeChild(group); } });
        groups.forEach(function (group) {
          if (!chosen || group.querySelector("option[data-nature='" + chosen.value + "']")) { select.appendChild(group); }
        });
        select.value = selected;
        if (select.value !== selected) { select.value = ""; }
      }
      Array.prototype.forEach.call(natures, function (radio) { radio.addEventListener("change", update); });
      update();
    });

  });
})();
