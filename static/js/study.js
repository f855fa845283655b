// The interview reader's enhancements. Everything works without this file:
// claim links open their own page, the annotations switch is a plain link.
(function () {
  "use strict";

  var lastOpened = null; // the claim link whose panel is open, to return focus on close

  function claimLinks(reader) {
    return reader.querySelectorAll(".claim-mark .claim-link");
  }

  function setAnnotations(reader, show) {
    reader.classList.toggle("annotations-off", !show);
    Array.prototype.forEach.call(claimLinks(reader), function (link) {
      // A link without href is plain text to the keyboard and to screen readers.
      if (show && link.dataset.href) {
        link.setAttribute("href", link.dataset.href);
      } else if (!show && link.hasAttribute("href")) {
        link.dataset.href = link.getAttribute("href");
        link.removeAttribute("href");
      }
    });
  }

  function closePanel(panel) {
    panel.innerHTML = "";
    if (lastOpened && panel.closest(".passage").contains(lastOpened)) {
      lastOpened.removeAttribute("aria-current");
      lastOpened.focus();
    }
  }

  document.addEventListener("click", function (event) {
    var toggle = event.target.closest("[data-annotations-toggle]");
    var reader = document.getElementById("reader");
    if (toggle && reader && toggle.dataset.hideUrl && claimLinks(reader).length) {
      event.preventDefault();
      var show = reader.classList.contains("annotations-off");
      setAnnotations(reader, show);
      toggle.textContent = show ? "Hide the claims" : "Show the claims";
      toggle.setAttribute("href", show ? toggle.dataset.hideUrl : toggle.dataset.showUrl);
      var status = document.querySelector("[data-annotations-status]");
      if (status) status.textContent = show ? "Claims shown." : "Claims hidden.";
      // Keep the address in step, so a reload or a shared link shows the same view.
      window.history.replaceState(null, "", toggle.dataset[show ? "showUrl" : "hideUrl"] + window.location.hash);
      return;
    }

    var link = event.target.closest(".claim-link");
    if (link && link.closest("#reader")) {
      if (lastOpened) lastOpened.removeAttribute("aria-current");
      lastOpened = link;
      link.setAttribute("aria-current", "true");
      return;
    }

    var close = event.target.closest("[data-panel-close]");
    if (close) {
      event.preventDefault();
      closePanel(close.closest(".claim-panel"));
    }
  });

  // If a claim cannot be loaded, say so in its panel rather than failing silently.
  document.addEventListener("htmx:responseError", function (event) {
    var link = event.detail.elt;
    var panel = link && link.closest && link.closest(".passage") && link.closest(".passage").querySelector(".claim-panel");
    if (!panel || !link.getAttribute("href")) return;
    var box = document.createElement("p");
    box.className = "message message-error";
    box.setAttribute("data-focus", "");
    box.setAttribute("tabindex", "-1");
    box.textContent = "This claim could not be loaded. ";
    var fallback = document.createElement("a");
    fallback.href = link.getAttribute("href");
    fallback.textContent = "Open it on its own page";
    box.appendChild(fallback);
    panel.replaceChildren(box);
    box.focus();
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var panel = event.target.closest && event.target.closest(".claim-panel");
    if (panel && panel.children.length) closePanel(panel);
  });
})();
