// Progressive enhancement of a document's upload page: without this file its form posts the file straight to
// object storage, which redirects to our confirm page, which leads to the documents list (file accepted) or back
// to the upload page with the reason (file refused). With it, the same post goes through XMLHttpRequest, so
// the person sees a progress bar and a spoken status, and then the page the redirects led to.
(function () {
  "use strict";

  // the page's translated messages and limit, carried by the element around the form
  function setting(form, name) {
    var holder = form.closest("[data-upload-messages]");
    return (holder && holder.getAttribute("data-" + name)) || "";
  }

  function message(form, name, values) {
    var text = setting(form, "message-" + name);
    Object.keys(values || {}).forEach(function (key) { text = text.split("{" + key + "}").join(values[key]); });
    return text;
  }

  // where storage would redirect after this upload: success_action_redirect plus the key, as S3 appends it
  function confirmUrl(form) {
    var redirect = form.elements.success_action_redirect.value;
    return redirect + (redirect.indexOf("?") === -1 ? "?" : "&") +
      "key=" + encodeURIComponent(form.elements.key.value);
  }

  function sameOrigin(url) {
    try { return new URL(url, window.location.href).origin === window.location.origin; } catch (e) { return false; }
  }

  // the path of the page shown, which differs from the address bar's after Back from a page shown in place
  var shownPath = window.location.pathname;

  // show the page a same-origin upload ended on without fetching it again: fetching again would lose the
  // one-time message the confirmation left for it. The documents list (file accepted) becomes a new history
  // entry, as it is without JavaScript; this page again (file refused) replaces the current one
  function showPage(xhr, form) {
    var url = new URL(xhr.responseURL);
    var doc = new DOMParser().parseFromString(xhr.responseText, "text/html");
    var main = doc.getElementById("main");
    if (!main) { return false; }
    document.title = doc.title;
    document.getElementById("main").replaceWith(main);
    if (url.pathname === window.location.pathname) {
      window.history.replaceState(null, "", url.pathname + url.search + window.location.hash);
    } else {
      // the redirect's #document-<kind> does not reach XMLHttpRequest: add it back where the list has it
      var anchor = "document-" + form.getAttribute("data-kind");
      var hash = main.querySelector("#" + anchor) ? "#" + anchor : "";
      window.history.pushState(null, "", url.pathname + url.search + hash);
    }
    shownPath = url.pathname;
    enhance(main);
    var focus = main.querySelector("[data-module='error-summary']") || main.querySelector(".notice") || main;
    if (!focus.hasAttribute("tabindex")) { focus.setAttribute("tabindex", "-1"); }
    focus.focus();
    return true;
  }

  // Back or Forward to an entry whose page is not the one shown: load it (a link to #fragment keeps the path)
  window.addEventListener("popstate", function () {
    if (window.location.pathname !== shownPath) { window.location.reload(); }
  });

  // a readable sentence for a refusal by storage (S3 answers in XML; the local stand-in in HTML)
  function refusal(form, xhr) {
    var text = xhr.responseText || "";
    if (text.indexOf("EntityTooLarge") !== -1) { return message(form, "too-big"); }
    if (text.indexOf("EntityTooSmall") !== -1) { return message(form, "empty"); }
    if (/expired/i.test(text)) { return message(form, "expired"); }
    return message(form, "failed");
  }

  function upload(form, event) {
    var input = form.querySelector("input[type=file]");
    var status = form.querySelector(".upload-status");
    var progress = form.querySelector("progress");
    var button = form.querySelector("button[type=submit]");
    var file = input.files && input.files[0];
    event.preventDefault();

    function fail(text) {
      progress.hidden = true;
      button.disabled = false;
      status.textContent = text;
      input.focus();
    }

    if (!file) { fail(message(form, "choose")); return; }
    // storage refuses an empty file (the signed policy asks for one byte at least): say so before sending
    if (file.size === 0) { fail(message(form, "empty")); return; }
    if (file.size > Number(setting(form, "max-bytes") || Infinity)) { fail(message(form, "too-big")); return; }
    // the policy lets any image/ type through; the confirmation judges the content whatever is declared
    if (/^image\//.test(file.type)) { form.elements["Content-Type"].value = file.type; }

    var xhr = new XMLHttpRequest();
    var sent = false;
    xhr.open("POST", form.action);
    xhr.upload.addEventListener("progress", function (e) {
      if (!e.lengthComputable) { return; }
      var percent = Math.round(100 * e.loaded / e.total);
      progress.value = percent;
      status.textContent = message(form, "uploading", { percent: percent });
    });
    xhr.upload.addEventListener("load", function () {
      sent = true;
      progress.value = 100;
      status.textContent = message(form, "checking");
    });
    xhr.addEventListener("load", function () {
      if (xhr.status >= 200 && xhr.status < 300) {
        // same origin (the local store): the redirects ran the confirmation already, show where they ended
        if (xhr.responseURL && sameOrigin(xhr.responseURL)) {
          if (!showPage(xhr, form)) { window.location.assign(xhr.responseURL); }
        } else {
          window.location.assign(confirmUrl(form));
        }
      } else {
        fail(refusal(form, xhr));
      }
    });
    xhr.addEventListener("error", function () {
      // S3's 303 leads the request back to us from another origin, without our cookies and without CORS
      // headers, so it ends here even when the file arrived. The confirmation has not run: open it, and it
      // says whether the file is there ("The upload did not arrive" when the connection really failed)
      if (sent || !sameOrigin(form.action)) { window.location.assign(confirmUrl(form)); } else { fail(message(form, "failed")); }
    });
    progress.value = 0;
    progress.hidden = false;
    button.disabled = true;
    status.textContent = message(form, "uploading", { percent: 0 });
    // the form's fields in order, the file last, as S3 requires
    xhr.send(new FormData(form));
  }

  function enhance(root) {
    Array.prototype.forEach.call(root.querySelectorAll("form[data-module='upload']"), function (form) {
      form.addEventListener("submit", function (event) { upload(form, event); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
})();
