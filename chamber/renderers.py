"""A form renderer that writes the plain widgets in Python.

Django renders every widget through templates: an ``<input>`` is three template renders
(``text.html`` → ``input.html`` → ``attrs.html``), a ``<select>`` one more per ``<option>``. On a
list page that is most of the cost of its filter form, and on an admin change list (one action
checkbox per row) a fifth of the whole request. ``FastTemplateRenderer`` writes the same markup
with string formatting for the widget templates Django ships and nothing overrides; any other
template (the admin's related-object widgets, clearable file inputs, radio lists…) still goes
through the template engine. ``tests/chamber/test_renderers.py`` compares both outputs.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape

WIDGETS = "django/forms/widgets/"
INPUT_TEMPLATES = {
    f"{WIDGETS}{name}.html"
    for name in (
        "input",
        "text",
        "number",
        "email",
        "url",
        "password",
        "hidden",
        "search",
        "tel",
        "color",
        "date",
        "datetime",
        "time",
        "checkbox",
    )
}


def _attrs(attrs: dict) -> str:
    """``attrs.html``: ``name="value"``, a bare name for True, nothing for False."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(f' {conditional_escape(name)}="{conditional_escape(str(value))}"')
    return "".join(parts)


def _input(widget: dict) -> str:
    value = widget["value"]
    value_attr = "" if value is None else f' value="{conditional_escape(str(value))}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"{value_attr}{_attrs(widget["attrs"])}>'
    )


def _option(option: dict) -> str:
    return (
        f'<option value="{conditional_escape(str(option["value"]))}"{_attrs(option["attrs"])}>'
        f"{conditional_escape(localize(option['label']))}</option>"
    )


def _textarea(widget: dict) -> str:
    value = widget["value"]
    text = conditional_escape(localize(value)) if value else ""
    return (
        f'<textarea name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n'
        f"{text}</textarea>"
    )


class FastTemplateRenderer(DjangoTemplates):
    """Django's default renderer, with inputs, selects and textareas written in Python."""

    def render(self, template_name, context, request=None):
        if template_name in INPUT_TEMPLATES:
            return _input(context["widget"])
        if template_name == f"{WIDGETS}select.html":
            return self._select(context, request)
        if template_name == f"{WIDGETS}textarea.html":
            return _textarea(context["widget"])
        return super().render(template_name, context, request)

    def _select(self, context: dict, request) -> str:
        """``select.html``; a select with a custom option template goes through the engine."""
        widget = context["widget"]
        parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            for option in group_choices:
                if option["template_name"] != f"{WIDGETS}select_option.html":
                    return super().render(f"{WIDGETS}select.html", context, request)
                # select_option.html ends with a newline, kept by the include.
                parts.append(f"\n  {_option(option)}\n")
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return "".join(parts)
