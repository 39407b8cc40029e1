"""``{% channel_choices as choices %}``: the user's notification channels, for the form on
/me/ and /inbox/ (one query)."""

from django import template

from core.notifications.views import channel_choices as choices_of

register = template.Library()


@register.simple_tag(takes_context=True)
def channel_choices(context):
    return choices_of(context["request"].user)
