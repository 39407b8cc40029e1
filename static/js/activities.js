// The visit form: show one empty problem row at a time and add rows on demand.
// Without this file the form shows three empty rows, which is enough for most visits, and
// more problems can be added by editing the visit.
(function () {
  "use strict";

  function isEmpty(row) {
    var fields = row.querySelectorAll("select, textarea");
    for (var i = 0; i < fields.length; i++) {
      if (fields[i].value.trim() !== "") {
        return false;
      }
    }
    return !row.querySelector(".errorlist");
  }

  function setUp(form) {
    var rows = form.querySelector("[data-problem-rows]");
    var button = form.querySelector("[data-add-problem]");
    var template = document.getElementById("problem-row-template");
    var total = form.querySelector("input[name$='-TOTAL_FORMS']");
    if (!rows || !button || !template || !total) {
      return;
    }
    var prefix = total.name.replace(/-TOTAL_FORMS$/, "");

    // Keep the filled rows and the first empty one; hide the other empty ones.
    var shownEmpty = false;
    rows.querySelectorAll("[data-problem-row]").forEach(function (row) {
      if (isEmpty(row)) {
        if (shownEmpty) {
          row.hidden = true;
        }
        shownEmpty = true;
      }
    });

    button.hidden = false;
    button.addEventListener("click", function () {
      var next = rows.querySelector("[data-problem-row][hidden]");
      if (!next) {
        var index = parseInt(total.value, 10);
        var html = template.innerHTML
          .replace(new RegExp(prefix + "-__prefix__", "g"), prefix + "-" + index)
          .replace(/__number__/g, String(index + 1));
        var holder = document.createElement("div");
        holder.innerHTML = html.trim();
        next = holder.firstElementChild;
        rows.appendChild(next);
        total.value = String(index + 1);
      }
      next.hidden = false;
      var first = next.querySelector("select, textarea");
      if (first) {
        first.focus();
      }
    });
  }

  document.querySelectorAll("form.visit-form").forEach(setUp);
})();
