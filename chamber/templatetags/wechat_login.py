"""{% wechat_login_available as name %}: whether the login page offers WeChat in this browser."""

from django import template

from chamber.wechat import wechat_available

register = template.Library()


@register.simple_tag(takes_context=True)
def wechat_login_available(context) -> bool:
    request = context.get("request")
    return request is not None and wechat_available(request)
