// Progressive enhancement: a "Copy" button for a text shown on the page (without JavaScript the text itself is
// selectable, and the button stays hidden).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("button[data-copy]"), function (button) {
      var source = document.getElementById(button.getAttribute("data-copy"));
      var status = document.getElementById(button.getAttribute("data-copy") + "-status");
      if (!source || !navigator.clipboard) { return; }
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(source.textContent.trim()).then(function () {
          if (status) { status.textContent = button.getAttribute("data-copied"); }
        }, function () {
          var range = document.createRange();
          range.selectNodeContents(source);
          window.getSelection().removeAllRanges();
          window.getSelection().addRange(range);
          if (status) { status.textContent = button.getAttribute("data-failed"); }
        });
      });
    });
  });
})();
