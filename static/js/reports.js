// Reports: the print button on the four-goods self-assessment. Without this file the page
// still prints from the browser's own menu.
(function () {
  "use strict";

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
