"""A member logs in on a 375 px phone with the code texted to the mobile on their record
(the console SMS backend's line, read from the server's output), and opens their page."""

import re
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
    UserFactory(username="wangzong", person=PersonFactory(name="王总", mobile="13812345678"))
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
