// Progressive enhancement of the phone page's camera button: without this file the button opens the camera and
// "Send the photo" posts what it took. With it, the photo taken is shown before it is sent, the send button
// appears only once there is a photo, and the camera button then offers to take it again.
(function () {
  "use strict";

  function enhance(input) {
    var form = input.form;
    var label = form.querySelector("label[for='" + input.id + "']");
    var preview = document.getElementById(input.id + "-preview");
    var image = preview && preview.querySelector("img");
    var send = form.querySelector(".camera__send");
    var first = label ? label.textContent : "";
    var shown = null;
    if (send) { send.hidden = true; }

    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      if (shown) { URL.revokeObjectURL(shown); shown = null; }
      if (!file) {
        if (preview) { preview.hidden = true; }
        if (send) { send.hidden = true; }
        if (label) { label.textContent = first; label.classList.remove("button--secondary"); }
        return;
      }
      if (image && /^image\//.test(file.type)) {
        shown = URL.createObjectURL(file);
        image.src = shown;
        preview.hidden = false;
      }
      if (send) {
        send.hidden = false;
        send.classList.remove("button--secondary");
      }
      if (label) {
        label.textContent = label.getAttribute("data-again") || first;
        label.classList.add("button--secondary");
      }
      if (send) { send.focus(); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("input[data-module='camera']"), enhance);
  });
})();
