"""Guessing passwords: the login page and the admin's login refuse further tries after repeated
failures, even the right password, and the count lives in the cache every worker shares.

The limits are ACCOUNT_RATE_LIMITS: 5 failures per login from one address in 5 minutes, 10 per
address a minute, and 100 an hour per login from all addresses together. These tests use the
database cache (what runs without REDIS_URL).
"""

import hashlib

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

LOGIN = reverse("account_login")
ADMIN = reverse("admin:index")
WRONG = "您提供的用户名或密码不正确。"
LOCKED = "登录失败次数过多，请稍后重试。"
DATABASE_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "chamber_cache",
    }
}


@pytest.fixture(autouse=True)
def database_cache(settings, db):
    """The shared database cache, empty, whatever cache the environment configures."""
    settings.CACHES = DATABASE_CACHE
    call_command("createcachetable", verbosity=0)
    caches["default"].clear()
    yield
    caches["default"].clear()


def log_in(client, login, password, **extra):
    return client.post(LOGIN, {"login": login, "password": password}, **extra)


def admin_log_in(client, login, password):
    """The admin's login as a person meets it: /admin/ sends them to the login form."""
    to_login = client.get(reverse("admin:login"), {"next": ADMIN})
    assert to_login.status_code == 302
    form_url = to_login["Location"]
    assert form_url.startswith(LOGIN)
    return client.post(form_url, {"login": login, "password": password, "next": ADMIN})


def page(response) -> str:
    return response.content.decode()


def cache_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM chamber_cache WHERE cache_key LIKE %s", ["%allauth%"])
        return cursor.fetchone()[0]


def login_history_key(login: str, address: str = "127.0.0.1") -> str:
    """The cache key for the limit per login and address: the site's host, the login and the
    client's address, hashed (chamber.adapters)."""
    digest = hashlib.sha256(f"testserver:{login}:{address}".encode()).hexdigest()
    return f"allauth:rl:allauth.account:login_failed:5/300.0/key:{digest}"


def test_five_wrong_passwords_lock_the_login_even_for_the_right_password(client, member):
    for _ in range(5):
        response = log_in(client, "member", "wrong-password")
        assert response.status_code == 200
        assert WRONG in page(response)
    response = log_in(client, "member", PASSWORD)
    assert response.status_code == 200
    assert LOCKED in page(response)
    assert "_auth_user_id" not in client.session
    # Another browser (another cookie) from the same address is refused too.
    other = Client()
    response = log_in(other, "member", PASSWORD)
    assert LOCKED in page(response)
    assert "_auth_user_id" not in other.session


def test_a_stranger_elsewhere_cannot_lock_the_president_out(client, president):
    stranger = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(8):
        log_in(stranger, "president", "wrong-password")
    assert LOCKED in page(log_in(stranger, "president", PASSWORD))

    response = log_in(client, "president", PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(president.pk)


def test_guessing_spread_over_many_addresses_locks_the_login_after_100_failures(client, member):
    for n in range(100):
        address = f"198.51.100.{n // 4 + 1}"  # four tries from each of 25 addresses
        assert WRONG in page(log_in(client, "member", "wrong-password", REMOTE_ADDR=address))

    response = log_in(client, "member", PASSWORD, REMOTE_ADDR="192.0.2.200")

    assert LOCKED in page(response)
    assert "_auth_user_id" not in client.session


def test_four_wrong_passwords_still_let_the_right_one_in(client, member):
    for _ in range(4):
        log_in(client, "member", "wrong-password")
    response = log_in(client, "member", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(member.pk)


def test_the_admin_login_is_locked_after_five_failures(client, secretary):
    for _ in range(5):
        response = admin_log_in(client, "secretary", "wrong-password")
        assert response.status_code == 200
        assert WRONG in page(response)
    response = admin_log_in(client, "secretary", PASSWORD)
    assert response.status_code == 200
    assert LOCKED in page(response)
    response = client.get(ADMIN)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_the_admins_own_login_form_logs_nobody_in(client, secretary):
    """Posting to /admin/login/ directly would skip allauth's limits: it only redirects."""
    response = client.post(
        reverse("admin:login"), {"username": "secretary", "password": PASSWORD, "next": ADMIN}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert "_auth_user_id" not in client.session


def test_ten_failures_from_one_address_lock_every_account_from_it(client, member):
    for n in range(10):
        UserFactory(username=f"guess{n}")
        assert WRONG in page(log_in(client, f"guess{n}", "wrong-password"))
    response = log_in(client, "member", PASSWORD)
    assert LOCKED in page(response)
    assert "_auth_user_id" not in client.session
    # From another address the member logs in as usual.
    response = log_in(client, "member", PASSWORD, REMOTE_ADDR="192.0.2.7")
    assert response.status_code == 302


def test_the_count_is_in_the_shared_cache_table_not_in_this_process(client, member):
    for _ in range(5):
        log_in(client, "member", "wrong-password")
    assert cache_rows() >= 3  # one history per limit: address, login and address, login
    # A fresh cache connection, as another worker process would open, sees the same history.
    other_worker = caches.create_connection("default")
    assert len(other_worker.get(login_history_key("member"))) == 5
    # And it is the only copy: emptying the table (nothing in this process) lifts the lock.
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM chamber_cache")
    response = log_in(client, "member", PASSWORD)
    assert response.status_code == 302
