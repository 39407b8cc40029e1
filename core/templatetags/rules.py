"""``{% if roles|may:"members.see_contacts" %}``: the rules of ``core.rules`` in templates."""

from django import template

from core.rules import allows

register = template.Library()


@register.filter
def may(roles, name):
    return allows(name, roles)
