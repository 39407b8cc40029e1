"""``{% main_nav as nav %}``: the role-ordered navigation of ``chamber.nav``."""

from django import template

from chamber.nav import main_nav as build

register = template.Library()


@register.simple_tag(takes_context=True)
def main_nav(context):
    return build(context["request"], context["roles"])
