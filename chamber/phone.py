"""Logging in with a mobile number and a code sent to it (allauth's login by code).

The number is the one on the person's record (``members.Person.mobile``); the adapter
(chamber/adapters.py) finds the account by it and sends the code through core.sms. This
module holds the form pieces: the mobile field people type 13812345678 into (allauth's own
expects +86…), and the request form, which only takes a mobile and throttles per number.
"""

import time
from contextlib import contextmanager

from allauth.account.adapter import get_adapter
from allauth.account.forms import RequestLoginCodeForm
from allauth.core import context
from allauth.core.internal import ratelimit
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.sms import SmsError, normalize_mobile

# allauth's limit on asking for a login code (ACCOUNT_RATE_LIMITS["request_login_code"]).
REQUEST_LOGIN_CODE = "request_login_code"


def clean_mobile(value: str) -> str:
    """The 11-digit mainland mobile in ``value`` (+86, spaces and dashes allowed)."""
    try:
        return normalize_mobile(value)
    except SmsError:
        raise ValidationError(
            _("Enter an 11-digit mainland mobile number starting with 13–19, e.g. 13812345678."),
            code="invalid_phone",
        ) from None


class MobileField(forms.CharField):
    """A mainland mobile, cleaned to its 11 digits by the adapter's ``clean_phone``."""

    def __init__(self, **kwargs):
        kwargs.pop("validators", None)
        kwargs.setdefault("label", _("Mobile number"))
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "type": "tel",
                    "autocomplete": "tel-national",
                    "inputmode": "numeric",
                    "placeholder": _("11-digit mobile number"),
                }
            ),
        )
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value:
            value = get_adapter().clean_phone(value)
        return value


class PhoneLoginCodeForm(RequestLoginCodeForm):
    """Ask for a login code by mobile only (allauth's form also offers email).

    Every number, on record or not, is throttled alike and gets the same answer: the code
    page. Codes are sent at most once a minute and five times an hour to a number
    (ACCOUNT_RATE_LIMITS["request_login_code"]), so asking again is the resend.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("email", None)
        self.fields["phone"].required = True

    def clean(self):
        return self.cleaned_data

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"]
        self._user = get_adapter().get_user_by_phone(phone)
        if not ratelimit.consume(
            context.request, app="allauth.account", action=REQUEST_LOGIN_CODE, key=phone
        ):
            raise ValidationError(
                _(
                    "A code was sent to this number a moment ago. "
                    "Please wait a minute and try again."
                ),
                code="too_many_login_attempts",
            )
        return phone


@contextmanager
def at_least(seconds: float):
    """Make the block take at least ``seconds``: sending a code to a number on record and
    sending nothing to a number not on record then take the same time, so the answer's
    delay does not tell which numbers have accounts (SMS_SEND_FLOOR_SECONDS)."""
    started = time.monotonic()
    try:
        yield
    finally:
        left = seconds - (time.monotonic() - started)
        if left > 0:
            time.sleep(left)


def send_floor() -> float:
    return float(getattr(settings, "SMS_SEND_FLOOR_SECONDS", 0) or 0)
