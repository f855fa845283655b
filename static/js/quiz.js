// Quiz behaviour that must live in a file (strict CSP): show refusals that the server
// sends as 4xx fragments. htmx does not swap error responses by default; ours carry
// HX-Retarget pointing at the message area above the answer form. A 503 is a failed save
// the student can retry ("your answer was not saved"), shown the same way.
(function () {
  "use strict";
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    var refusal = (xhr.status >= 400 && xhr.status < 500) || xhr.status === 503;
    if (refusal && xhr.getResponseHeader("HX-Retarget")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // Any other failure (a server error, the network down) must not leave the student
  // clicking a button that seems to do nothing: say what happened above the form.
  function tell(message) {
    var box = document.getElementById("answer-error");
    if (!box) return;
    box.textContent = message;
    box.setAttribute("tabindex", "-1");
    box.focus();
  }
  document.addEventListener("htmx:responseError", function () {
    tell("Something went wrong on our side, so your answer may not have been saved. Reload the page and try again.");
  });
  document.addEventListener("htmx:sendError", function () {
    tell("The server could not be reached, so your answer was not saved. Check your connection and try again.");
  });
})();
