"""Logging in with the mobile on one's record and a code sent by SMS (allauth's login by
code, the code read from the console SMS backend's output)."""

import re
import time

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.factories import PersonFactory, UserFactory

REQUEST = reverse("account_request_login_code")
CONFIRM = reverse("account_confirm_login_code")


@pytest.fixture(autouse=True)
def console_sms(settings, db):
    settings.SMS_BACKEND = "core.sms.console.ConsoleBackend"
    settings.SMS_SEND_FLOOR_SECONDS = 0
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def boss(db):
    person = PersonFactory(name="副会长乙", mobile="13812345678")
    return UserFactory(username="boss", person=person)


def ask_code(client, phone="13812345678"):
    return client.post(REQUEST, {"phone": phone})


def sent_code(capsys, mobile="13812345678") -> str:
    out = capsys.readouterr().out
    codes = re.findall(rf"^\[SMS\] {mobile} 您的登录验证码为(\d{{6}})，5分钟内有效", out, re.M)
    assert len(codes) == 1, out
    return codes[0]


def logged_in_user(client):
    return client.get(reverse("chamber:home")).context["user"]


def test_login_page_offers_the_sms_code_in_chinese(client):
    page = client.get(reverse("account_login")).content.decode()
    assert "用户名、邮箱或手机号" in page
    assert "用短信验证码登录" in page or "短信验证码" in page
    assert f'action="{REQUEST}"' in page


def test_a_member_logs_in_with_the_code_texted_to_the_mobile_on_record(client, boss, capsys):
    response = ask_code(client, "+86 138-1234-5678")
    assert response.status_code == 302
    assert response["Location"] == CONFIRM
    page = client.get(CONFIRM).content.decode()
    assert "13812345678" in page
    code = sent_code(capsys)
    response = client.post(CONFIRM, {"code": code, "action": "verify"})
    assert response.status_code == 302
    assert response["Location"] == reverse("chamber:home")
    assert logged_in_user(client) == boss


def test_a_wrong_code_is_refused_and_three_wrong_codes_end_the_attempt(client, boss, capsys):
    ask_code(client)
    code = sent_code(capsys)
    wrong = "000000" if code != "000000" else "111111"
    response = client.post(CONFIRM, {"code": wrong, "action": "verify"})
    assert response.status_code == 200
    assert "验证码" in response.content.decode()
    client.post(CONFIRM, {"code": wrong, "action": "verify"})
    response = client.post(CONFIRM, {"code": wrong, "action": "verify"}, follow=True)
    assert response.redirect_chain[-1][0] == REQUEST
    # Even the right code is refused now: the attempt is over.
    response = client.post(CONFIRM, {"code": code, "action": "verify"})
    assert response.status_code == 302 and response["Location"] == REQUEST
    assert "_auth_user_id" not in client.session


def test_an_expired_code_is_refused(client, boss, capsys, settings, monkeypatch):
    ask_code(client)
    code = sent_code(capsys)
    later = time.time() + settings.ACCOUNT_LOGIN_BY_CODE_TIMEOUT + 1
    monkeypatch.setattr(time, "time", lambda: later)
    response = client.post(CONFIRM, {"code": code, "action": "verify"})
    assert response.status_code == 302 and response["Location"] == REQUEST
    assert "_auth_user_id" not in client.session


def test_a_used_code_does_not_log_in_again(client, boss, capsys):
    ask_code(client)
    code = sent_code(capsys)
    client.post(CONFIRM, {"code": code, "action": "verify"})
    assert logged_in_user(client) == boss
    client.post(reverse("account_logout"))
    response = client.post(CONFIRM, {"code": code, "action": "verify"})
    assert response.status_code == 302 and response["Location"] == REQUEST
    assert "_auth_user_id" not in client.session


RESTART = reverse("login_restart")


def test_while_a_code_is_awaited_the_login_pages_lead_to_it_until_one_starts_over(client, boss):
    ask_code(client)
    assert client.get(reverse("account_login"))["Location"] == CONFIRM
    response = client.post(RESTART, {"to": "password"})
    assert response["Location"] == reverse("account_login")
    assert client.get(reverse("account_login")).status_code == 200
    ask_code(client, "13912345678")
    assert client.post(RESTART, {"to": "code"})["Location"] == REQUEST
    assert client.get(REQUEST).status_code == 200


def test_a_number_is_texted_at_most_once_a_minute(client, boss, capsys):
    ask_code(client)
    sent_code(capsys)
    client.post(RESTART, {"to": "code"})
    response = ask_code(client)
    assert response.status_code == 200
    assert "请稍等一分钟再试" in response.content.decode()
    assert capsys.readouterr().out == ""


def test_one_address_cannot_ask_codes_for_many_numbers(client, capsys):
    for n in range(20):
        assert ask_code(client, f"1370000{n:04d}").status_code == 302
        client.post(RESTART)
    response = ask_code(client, "13700009999")
    assert response.status_code == 200
    assert "请稍等一分钟再试" in response.content.decode()


@pytest.mark.parametrize("phone", ["", "12345", "abcdefghijk", "1" * 500, "23812345678"])
def test_a_number_that_is_not_a_mobile_gets_a_chinese_message(client, phone, capsys):
    response = ask_code(client, phone)
    assert response.status_code == 200
    page = response.content.decode()
    assert "请输入" in page
    assert capsys.readouterr().out == ""


def test_an_unknown_number_gets_the_same_answer_and_no_text(client, boss, capsys):
    known = ask_code(client, "13812345678")
    sent_code(capsys)
    known_page = client.get(CONFIRM).content.decode()

    other = client.__class__()
    unknown = ask_code(other, "13912345678")
    assert capsys.readouterr().out == ""
    unknown_page = other.get(CONFIRM).content.decode()

    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])

    def same(page, number):
        return re.sub(r'value="[^"]{40,}"', "", page).replace(number, "N")

    assert same(known_page, "13812345678") == same(unknown_page, "13912345678")
    # No code can log in to a number not on record.
    response = other.post(CONFIRM, {"code": "123456", "action": "verify"})
    assert response.status_code == 200
    assert "_auth_user_id" not in other.session


def test_known_and_unknown_numbers_take_the_same_time(client, boss, settings, capsys):
    settings.SMS_SEND_FLOOR_SECONDS = 0.3
    started = time.monotonic()
    ask_code(client, "13812345678")
    known = time.monotonic() - started
    started = time.monotonic()
    ask_code(client.__class__(), "13912345678")
    unknown = time.monotonic() - started
    assert known >= 0.3 and unknown >= 0.3
    assert abs(known - unknown) < 0.2


def test_an_inactive_account_or_a_shared_number_does_not_log_in(client, boss, capsys):
    other = UserFactory(username="twin", person=PersonFactory(mobile="13700000001"))
    other.is_active = False
    other.save()
    ask_code(client, "13700000001")
    assert capsys.readouterr().out == ""


def test_a_password_login_with_the_mobile_works_too(client, boss):
    from tests.factories import PASSWORD

    response = client.post(reverse("account_login"), {"login": "13812345678", "password": PASSWORD})
    assert response.status_code == 302
    assert logged_in_user(client) == boss


def test_sign_up_stays_closed(client):
    response = client.get(reverse("account_signup"))
    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 302)
    assert "注册" not in response.content.decode() or "关闭" in response.content.decode()


def test_a_mobile_belongs_to_one_account(boss):
    from django.core.exceptions import ValidationError

    other = UserFactory(username="other", person=PersonFactory(mobile="13700000002"))
    other.person.mobile = "13812345678"
    assert other.person.mobile_taken()
    # A person without an account may share it (a company's second contact, say).
    assert not PersonFactory(mobile="13812345678").mobile_taken()
    # Linking an account to a person whose mobile another account has is refused too.
    shared = PersonFactory(mobile="13812345678")
    account = UserFactory.build(username="third", person=shared)
    with pytest.raises(ValidationError):
        account.clean()


def test_the_secretariat_is_told_in_the_admin_when_a_mobile_is_taken(client, secretary, boss):
    other = PersonFactory(name="会员丙", mobile="13700000003")
    UserFactory(username="other", person=other)
    client.force_login(secretary)
    url = reverse("admin:members_person_change", args=[other.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if name in form.fields and value is not None
    }
    data.update(name="会员丙", mobile="13812345678")
    data = {key: (value.pk if hasattr(value, "pk") else value) for key, value in data.items()}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "一个手机号只能登录一个账号" in response.content.decode()
    other.refresh_from_db()
    assert other.mobile == "13700000003"
