// 上传图片 in the notice and spotlight editor: a button on the editor's menu bar picks a
// picture, sends it to the textarea's data-image-upload-url (the admin's staff-only view,
// which checks and scales it) and inserts the returned address as a figure with a caption.
// A refusal is shown under the editor in the server's words. A classic script: it listens
// before the editor's deferred modules announce each editor (prose-editor:ready).
(function () {
  "use strict";

  var chinese = /^zh/i.test(document.documentElement.lang);
  var words = chinese
    ? {
        button: "上传图片",
        uploading: "正在上传图片…",
        done: "图片已插入，可在图片下方填写图注。",
        tooLarge: "图片太大：请选择 5 MB 以内的 JPEG、PNG 或 WebP 图片。",
        failed: "图片没有上传成功，请稍后再试。"
      }
    : {
        button: "Upload a picture",
        uploading: "Uploading the picture…",
        done: "The picture is in; write its caption under it.",
        tooLarge: "The picture is too large: choose a JPEG, PNG or WebP of at most 5 MB.",
        failed: "The picture could not be uploaded. Try again later."
      };

  function csrfToken(textarea) {
    var form = textarea.form || document;
    var field = form.querySelector("[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function insertPicture(editor, url) {
    var figure = {
      type: "figure",
      content: [{ type: "image", attrs: { src: url, alt: "" } }, { type: "caption" }]
    };
    if (editor.schema.nodes.figure && editor.schema.nodes.caption) {
      editor.chain().focus().insertContent(figure).run();
    } else {
      editor.chain().focus().insertContent({ type: "image", attrs: { src: url, alt: "" } }).run();
    }
  }

  function upload(editor, textarea, file, status) {
    var body = new FormData();
    body.append("image", file);
    status.textContent = words.uploading;
    status.classList.remove("errornote");
    fetch(textarea.dataset.imageUploadUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(textarea), Accept: "application/json" }
    })
      .then(function (response) {
        if (response.status === 413) {
          return { error: words.tooLarge };
        }
        var type = response.headers.get("Content-Type") || "";
        if (type.indexOf("application/json") === -1) {
          return { error: words.failed };
        }
        return response.json();
      })
      .then(function (answer) {
        if (answer.url) {
          insertPicture(editor, answer.url);
          status.textContent = words.done;
        } else {
          status.textContent = answer.error || words.failed;
          status.classList.add("errornote");
        }
      })
      .catch(function () {
        status.textContent = words.failed;
        status.classList.add("errornote");
      });
  }

  document.addEventListener("prose-editor:ready", function (event) {
    var editor = event.detail.editor;
    var textarea = event.detail.textarea;
    if (!textarea.dataset.imageUploadUrl) {
      return;
    }
    var wrapper = textarea.closest(".prose-editor") || textarea.parentNode;
    var input = document.createElement("input");
    input.type = "file";
    input.accept = "image/jpeg,image/png,image/webp";
    input.hidden = true;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "editor-image-upload";
    button.textContent = words.button;
    var status = document.createElement("p");
    status.className = "editor-image-status";
    status.setAttribute("role", "status");
    button.addEventListener("click", function () {
      input.click();
    });
    input.addEventListener("change", function () {
      if (input.files.length) {
        upload(editor, textarea, input.files[0], status);
      }
      input.value = "";
    });
    wrapper.appendChild(input);
    wrapper.appendChild(status);
    // The menu bar is drawn just after the editor announces itself: wait for it a little.
    var tries = 0;
    (function place() {
      var menubar = wrapper.querySelector(".prose-menubar");
      if (menubar) {
        var group = document.createElement("div");
        group.className = "prose-menubar__group";
        button.classList.add("prose-menubar__button");
        group.appendChild(button);
        menubar.appendChild(group);
      } else if (tries++ < 20) {
        window.setTimeout(place, 50);
      } else {
        wrapper.parentNode.insertBefore(button, wrapper);
      }
    })();
  });
})();
