"""The charity templates' money filters: those of ``core.templatetags.money`` (yuan, wan,
wan_number, is_large, rmb_capitals), under the name the charity templates load."""

from django import template

from core.templatetags.money import register as money

register = template.Library()
register.filters.update(money.filters)
