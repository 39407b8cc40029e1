import logging
import math

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.internal import ratelimit
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.sms import SmsError, send_sms

from . import wechat
from .phone import MobileField, at_least, clean_mobile, send_floor

logger = logging.getLogger(__name__)

# The failed-login limit that counts every address at once (ACCOUNT_RATE_LIMITS).
LOGIN_FAILED_ANYWHERE = "login_failed_anywhere"


class AccountAdapter(DefaultAccountAdapter):
    """No open sign-up: the secretariat invites people from the admin.

    Failed logins are counted per login *and* client address (allauth's ``login_failed``
    "key" limit, whose key we extend with the address), so a stranger guessing the
    president's password locks only their own address out, not the president. A much higher
    limit per login from all addresses together (``login_failed_anywhere``) still stops
    guessing spread over many addresses.
    """

    def is_open_for_signup(self, request):
        return False

    # --- Login by mobile and SMS code (allauth's phone support) ---
    # The number is the person's record, Person.mobile, kept by the secretariat: it counts as
    # verified, and it belongs to one account at most (checked by the admin's person forms and
    # User.clean; a number two accounts share anyway logs neither in).

    def phone_form_field(self, **kwargs):
        return MobileField(**kwargs)

    def clean_phone(self, phone: str) -> str:
        return clean_mobile(phone)

    def get_phone(self, user):
        person = getattr(user, "person", None)
        if person is None or not person.mobile:
            return None
        return person.mobile, True

    def set_phone(self, user, phone: str, verified: bool) -> None:
        """allauth calls this only on sign-up or a change of number, both off here; were it
        called, the number goes on the person's record, if no other account has it."""
        person = getattr(user, "person", None)
        if person is None:
            return
        if self.get_user_by_phone(phone) not in (None, user):
            raise ValidationError(_("Another account already has this mobile number."))
        person.mobile = phone
        person.save(update_fields=["mobile", "updated_at"])

    def set_phone_verified(self, user, phone: str) -> None:
        """Numbers on the roster already count as verified."""

    def get_user_by_phone(self, phone: str):
        from .models import User

        users = list(
            User.objects.filter(person__mobile=phone, is_active=True).select_related("person")[:2]
        )
        if len(users) != 1:
            if users:
                logger.warning("two accounts have the mobile %s: neither logs in by it", phone)
            return None
        return users[0]

    def send_verification_code_sms(self, user, phone: str, code: str, **kwargs) -> None:
        """The login code, through core.sms. A provider's failure is logged, not shown: the
        answer must not differ from a number not on record's (the person asks again)."""
        minutes = math.ceil(account_settings.LOGIN_BY_CODE_TIMEOUT / 60)
        with at_least(send_floor()):
            try:
                send_sms(phone, "login_code", {"code": code, "minutes": str(minutes)})
            except SmsError:
                logger.exception("could not send a login code to %s", phone)

    def send_unknown_account_sms(self, phone: str, **kwargs) -> None:
        """Nothing is sent to a number not on record (a text costs money and would reach a
        stranger), but the answer takes as long as a send."""
        with at_least(send_floor()):
            pass

    def _login_key(self, request, **credentials) -> str:
        """allauth's key: the site's host and the login."""
        return super()._get_login_attempts_cache_key(request, **credentials)

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        return f"{self._login_key(request, **credentials)}:{ratelimit.get_ip(request)}"

    def pre_authenticate(self, request, **credentials) -> None:
        super().pre_authenticate(request, **credentials)
        anywhere = ratelimit.consume(
            request,
            app="allauth.account",
            action=LOGIN_FAILED_ANYWHERE,
            key=self._login_key(request, **credentials),
        )
        if not anywhere:
            raise self.validation_error("too_many_login_attempts")
        # A successful login rolls back both counts (allauth's authenticate()).
        self._login_failed_rl_usage.usage.extend(anywhere.usage)

    def _delete_login_attempts_cached_email(self, request, **credentials) -> None:
        """A password reset by email lifts the lock on the login everywhere."""
        super()._delete_login_attempts_cached_email(request, **credentials)
        ratelimit.clear(
            request,
            app="allauth.account",
            action=LOGIN_FAILED_ANYWHERE,
            key=self._login_key(request, **credentials),
        )


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """WeChat login (chamber.wechat): never creates an account, and links a WeChat identity
    to one only after its person logs in by a code texted to the mobile on record."""

    def is_open_for_signup(self, request, sociallogin):
        return False

    def list_apps(self, request, provider=None, client_id=None):
        """Of the WeChat apps, the one for this browser: the Official Account's inside
        WeChat, the Open Platform website app's (QR code) elsewhere."""
        apps = super().list_apps(request, provider=provider, client_id=client_id)
        if request is None or client_id is not None:
            return apps
        kind = wechat.browser_kind(request)
        return [
            app
            for app in apps
            if app.provider != wechat.PROVIDER or app.settings.get("browser", kind) == kind
        ]

    def pre_social_login(self, request, sociallogin):
        """A WeChat no account has yet waits for its person's SMS-code login, unless a person
        already logged in links it to their own account (allauth's connect, /accounts/3rdparty/)."""
        if sociallogin.is_existing:
            return
        if sociallogin.state.get("process") == "connect" and request.user.is_authenticated:
            return
        raise ImmediateHttpResponse(wechat.hold_for_sms_proof(request, sociallogin))
