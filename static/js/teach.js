// Teacher pages: focus after htmx swaps, readable errors, inert preview forms.
(function () {
  "use strict";

  // The set editor's responses name, once htmx has settled the swap, the control where the
  // teacher was working (the moved item's button, the bank row just used, the new page's count),
  // so keyboard users keep their place (quiz/views/set_editor.py). A control that has just been
  // disabled (Up on the item now first) cannot hold focus: its form's enabled one takes it.
  document.addEventListener("teach:focus", function (event) {
    var target = document.getElementById(event.detail.id);
    if (target && target.disabled && target.form) {
      target = target.form.querySelector("button:not([disabled])") || target;
    }
    if (target) target.focus();
  });

  // The words for the set editor's status line. Only its text changes: the live region
  // itself stays in place, so screen readers announce the change.
  document.addEventListener("teach:status", function (event) {
    var status = document.getElementById("set-status");
    if (status) status.textContent = event.detail.message;
  });

  function errorBox() {
    return document.getElementById("teach-error");
  }

  // A refused htmx request (4xx) swaps nothing; show the server's explanation instead.
  document.addEventListener("htmx:responseError", function (event) {
    var box = errorBox();
    if (!box) return;
    var xhr = event.detail.xhr;
    box.textContent = (xhr && xhr.responseText && xhr.status < 500) ? xhr.responseText : "Something went wrong; nothing was changed. Please try again.";
    box.hidden = false;
    box.setAttribute("tabindex", "-1");
    box.focus();
  });

  document.addEventListener("htmx:sendError", function () {
    var box = errorBox();
    if (!box) return;
    box.textContent = "The server could not be reached; nothing was changed.";
    box.hidden = false;
  });

  document.addEventListener("htmx:beforeRequest", function () {
    var box = errorBox();
    if (box && !box.hidden) {
      box.hidden = true;
      box.textContent = "";
    }
  });

  // Previews look like the student's page but never submit anything.
  document.addEventListener("submit", function (event) {
    if (event.target.matches("[data-preview-form]")) event.preventDefault();
  });
})();
