// Site behaviour that must live in a file: the CSP forbids inline scripts.
(function () {
  "use strict";

  // After htmx swaps in a fragment, move focus to the element that asks for it
  // (feedback, the next question), so keyboard and screen-reader users follow the change.
  document.addEventListener("htmx:afterSettle", function (event) {
    var root = event.detail.elt || document;
    var target = root.matches && root.matches("[data-focus]") ? root : root.querySelector("[data-focus]");
    if (target) {
      if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
      target.focus();
    }
  });

  // Ordering questions: move an item up or down with its buttons (keyboard-friendly, no dragging).
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-move]");
    if (!button) return;
    var item = button.closest("[data-order-item]");
    var list = item && item.parentElement;
    if (!list) return;
    event.preventDefault();
    var live = list.parentElement.querySelector("[data-order-status]");
    var up = button.dataset.move === "up";
    if (up ? !item.previousElementSibling : !item.nextElementSibling) {
      // Nothing moved: say so rather than announce a move that did not happen.
      if (live) live.textContent = item.dataset.label + " is already " + (up ? "first" : "last");
      return;
    }
    if (up) {
      list.insertBefore(item, item.previousElementSibling);
    } else {
      list.insertBefore(item.nextElementSibling, item);
    }
    // Keep the hidden position inputs in step with what the student sees.
    Array.prototype.forEach.call(list.querySelectorAll("[data-order-item]"), function (el, index) {
      var input = el.querySelector("[data-order-position]");
      if (input) input.value = index + 1;
      var label = el.querySelector("[data-order-rank]");
      if (label) label.textContent = index + 1;
    });
    button.focus();
    if (live) live.textContent = item.dataset.label + " moved to position " + (Array.prototype.indexOf.call(list.children, item) + 1);
  });

  // Elements that only make sense with JavaScript are hidden until it runs.
  document.documentElement.classList.add("js");
})();
