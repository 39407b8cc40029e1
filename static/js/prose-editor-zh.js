// The notice editor's own words (django-prose-editor asks window.gettext) in Chinese, on a
// Chinese page. A classic script: it runs before the editor's modules, which are deferred.
(function () {
  "use strict";

  if (!/^zh/i.test(document.documentElement.lang)) {
    return;
  }
  var words = {
    "Image URL": "图片地址",
    "Alternative Text": "图片说明（读屏用）",
    "Caption": "图注",
    "Edit Figure": "编辑图片",
    "Insert Figure": "插入图片",
    "Update": "更新",
    "Insert": "插入",
    "Edit HTML": "编辑 HTML 源码",
    "Prettify": "整理格式",
    "URL": "链接地址",
    "Title": "标题",
    "Open in new window": "在新窗口打开",
    "Edit Link": "编辑链接",
    "List properties": "列表设置",
    "Toggle fullscreen": "全屏编辑",
    "Decimal numbers": "1、2、3",
    "Lowercase letters": "a、b、c",
    "Uppercase letters": "A、B、C",
    "Lowercase Roman numerals": "i、ii、iii",
    "Uppercase Roman numerals": "I、II、III",
    "Start at": "起始编号",
    "List type": "编号样式",
    "Rows": "行数",
    "Columns": "列数",
    "Include header row": "包含表头行",
    "Table Properties": "表格设置",
    "Insert Table": "插入表格",
    "Cancel": "取消",
    "Image": "图片",
    "Link": "链接",
    "Table": "表格",
    "paragraph": "段落格式",
    "Paragraph": "正文",
    "Heading 2": "二级标题",
    "Heading 3": "三级标题",
    "Heading 4": "四级标题",
    "unordered list": "项目符号列表",
    "ordered list": "编号列表",
    "blockquote": "引用",
    "figure": "按地址插入图片",
    "bold": "加粗",
    "italic": "斜体",
    "underline": "下划线",
    "insert link": "插入链接",
    "remove link": "取消链接",
    "Insert table": "插入表格",
    "Add column": "插入列",
    "Delete column": "删除列",
    "Add row": "插入行",
    "Delete row": "删除行",
    "Merge cells": "合并单元格",
    "Split cell": "拆分单元格",
    "Toggle header cell": "设为或取消表头",
    "Delete table": "删除表格",
    "undo": "撤销",
    "redo": "重做",
    "edit HTML": "编辑 HTML 源码",
    "Add caption": "添加图注",
    "Remove caption": "删除图注",
    "Edit Image": "编辑图片",
    "Browse...": "浏览…"
  };
  // The admin's own catalog (admin:jsi18n) may have set gettext already: keep it for the rest.
  var base = window.gettext || function (text) {
    return text;
  };
  window.gettext = function (text) {
    return words[text] || base(text);
  };

  // The menu bar's tooltips and the heading choices are not asked of gettext: put them in
  // Chinese where they are drawn, and again whenever the editor redraws a button.
  function translate(root) {
    root.querySelectorAll(".prose-menubar button, .prose-menubar--floating button").forEach(
      function (button) {
        ["title", "aria-label"].forEach(function (name) {
          var value = button.getAttribute(name);
          if (value && words[value] && words[value] !== value) {
            button.setAttribute(name, words[value]);
          }
        });
        var label = button.querySelector("h2, h3, h4, p") || button;
        if (!button.classList.contains("material-icons") && words[label.textContent.trim()]) {
          label.textContent = words[label.textContent.trim()];
        }
      }
    );
  }
  document.addEventListener("prose-editor:ready", function () {
    translate(document);
    new MutationObserver(function () {
      translate(document);
    }).observe(document.body, { childList: true, subtree: true, attributes: true,
      attributeFilter: ["title"] });
  });
})();
