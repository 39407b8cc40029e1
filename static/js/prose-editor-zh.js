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
    "Table": "表格"
  };
  // The admin's own catalog (admin:jsi18n) may have set gettext already: keep it for the rest.
  var base = window.gettext || function (text) {
    return text;
  };
  window.gettext = function (text) {
    return words[text] || base(text);
  };
})();
