// Quiz behaviour that must live in a file (strict CSP): show refusals that the server
// sends as 4xx fragments. htmx does not swap error responses by default; ours carry
// HX-Retarget pointing at the message area above the answer form.
(function () {
  "use strict";
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    if (xhr.status >= 400 && xhr.status < 500 && xhr.getResponseHeader("HX-Retarget")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
