"""WeChat login through allauth's weixin provider, against a local stand-in for WeChat's
``sns/oauth2/access_token`` and ``sns/userinfo`` endpoints (requests' session routes
api.weixin.qq.com to it): a WeChat identity logs in only once linked, and it is linked only
after its person logs in with the code texted to the mobile on record. No account is created."""

import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from django.core.cache import cache
from django.urls import reverse

from chamber.adapters import SocialAccountAdapter
from chamber.models import User
from tests.core.sms_standins import StandIn
from tests.factories import PASSWORD, PersonFactory, UserFactory

WECHAT_UA = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.50(0x1800322c) NetType/WIFI"
)
APPS = {"wxopen0001": "open-secret", "wxmp000002": "mp-secret"}


class WeChatStandIn(StandIn):
    """api.weixin.qq.com: a code (given out by ``authorise``) for a token, a token for the
    profile, as WeChat documents them (GET, errcode/errmsg on failure)."""

    content_type = "text/plain"  # what WeChat answers with, JSON inside

    def __init__(self):
        super().__init__()
        self.codes = {}  # code -> (appid, openid, nickname)
        self.tokens = {}  # access token -> (openid, nickname)

    def authorise(self, appid, openid, nickname="王总"):
        code = f"code-{len(self.codes)}"
        self.codes[code] = (appid, openid, nickname)
        return code

    def handle(self, method, path, headers, body):
        url = urlsplit(path)
        query = {key: values[0] for key, values in parse_qs(url.query).items()}
        self.requests.append((method, url.path, query))
        if method != "GET":
            return 200, {"errcode": 43001, "errmsg": "require GET method"}
        if url.path == "/sns/oauth2/access_token":
            appid, code = query.get("appid"), query.get("code")
            if APPS.get(appid) != query.get("secret"):
                return 200, {"errcode": 40125, "errmsg": "invalid appsecret"}
            if query.get("grant_type") != "authorization_code" or code not in self.codes:
                return 200, {"errcode": 40029, "errmsg": "invalid code"}
            code_appid, openid, nickname = self.codes.pop(code)  # a code is used once
            if code_appid != appid:
                return 200, {"errcode": 40029, "errmsg": "invalid code"}
            token = f"token-{openid}"
            self.tokens[token] = (openid, nickname)
            return 200, {
                "access_token": token,
                "expires_in": 7200,
                "refresh_token": "r",
                "openid": openid,
                "scope": "snsapi_login",
                "unionid": f"u-{openid}",
            }
        if url.path == "/sns/userinfo":
            found = self.tokens.get(query.get("access_token"))
            if not found or found[0] != query.get("openid"):
                return 200, {"errcode": 40003, "errmsg": "invalid openid"}
            openid, nickname = found
            return 200, {
                "openid": openid,
                "nickname": nickname,
                "sex": 1,
                "province": "上海",
                "city": "青浦",
                "country": "中国",
                "headimgurl": "",
                "privilege": [],
                "unionid": f"u-{openid}",
            }
        return 404, {"errcode": -1, "errmsg": "not found"}


class ToStandIn(requests.adapters.HTTPAdapter):
    def __init__(self, base):
        super().__init__()
        self.base = base

    def send(self, request, **kwargs):
        request.url = request.url.replace("https://api.weixin.qq.com", self.base, 1)
        return super().send(request, **kwargs)


@pytest.fixture
def wechat(settings, monkeypatch, db):
    settings.SMS_BACKEND = "core.sms.console.ConsoleBackend"
    settings.SMS_SEND_FLOOR_SECONDS = 0
    settings.SOCIALACCOUNT_PROVIDERS = {
        "weixin": {
            "provider_class": "chamber.wechat.WeixinProvider",
            "APPS": [
                {
                    "client_id": "wxopen0001",
                    "secret": "open-secret",
                    "settings": {
                        "browser": "pc",
                        "scope": ["snsapi_login"],
                        "authorize_url": "https://open.weixin.qq.com/connect/qrconnect",
                    },
                },
                {
                    "client_id": "wxmp000002",
                    "secret": "mp-secret",
                    "settings": {
                        "browser": "wechat",
                        "scope": ["snsapi_userinfo"],
                        "authorize_url": "https://open.weixin.qq.com/connect/oauth2/authorize",
                    },
                },
            ],
        }
    }
    cache.clear()
    with WeChatStandIn() as stand_in:
        original = SocialAccountAdapter.get_requests_session

        def session(self):
            sess = original(self)
            sess.mount("https://api.weixin.qq.com/", ToStandIn(stand_in.url))
            return sess

        monkeypatch.setattr(SocialAccountAdapter, "get_requests_session", session)
        yield stand_in
    cache.clear()


@pytest.fixture
def boss(db):
    return UserFactory(username="boss", person=PersonFactory(name="王总", mobile="13812345678"))


def start(client, **headers):
    """Press the WeChat button; return WeChat's authorisation URL and its query."""
    response = client.post(reverse("weixin_login"), {"process": "login"}, **headers)
    assert response.status_code == 302
    location = response["Location"]
    return location, {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def come_back(client, wechat, openid, **headers):
    """WeChat sends the person back with a code for ``openid``."""
    _, query = start(client, **headers)
    code = wechat.authorise(query["appid"], openid)
    return client.get(
        reverse("weixin_callback"), {"code": code, "state": query["state"]}, **headers
    )


def sms_code(capsys, mobile="13812345678"):
    out = capsys.readouterr().out
    return re.search(rf"\[SMS\] {mobile} 您的登录验证码为(\d{{6}})", out).group(1)


def test_on_a_pc_wechat_shows_its_qr_code_for_the_open_platform_app(client, wechat):
    location, query = start(client)
    assert location.startswith("https://open.weixin.qq.com/connect/qrconnect?")
    assert location.endswith("#wechat_redirect")
    assert query["appid"] == "wxopen0001"
    assert query["scope"] == "snsapi_login"
    assert query["redirect_uri"].endswith(reverse("weixin_callback"))


def test_in_wechats_browser_the_official_account_authorises(client, wechat):
    location, query = start(client, HTTP_USER_AGENT=WECHAT_UA)
    assert location.startswith("https://open.weixin.qq.com/connect/oauth2/authorize?")
    assert query["appid"] == "wxmp000002"
    assert query["scope"] == "snsapi_userinfo"


def test_first_wechat_login_links_only_after_the_sms_code(client, wechat, boss, capsys):
    users = User.objects.count()
    response = come_back(client, wechat, "openid-boss")
    assert response.status_code == 302
    assert response["Location"] == reverse("wechat_link")
    assert "_auth_user_id" not in client.session
    assert not SocialAccount.objects.exists()
    page = client.get(reverse("wechat_link")).content.decode()
    assert "王总" in page and "绑定微信" in page
    # The token and profile were fetched from "WeChat" by GET with the app's secret.
    assert [(m, p) for m, p, _ in wechat.requests] == [
        ("GET", "/sns/oauth2/access_token"),
        ("GET", "/sns/userinfo"),
    ]

    client.post(reverse("account_request_login_code"), {"phone": "13812345678"})
    response = client.post(
        reverse("account_confirm_login_code"), {"code": sms_code(capsys), "action": "verify"}
    )
    assert response.status_code == 302
    account = SocialAccount.objects.get()
    assert (account.user, account.provider, account.uid) == (boss, "weixin", "openid-boss")
    assert User.objects.count() == users

    # From then on WeChat logs in directly, without a code.
    other = client.__class__()
    response = come_back(other, wechat, "openid-boss")
    assert response.status_code == 302
    assert response["Location"] == reverse("chamber:home")
    assert other.get(reverse("chamber:home")).context["user"] == boss


def test_a_password_login_does_not_link_the_waiting_wechat(client, wechat, boss):
    come_back(client, wechat, "openid-boss")
    client.post(reverse("account_login"), {"login": "boss", "password": PASSWORD})
    assert client.get(reverse("chamber:home")).context["user"] == boss
    assert not SocialAccount.objects.exists()


def test_an_unknown_number_links_nothing_and_creates_nobody(client, wechat, boss, capsys):
    users = User.objects.count()
    come_back(client, wechat, "openid-stranger")
    client.post(reverse("account_request_login_code"), {"phone": "13912345678"})
    assert capsys.readouterr().out == ""
    response = client.post(
        reverse("account_confirm_login_code"), {"code": "123456", "action": "verify"}
    )
    assert response.status_code == 200
    assert not SocialAccount.objects.exists()
    assert User.objects.count() == users
    assert "_auth_user_id" not in client.session


def test_giving_up_the_link_forgets_the_wechat_identity(client, wechat, boss, capsys):
    come_back(client, wechat, "openid-boss")
    response = client.post(reverse("wechat_link_cancel"))
    assert response["Location"] == reverse("account_login")
    assert client.get(reverse("wechat_link"))["Location"] == reverse("account_login")


def test_a_code_wechat_refuses_shows_a_chinese_error_and_logs_nobody_in(client, wechat):
    _, query = start(client)
    response = client.get(reverse("weixin_callback"), {"code": "forged", "state": query["state"]})
    assert response.status_code == 401
    assert "微信登录未成功" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert not SocialAccount.objects.exists()


def test_login_page_has_the_wechat_button_only_when_set_up(client, wechat, settings):
    assert "微信登录" in client.get(reverse("account_login")).content.decode()
    settings.SOCIALACCOUNT_PROVIDERS = {
        "weixin": {"provider_class": "chamber.wechat.WeixinProvider", "APPS": []}
    }
    assert "微信登录" not in client.get(reverse("account_login")).content.decode()
    for url in (reverse("weixin_login"), reverse("weixin_callback")):
        response = client.get(url)
        assert response.status_code == 404
        assert "暂未开通微信登录" in response.content.decode()


def test_in_wechat_without_an_official_account_there_is_no_button(client, wechat, settings):
    settings.SOCIALACCOUNT_PROVIDERS["weixin"]["APPS"] = settings.SOCIALACCOUNT_PROVIDERS["weixin"][
        "APPS"
    ][:1]
    page = client.get(reverse("account_login"), HTTP_USER_AGENT=WECHAT_UA).content.decode()
    assert "微信登录" not in page


def test_sign_up_through_wechat_stays_closed(client, wechat):
    response = client.get(reverse("socialaccount_signup"))
    assert response.status_code in (302, 404) or "注册" not in response.content.decode()
    assert json.dumps(list(User.objects.values_list("username", flat=True)))


def test_a_logged_in_person_links_wechat_to_their_own_account(client, wechat, boss):
    client.force_login(boss)
    response = client.post(reverse("weixin_login"), {"process": "connect"})
    query = {k: v[0] for k, v in parse_qs(urlsplit(response["Location"]).query).items()}
    code = wechat.authorise(query["appid"], "openid-boss")
    client.get(reverse("weixin_callback"), {"code": code, "state": query["state"]})
    assert SocialAccount.objects.get().user == boss
    page = client.get(reverse("socialaccount_connections"))
    assert "以下微信可以登录您的账号" in page.content.decode()
    account = SocialAccount.objects.get()
    client.post(reverse("socialaccount_connections"), {"account": account.pk})
    assert not SocialAccount.objects.exists()
