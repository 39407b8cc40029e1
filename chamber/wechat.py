"""Logging in with WeChat: allauth's ``weixin`` provider, with two WeChat apps.

- On a PC, the Open Platform website app (网站应用): WeChat shows a QR code to scan
  (``connect/qrconnect``, scope ``snsapi_login``).
- Inside WeChat's own browser, the Official Account (公众号) web authorisation
  (``connect/oauth2/authorize``, scope ``snsapi_userinfo``): no QR code, WeChat asks the
  person to agree.

allauth's provider reads one AUTHORIZE_URL for all its apps, so the provider here (put in
its place by SOCIALACCOUNT_PROVIDERS["weixin"]["provider_class"]) takes it from the app picked
for the browser (chamber.adapters.SocialAccountAdapter.list_apps); the rest (the code for a
token, the token for the profile, the openid as the account's uid) is allauth's, except that
the token is asked for by GET, as WeChat documents. Both apps come from the environment
(settings "--- auth ---"); with neither, WeChat login is off: no button, its pages answer 404.

WeChat never creates an account. The first time a WeChat identity logs in, it is linked to an
account only once the person proves who they are by logging in with the code texted to the
mobile on their record (allauth's login by code): the identity waits in the session
(``PENDING_KEY``) and is connected when that login completes (``link_pending``).
"""

import time

from allauth.account.internal.flows.login import get_authentication_records
from allauth.socialaccount.models import SocialApp, SocialLogin
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from allauth.socialaccount.providers.weixin.client import WeixinOAuth2Client
from allauth.socialaccount.providers.weixin.provider import WeixinProvider as AllauthProvider
from allauth.socialaccount.providers.weixin.views import WeixinOAuth2Adapter
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

PROVIDER = "weixin"
PENDING_KEY = "chamber_wechat_pending"
# How long a WeChat identity waits in the session for the SMS proof.
PENDING_SECONDS = 15 * 60

QR_AUTHORIZE_URL = "https://open.weixin.qq.com/connect/qrconnect"
MP_AUTHORIZE_URL = "https://open.weixin.qq.com/connect/oauth2/authorize"


def in_wechat(request) -> bool:
    """Whether the page is open in WeChat's own browser (its user agent says MicroMessenger)."""
    return "micromessenger" in request.headers.get("User-Agent", "").lower()


def browser_kind(request) -> str:
    return "wechat" if in_wechat(request) else "pc"


def wechat_available(request) -> bool:
    """Whether a WeChat app is set up for this browser (the login page's button). The apps
    come from the environment (SOCIALACCOUNT_PROVIDERS), so no query: the login page needs
    none."""
    apps = settings.SOCIALACCOUNT_PROVIDERS.get(PROVIDER, {}).get("APPS", [])
    kind = browser_kind(request)
    return any(app.get("settings", {}).get("browser", kind) == kind for app in apps)


class WeixinClient(WeixinOAuth2Client):
    def get_redirect_url(self, authorization_url, scope, extra_params):
        # WeChat's authorisation pages want this fragment (its documentation, both flows).
        return super().get_redirect_url(authorization_url, scope, extra_params) + "#wechat_redirect"


class WeixinAdapter(WeixinOAuth2Adapter):
    """allauth's adapter, with the authorisation page of the app picked for this browser
    and the token fetched by GET, as WeChat documents ``sns/oauth2/access_token``."""

    client_class = WeixinClient
    access_token_method = "GET"  # nosec: an HTTP method, not a password

    @property
    def authorize_url(self):
        return self.get_provider().app.settings.get("authorize_url") or QR_AUTHORIZE_URL


class WeixinProvider(AllauthProvider):
    """allauth's provider with the adapter above. Its URLs stay allauth's weixin package's
    (chamber.urls puts the guarded views below first, at the same paths)."""

    package = "allauth.socialaccount.providers.weixin"
    oauth2_adapter_class = WeixinAdapter


def _not_set_up(request):
    return render(request, "socialaccount/wechat_off.html", status=404)


def _adapter_view(view_class):
    view = view_class.adapter_view(WeixinAdapter)

    @login_not_required
    def guarded(request, *args, **kwargs):
        if not wechat_available(request):
            return _not_set_up(request)
        return view(request, *args, **kwargs)

    return guarded


oauth2_login = _adapter_view(OAuth2LoginView)
oauth2_callback = _adapter_view(OAuth2CallbackView)


def hold_for_sms_proof(request, sociallogin: SocialLogin):
    """Keep a WeChat identity no account has yet until its person proves who they are."""
    request.session[PENDING_KEY] = {"at": time.time(), "login": sociallogin.serialize()}
    return redirect("wechat_link")


def pending(request) -> SocialLogin | None:
    data = request.session.get(PENDING_KEY)
    if not isinstance(data, dict) or time.time() - data.get("at", 0) > PENDING_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return None
    try:
        return SocialLogin.deserialize(data["login"])
    except (KeyError, ValueError, TypeError, SocialApp.DoesNotExist):
        request.session.pop(PENDING_KEY, None)
        return None


def link_pending(sender, request, user, **kwargs):
    """allauth's user_logged_in: connect the waiting WeChat identity to ``user`` if this login
    was by a code texted to the mobile on record, and nothing else has it yet."""
    if request is None or PENDING_KEY not in request.session:
        return
    records = get_authentication_records(request, user)
    if not records or records[-1].get("method") != "code" or not records[-1].get("phone"):
        return
    sociallogin = pending(request)
    request.session.pop(PENDING_KEY, None)
    if sociallogin is None:
        return
    sociallogin.user = None
    sociallogin.lookup()
    if sociallogin.is_existing:
        return
    sociallogin.connect(request, user)
    messages.success(request, _("Your WeChat is linked: next time, log in with WeChat."))


@login_not_required
def link(request):
    """The page a first WeChat login lands on: prove who you are by SMS to link it."""
    sociallogin = pending(request)
    if sociallogin is None:
        return redirect("account_login")
    return render(
        request,
        "socialaccount/wechat_link.html",
        {"nickname": sociallogin.account.extra_data.get("nickname", "")},
    )


@login_not_required
@require_POST
def cancel_link(request):
    request.session.pop(PENDING_KEY, None)
    return redirect("account_login")
