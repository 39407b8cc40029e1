// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";

  // Close an open menu (a <details class="user-menu">) on a click elsewhere or on Escape.
  function closeMenus(except) {
    document.querySelectorAll("details.user-menu[open]").forEach(function (menu) {
      if (menu !== except) {
        menu.removeAttribute("open");
      }
    });
  }

  document.addEventListener("click", function (event) {
    closeMenus(event.target.closest("details.user-menu"));
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      var open = document.querySelector("details.user-menu[open]");
      if (open) {
        open.removeAttribute("open");
        open.querySelector("summary").focus();
      }
    }
  });

  // After a slip, take the eye to the first error: scroll to the first invalid field (or the
  // form's own message when no field is marked) and put the cursor in it.
  function focusFirstError() {
    var first =
      document.querySelector("main [aria-invalid='true'], main .has-error") ||
      document.querySelector("main ul.errorlist, main .form-errors");
    if (!first) {
      return;
    }
    var target = first;
    if (!target.matches("input, select, textarea")) {
      var holder = target.closest(".field, [data-problem-row], fieldset, .has-error") || target;
      target =
        holder.querySelector("[aria-invalid='true'], input:not([type=hidden]), select, textarea") ||
        target;
    }
    if (!target.matches("input, select, textarea, button, a")) {
      target.setAttribute("tabindex", "-1");
    }
    target.scrollIntoView({ block: "center" });
    target.focus({ preventScroll: true });
  }

  // A wide table of months (the visit compliance board) opens at this month on a narrow screen.
  function scrollToThisMonth() {
    document.querySelectorAll("[data-scroll-to-month]").forEach(function (region) {
      var month = region.querySelector(".is-this-month");
      var name = region.querySelector("thead th");
      if (!month || region.scrollWidth <= region.clientWidth) {
        return;
      }
      region.scrollLeft = month.offsetLeft - (name ? name.offsetWidth : 0) - 4;
    });
  }

  function setUp() {
    focusFirstError();
    scrollToThisMonth();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
