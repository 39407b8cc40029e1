// Events: the calendar subscription box on /me/. A "Copy" button for the address, the kinds
// of event ticked added to it (?types=…), and a hint inside WeChat, which blocks webcal links.
// The address stays selectable in its field without this file.
(function () {
  "use strict";

  function setUpFeed() {
    var field = document.querySelector("input[data-feed-url]");
    if (!field) {
      return;
    }
    var base = field.getAttribute("data-feed-url");
    var webcal = document.querySelector("a[data-feed-webcal]");
    var boxes = document.querySelectorAll("[data-feed-kinds] input[type=checkbox]");
    function update() {
      var types = [];
      boxes.forEach(function (box) {
        if (box.checked) {
          types.push(box.value);
        }
      });
      var url = base + (types.length ? "?types=" + types.join(",") : "");
      field.value = url;
      if (webcal) {
        webcal.href = "webcal://" + url.replace(/^https?:\/\//, "");
      }
    }
    boxes.forEach(function (box) {
      box.addEventListener("change", update);
    });
    update();
    if (/MicroMessenger/i.test(navigator.userAgent)) {
      document.querySelectorAll("[data-wechat-hint]").forEach(function (hint) {
        hint.hidden = false;
      });
    }
  }

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
    setUpFeed();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
