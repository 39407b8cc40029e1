"""The session engine (chamber.sessions): Django's database sessions, read with a plain
statement."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from chamber.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_a_saved_session_is_read_back():
    store = SessionStore()
    store["answer"] = "四好商会"
    store.save()
    again = SessionStore(store.session_key)
    assert again["answer"] == "四好商会"


def test_an_expired_unknown_or_malformed_session_reads_empty_and_gets_a_new_key():
    store = SessionStore()
    store["answer"] = 1
    store.save()
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    for key in (store.session_key, "x" * 32, "short", None):
        again = SessionStore(key)
        assert dict(again.items()) == {}
        assert again.session_key is None


def test_logging_in_and_out_through_the_pages(client, member):
    client.force_login(member)
    home = reverse("chamber:home")
    assert client.get(home).status_code == 200
    client.post(reverse("account_logout"))
    response = client.get(home)
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
