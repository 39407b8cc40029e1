// The admin's xlsx import pages: while a check or an import runs (a large file takes
// seconds), say so and keep the button from being pressed twice.
(function () {
  "use strict";
  var status = document.getElementById("import-progress");
  if (!status) {
    return;
  }
  var forms = document.querySelectorAll("#content form");
  // Back to this page from the browser's cache: it is no longer working.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) {
      return;
    }
    status.hidden = true;
    forms.forEach(function (form) {
      form.removeAttribute("aria-busy");
      form.querySelectorAll("[type=submit]").forEach(function (button) {
        button.disabled = false;
      });
    });
  });
  forms.forEach(function (form) {
    form.addEventListener("submit", function () {
      var confirming = form.querySelector("[name=confirm]") !== null;
      status.textContent = confirming ? status.dataset.importing : status.dataset.checking;
      status.hidden = false;
      form.setAttribute("aria-busy", "true");
      // After the browser has gathered the form's values: a disabled button sends none.
      window.setTimeout(function () {
        form.querySelectorAll("[type=submit]").forEach(function (button) {
          button.disabled = true;
        });
      }, 0);
    });
  });
})();
