"""One rule for a person's address, and one way to render, send and link an email."""

import copy
import logging
import smtplib
from types import SimpleNamespace

import pytest
from django.core import mail as outbox
from django.core.mail.backends.base import BaseEmailBackend
from django.test import RequestFactory
from django.utils import translation

from core import mail
from tests.factories import PersonFactory, UserFactory

LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


class RefusingBackend(BaseEmailBackend):
    """A mail server that hangs up, as smtplib reports it."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


@pytest.fixture
def templates(settings, tmp_path):
    """A ``greeting`` email: its subject spread over lines, a translated word in each part."""
    (tmp_path / "greeting_subject.txt").write_text(
        "{% load i18n %}{% translate 'Save' %}\n  {{ name }}\n", encoding="utf-8"
    )
    (tmp_path / "greeting_message.txt").write_text(
        "{% load i18n %}{{ chamber_name }}：{% translate 'Cancel' %} {{ url }}\n", encoding="utf-8"
    )
    engines = copy.deepcopy(settings.TEMPLATES)
    engines[0]["DIRS"] = [tmp_path, *engines[0]["DIRS"]]
    settings.TEMPLATES = engines
    settings.EMAIL_BACKEND = LOCMEM
    settings.ACCOUNT_EMAIL_SUBJECT_PREFIX = "【商会】"
    settings.CHAMBER_NAME = "徐泾镇商会"


# --- The address --------------------------------------------------------------------------


def reloaded(person):
    """The person as a page would load them: the account read from the database."""
    return type(person).objects.get(pk=person.pk)


@pytest.mark.django_db
def test_the_roster_address_wins_over_the_accounts():
    person = PersonFactory(email="wang@roster.example")
    UserFactory(person=person, email="wang@account.example")
    assert mail.address_of(reloaded(person)) == "wang@roster.example"


@pytest.mark.django_db
def test_without_a_roster_address_the_accounts_is_used():
    person = PersonFactory(email="")
    UserFactory(person=person, email="wang@account.example")
    assert mail.address_of(reloaded(person)) == "wang@account.example"


@pytest.mark.django_db
def test_a_deactivated_accounts_address_is_not_used():
    person = PersonFactory(email="")
    UserFactory(person=person, email="wang@account.example", is_active=False)
    assert mail.address_of(reloaded(person)) == ""


@pytest.mark.django_db
def test_a_person_with_neither_address_has_none():
    assert mail.address_of(reloaded(PersonFactory(email=""))) == ""


def test_nobody_has_no_address_and_spaces_do_not_count():
    assert mail.address_of(None) == ""
    assert mail.address_of(SimpleNamespace(email="  li@roster.example ")) == "li@roster.example"
    blank = SimpleNamespace(
        email="  ", user=SimpleNamespace(email=" li@account.example ", is_active=True)
    )
    assert mail.address_of(blank) == "li@account.example"


# --- Sending ------------------------------------------------------------------------------


def test_send_renders_the_subject_and_body_in_chinese_whoever_sends_it(templates):
    with translation.override("en"):
        sent = mail.send("greeting", ["wang@example.com", ""], {"name": "王力", "url": "/x/"})
    assert sent is True
    (message,) = outbox.outbox
    assert message.to == ["wang@example.com"]
    assert message.subject == "【商会】保存 王力"
    assert message.body == "徐泾镇商会：取消 /x/\n"


def test_nothing_is_sent_to_nobody(templates):
    assert mail.send("greeting", ["", ""], {"name": "王力"}) is False
    assert outbox.outbox == []


def test_a_mail_server_that_fails_is_logged_and_nothing_raises(templates, settings, caplog):
    settings.EMAIL_BACKEND = "tests.core.test_mail.RefusingBackend"
    with caplog.at_level(logging.ERROR, logger="core.mail"):
        sent = mail.send("greeting", ["wang@example.com"], {"name": "王力", "url": "/x/"})
    assert sent is False
    (record,) = caplog.records
    assert "wang@example.com" in record.getMessage() and "greeting" in record.getMessage()
    assert record.exc_info[0] is smtplib.SMTPServerDisconnected


def test_a_message_built_but_not_sent_raises_when_the_server_fails(templates, settings):
    settings.EMAIL_BACKEND = "tests.core.test_mail.RefusingBackend"
    email = mail.message("greeting", ["wang@example.com"], {"name": "王力", "url": "/x/"})
    assert email.subject == "【商会】保存 王力"
    with pytest.raises(smtplib.SMTPException):
        email.send()


# --- Links --------------------------------------------------------------------------------


def test_a_link_is_on_the_requests_host_else_on_the_sites_address(settings):
    settings.CHAMBER_SITE_URL = "https://chamber.example/"
    request = RequestFactory().get("/", HTTP_HOST="testserver")
    assert mail.absolute_url("/events/3/", request) == "http://testserver/events/3/"
    assert mail.absolute_url("/events/3/") == "https://chamber.example/events/3/"
