// Events: a "Copy" button for the calendar subscription address. The address stays
// selectable in its field without this file.
(function () {
  "use strict";

  function setUp() {
    document.querySelectorAll("button[data-copy]").forEach(function (button) {
      var field = document.getElementById(button.getAttribute("data-copy"));
      if (!field || !navigator.clipboard) {
        return;
      }
      button.hidden = false;
      var label = button.textContent;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(field.value).then(function () {
          button.textContent = button.getAttribute("data-copied") || label;
          window.setTimeout(function () {
            button.textContent = label;
          }, 2000);
        });
      });
    });
    document.querySelectorAll("input[data-copy-source]").forEach(function (field) {
      field.addEventListener("focus", function () {
        field.select();
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
