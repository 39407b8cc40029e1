"""``{% main_nav as nav %}``: the role-ordered navigation of ``chamber.nav``."""

from django import template

from chamber.nav import main_nav as build

register = template.Library()


@register.simple_tag(takes_context=True)
def main_nav(context):
    return build(context["request"], context["roles"])


@register.simple_tag(takes_context=True)
def account_shown(context):
    """What the account menu shows of the account (its key in ``{% memo %}``): the person's
    name or the account's, and the company's name for a member."""
    user, roles = context["user"], context["roles"]
    person_name = roles.person.name if roles.person is not None else ""
    company_name = roles.company.name if roles.is_member else ""
    return (person_name, user.get_full_name(), user.get_username(), company_name)
