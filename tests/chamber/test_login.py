"""Logging in: by username or email, in Chinese, and rate-limited in the shared cache."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.urls import reverse

from tests.factories import PASSWORD


@pytest.fixture(autouse=True)
def empty_cache(db):
    cache.clear()
    yield
    cache.clear()


def log_in(client, login, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": login, "password": password})


@pytest.mark.parametrize("login", ["member", "MEMBER", "member@example.com", "Member@Example.com"])
def test_people_log_in_with_username_or_email(client, member, login):
    response = log_in(client, login)
    assert response.status_code == 302
    assert response["Location"] == reverse("chamber:home")
    assert client.get(reverse("chamber:home")).context["user"] == member


def test_a_wrong_password_gets_a_message_in_chinese(client, member):
    response = log_in(client, "member", "wrong-password")
    assert response.status_code == 200
    assert "您提供的用户名或密码不正确。" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logging_in_starts_a_fresh_session(client, member):
    client.get(reverse("account_login"))
    client.session.save()
    before = client.session.session_key
    log_in(client, "member")
    assert client.session.session_key != before


def test_repeated_failures_lock_the_account_for_a_while(client, member):
    for _ in range(5):
        assert log_in(client, "member", "wrong-password").status_code == 200
    # Even the right password is refused now, with a message saying to wait.
    response = log_in(client, "member")
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200
    assert "登录失败次数过多，请稍后重试。" in response.content.decode()


def test_failed_logins_are_counted_in_the_database_cache_every_worker_shares(client, member):
    log_in(client, "member", "wrong-password")
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM chamber_cache")
        (rows,) = cursor.fetchone()
    assert rows > 0


def test_the_admin_login_goes_through_allauth(client, db):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_deactivated_account_is_logged_out_on_its_next_request(client, member):
    client.force_login(member)
    assert client.get(reverse("chamber:home")).status_code == 200
    member.is_active = False
    member.save(update_fields=["is_active"])
    response = client.get(reverse("chamber:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
