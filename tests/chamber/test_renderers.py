"""The fast form renderer writes exactly what Django's widget templates write."""

import datetime

import pytest
from django import forms
from django.contrib.admin.helpers import ActionForm
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

from chamber.renderers import FastTemplateRenderer


class EverythingForm(forms.Form):
    name = forms.CharField(
        max_length=20, widget=forms.TextInput(attrs={"placeholder": gettext_lazy("Search")})
    )
    email = forms.EmailField(required=False)
    count = forms.IntegerField(min_value=0)
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True))
    hidden = forms.CharField(widget=forms.HiddenInput)
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    agree = forms.BooleanField(required=False)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    tier = forms.ChoiceField(choices=[("", "---------"), ("a", "理事 <A>"), ("b", "会员 & B")])
    grouped = forms.ChoiceField(
        choices=[("Shanghai", [("1", "徐泾"), ("2", "华新")]), ("Other", [("3", "别处")])]
    )
    many = forms.MultipleChoiceField(choices=[(1, "one"), (2, "two"), (3, "three")])
    radio = forms.ChoiceField(widget=forms.RadioSelect, choices=[("x", "X"), ("y", "Y")])
    picked = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple, choices=[("x", "X"), ("y", "Y")]
    )
    upload = forms.FileField(required=False)


DATA = {
    "name": 'a "quoted" <b>name</b> & more',
    "email": "x@example.cn",
    "count": "12",
    "secret": "s3cr<et>",
    "hidden": "h&h",
    "day": "2026-11-28",
    "agree": "on",
    "notes": "line one\n<script>alert(1)</script>",
    "tier": "b",
    "grouped": "2",
    "many": ["1", "3"],
    "radio": "y",
    "picked": ["x"],
}


def rendered(form_class, renderer, **kwargs):
    return [str(bound) for bound in form_class(renderer=renderer, **kwargs)]


@pytest.mark.parametrize(
    "kwargs", [{}, {"data": DATA}, {"initial": {"day": datetime.date(2026, 1, 2)}}]
)
def test_every_widget_renders_as_the_templates_do(kwargs):
    with override("zh-hans"):
        fast = rendered(EverythingForm, FastTemplateRenderer(), **kwargs)
        slow = rendered(EverythingForm, DjangoTemplates(), **kwargs)
    assert fast == slow
    assert any("&lt;b&gt;name&lt;/b&gt;" in html for html in fast) or not kwargs.get("data")


def test_values_and_labels_are_escaped():
    form = EverythingForm(renderer=FastTemplateRenderer(), data=DATA)
    html = str(form["notes"]) + str(form["tier"]) + str(form["name"])
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '<option value="b" selected>会员 &amp; B</option>' in html
    assert 'value="a &quot;quoted&quot; &lt;b&gt;name&lt;/b&gt; &amp; more"' in html


def test_safe_strings_are_not_escaped_twice():
    class SafeForm(forms.Form):
        pick = forms.ChoiceField(choices=[("a", mark_safe("<em>A</em>"))])

    fast = str(SafeForm(renderer=FastTemplateRenderer())["pick"])
    assert fast == str(SafeForm(renderer=DjangoTemplates())["pick"])
    assert "<em>A</em>" in fast


def test_the_admin_action_form_renders_the_same():
    fast = ActionForm(renderer=FastTemplateRenderer())
    fast.fields["action"].choices = [("", "---------"), ("delete_selected", "删除所选")]
    slow = ActionForm(renderer=DjangoTemplates())
    slow.fields["action"].choices = fast.fields["action"].choices
    assert [str(b) for b in fast] == [str(b) for b in slow]


def test_the_site_uses_it(settings):
    from django.forms.renderers import get_default_renderer

    get_default_renderer.cache_clear()
    try:
        assert isinstance(get_default_renderer(), FastTemplateRenderer)
    finally:
        get_default_renderer.cache_clear()
