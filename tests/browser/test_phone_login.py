"""A member logs in on a 375 px phone with the code texted to the mobile on their record
(the console SMS backend's line, read from the server's output), opens their page and reads
the message waiting in their inbox."""

import re
import uuid
from pathlib import Path

import pytest
from django.core.cache import cache

from tests.factories import PersonFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SCREENS = Path(__file__).resolve().parents[2] / "artifacts" / "screens" / "auth"


@pytest.fixture
def shots():
    SCREENS.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        page.screenshot(path=str(SCREENS / f"{name}.png"), full_page=True)

    return take


@pytest.fixture(autouse=True)
def console_sms(settings):
    settings.SMS_BACKEND = "core.sms.console.ConsoleBackend"
    settings.SMS_SEND_FLOOR_SECONDS = 0
    cache.clear()


def test_member_logs_in_by_sms_code_on_a_phone(phone, live_server, capsys, shots):
    from core.notifications.models import Message

    user = UserFactory(username="wangzong", person=PersonFactory(name="王总", mobile="13812345678"))
    Message.objects.create(
        user=user,
        recipient="王总",
        kind="notice_published",
        subject="关于召开季度例会的通知",
        body="请准时参加。",
        batch=uuid.uuid4(),
    )
    phone.goto(f"{live_server.url}/accounts/login/")
    shots(phone, "login-375")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375

    phone.fill("#id_phone", "13812345678")
    phone.get_by_role("button", name="获取验证码").click()
    phone.wait_for_url("**/accounts/login/code/confirm/")
    shots(phone, "code-375")
    line = re.search(r"\[SMS\] 13812345678 您的登录验证码为(\d{6})", capsys.readouterr().out)
    phone.fill("#id_code", line.group(1))
    phone.get_by_role("button", name="登录", exact=True).click()
    phone.wait_for_url(f"{live_server.url}/")
    phone.goto(f"{live_server.url}/me/")
    main = phone.locator("main").inner_text()
    assert "王总" in main and "13812345678" in main and "我的登录方式" in main
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    shots(phone, "me-after-sms-login-375")

    # The header shows the unread message; the inbox opens it.
    assert phone.locator(".inbox-count").inner_text() == "1"
    phone.locator(".inbox-link").click()
    phone.wait_for_load_state()
    assert "关于召开季度例会的通知" in phone.locator("main").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    shots(phone, "inbox-after-sms-login-375")


def test_login_page_on_a_desktop(page, live_server, shots, settings):
    page.goto(f"{live_server.url}/accounts/login/")
    shots(page, "login-1280")
    assert page.locator("#id_phone").is_visible()
    assert page.locator("#id_login").is_visible()
    assert page.get_by_role("button", name="微信登录").count() == 0
    settings.SOCIALACCOUNT_PROVIDERS = {
        "weixin": {"APPS": [{"client_id": "wx1", "secret": "s", "settings": {"browser": "pc"}}]}
    }
    page.reload()
    assert page.get_by_role("button", name="微信登录").is_visible()
    shots(page, "login-wechat-1280")


def test_first_wechat_login_in_wechats_browser_links_after_the_sms_code(
    chromium, live_server, capsys, shots, settings, monkeypatch
):
    """Inside WeChat (its user agent), the Official Account's authorisation page is stood in
    for by a route that sends the browser back with a code; the token and profile come from
    the local WeChat stand-in."""
    from allauth.socialaccount.models import SocialAccount

    from chamber.adapters import SocialAccountAdapter
    from tests.chamber.test_wechat_login import WECHAT_UA, ToStandIn, WeChatStandIn

    UserFactory(username="wangzong", person=PersonFactory(name="王总", mobile="13812345678"))
    settings.SOCIALACCOUNT_PROVIDERS = {
        "weixin": {
            "APPS": [
                {
                    "client_id": "wxmp000002",
                    "secret": "mp-secret",
                    "settings": {
                        "browser": "wechat",
                        "scope": ["snsapi_userinfo"],
                        "authorize_url": "https://open.weixin.qq.com/connect/oauth2/authorize",
                    },
                }
            ]
        }
    }
    context = chromium.new_context(
        locale="zh-CN", viewport={"width": 375, "height": 812}, user_agent=WECHAT_UA
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    with WeChatStandIn() as wechat:
        original = SocialAccountAdapter.get_requests_session

        def session(self):
            sess = original(self)
            sess.mount("https://api.weixin.qq.com/", ToStandIn(wechat.url))
            return sess

        monkeypatch.setattr(SocialAccountAdapter, "get_requests_session", session)

        def authorise(route):
            from urllib.parse import parse_qs, urlsplit

            query = {k: v[0] for k, v in parse_qs(urlsplit(route.request.url).query).items()}
            code = wechat.authorise(query["appid"], "openid-wang")
            back = f"{query['redirect_uri']}?code={code}&state={query['state']}"
            route.fulfill(status=302, headers={"Location": back})

        page.route("https://open.weixin.qq.com/**", authorise)
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_role("button", name="微信登录").click()
        page.wait_for_url(re.compile(r".*/accounts/wechat/link/"))
        shots(page, "wechat-link-375")
        assert "王总" in page.locator("main").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        page.fill("#id_phone", "13812345678")
        page.get_by_role("button", name="获取验证码").click()
        page.wait_for_url("**/accounts/login/code/confirm/")
        line = re.search(r"您的登录验证码为(\d{6})", capsys.readouterr().out)
        page.fill("#id_code", line.group(1))
        page.get_by_role("button", name="登录", exact=True).click()
        page.wait_for_url(f"{live_server.url}/")
        assert "微信已绑定" in page.locator("main").inner_text()
        shots(page, "wechat-linked-home-375")
    context.close()
    assert SocialAccount.objects.get().uid == "openid-wang"
