// Teacher pages: focus after htmx swaps, readable errors, inert preview forms.
(function () {
  "use strict";

  // After the set editor swaps a fragment, put focus back where the teacher was working
  // (the moved item's button, the bank row just added), so keyboard users keep their place.
  document.addEventListener("htmx:afterSettle", function () {
    var target = document.querySelector("[data-teach-focus]");
    if (target) {
      target.removeAttribute("data-teach-focus");
      target.focus();
    }
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
