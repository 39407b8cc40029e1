"""Text messages (短信) to people's mobiles, through one backend chosen by ``SMS_BACKEND``.

    from core.sms import SmsError, send_sms
    message_id = send_sms("13812345678", "login_code", {"code": "123456", "minutes": "5"})

``template`` is a logical key from ``TEMPLATES`` below: each names the wording we send and the
parameters it takes. A provider (Alibaba Cloud, Tencent Cloud) only sends wording it has
approved in advance, under the chamber's sign name; each key then maps to the provider's
template code through the environment (``SMS_TEMPLATE_<KEY>``, see README "短信与微信"). The
console backend, for development and tests, renders our own wording instead, so a developer
reads the message (and the login code) on the server's output.

``send_sms`` returns the provider's message id and raises ``SmsError`` for anything that kept
the message from being sent (a provider's refusal, a network error, a number we cannot send
to, a template the chamber has not configured). Callers that must not fail a page catch it.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

__all__ = ["TEMPLATES", "SmsError", "SmsMessage", "Template", "send_sms", "sms_configured"]

CONSOLE_BACKEND = "core.sms.console.ConsoleBackend"

# A mainland China mobile (members.validators.validate_mobile), optionally written +86…/86….
MOBILE_RE = re.compile(r"^(?:\+?86)?(1[3-9]\d{9})$")


class SmsError(Exception):
    """The message was not sent. ``code`` is the provider's error code when it gave one."""

    def __init__(self, message: str, *, code: str = ""):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Template:
    """What a template key sends: ``text`` with ``{param}`` placeholders, and the parameters
    in the order a positional provider (Tencent's ``{1}``, ``{2}``) numbers them."""

    text: str
    params: tuple[str, ...]


# The wording of every message, in Chinese because that is what is sent (the provider's
# approved templates are Chinese, not translated per reader); register the same wording with
# the provider, each ``{param}`` as its variable (Aliyun ``${code}``, Tencent ``{1}``).
# Keep each parameter short: providers cap a variable at 20–35 characters.
TEMPLATES: dict[str, Template] = {
    "login_code": Template(
        "您的登录验证码为{code}，{minutes}分钟内有效。如非本人操作，请忽略本短信。",
        ("code", "minutes"),
    ),
    "verify_mobile": Template(
        "您正在验证手机号，验证码为{code}，{minutes}分钟内有效。如非本人操作，请忽略本短信。",
        ("code", "minutes"),
    ),
    "event_tomorrow": Template(
        "提醒：您报名的活动“{title}”将于{time}在{place}举行，请准时参加。",
        ("title", "time", "place"),
    ),
    "event_cancelled": Template(
        "通知：您报名的活动“{title}”（原定{time}）已取消，给您带来不便，敬请谅解。",
        ("title", "time"),
    ),
    "guest_pass": Template(
        "{company}邀请您参加“{title}”（{time}）。入场凭证：{url} 请在签到处出示。",
        ("company", "title", "time", "url"),
    ),
    "problem_answered": Template(
        "您反映的问题“{title}”已有答复，请登录商会工作台查看。",
        ("title",),
    ),
}


@dataclass(frozen=True)
class SmsMessage:
    """One message as a backend receives it: ``mobile`` is 11 digits, ``params`` has exactly
    the template's parameters, ``text`` is our own rendering of it."""

    mobile: str
    template: str
    params: dict[str, str]
    text: str


def normalize_mobile(mobile: str) -> str:
    """The 11-digit mainland number in ``mobile`` (spaces, dashes and +86 dropped); SmsError
    if it is not one."""
    digits = re.sub(r"[\s\-]", "", mobile or "")
    match = MOBILE_RE.match(digits)
    if not match:
        raise SmsError(f"not a mainland mobile number: {mobile!r}", code="mobile")
    return match.group(1)


def render(template: str, params: dict[str, str]) -> SmsMessage:
    """The message ``template`` makes with ``params`` (mobile left blank). A key that is not
    in TEMPLATES, or parameters that do not match it, are a programming error: ValueError."""
    try:
        spec = TEMPLATES[template]
    except KeyError:
        raise ValueError(f"unknown SMS template {template!r}") from None
    given = {str(key): str(value) for key, value in params.items()}
    if set(given) != set(spec.params):
        raise ValueError(f"SMS template {template!r} takes {spec.params}, got {sorted(given)}")
    return SmsMessage("", template, given, spec.text.format(**given))


def get_backend():
    """An instance of the backend ``settings.SMS_BACKEND`` names."""
    return import_string(getattr(settings, "SMS_BACKEND", CONSOLE_BACKEND) or CONSOLE_BACKEND)()


def sms_configured() -> bool:
    """Whether messages reach real phones (a provider's backend is set), not the console."""
    backend = getattr(settings, "SMS_BACKEND", CONSOLE_BACKEND) or CONSOLE_BACKEND
    return backend != CONSOLE_BACKEND


def send_sms(mobile: str, template: str, params: dict[str, str]) -> str:
    """Send ``template`` with ``params`` to ``mobile``; return the provider's message id.

    Raises SmsError when it was not sent, ValueError for an unknown template or wrong params.
    """
    message = render(template, params)
    message = SmsMessage(normalize_mobile(mobile), message.template, message.params, message.text)
    return get_backend().send(message)
