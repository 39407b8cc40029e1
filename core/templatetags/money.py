"""Money in templates: {{ amount|yuan }} → 4,250,000.00; {{ amount|wan }} → 425万元;
{{ amount|wan_number }} → 425; {{ amount|rmb_capitals }} → 肆佰贰拾伍万元整 (core.money)."""

from django import template

from core import money

register = template.Library()


@register.filter
def yuan(value):
    return money.format_yuan(value)


@register.filter
def wan(value):
    return money.format_wan(value)


@register.filter
def wan_number(value):
    return money.format_wan_number(value)


@register.filter
def is_large(value):
    """Large enough to be shown in 万元 as well."""
    return money.yuan(value) >= money.WAN_FROM


@register.filter
def rmb_capitals(value):
    return money.rmb_capitals(value)
