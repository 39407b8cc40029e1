"""The e-mails the visit rule sends: to whom, and how a message is rendered and linked."""

import logging

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

from chamber.models import SECRETARIAT_GROUP
from members.models import Person

from ..models import (
    Problem,
)

logger = logging.getLogger(__name__)

Status = Problem.Status


def email_of(person: Person | None) -> str:
    if person is None:
        return ""
    user = getattr(person, "user", None)
    return (getattr(user, "email", "") or person.email or "").strip()


def secretariat_emails() -> list[str]:
    group = Group.objects.filter(name=SECRETARIAT_GROUP).first()
    if group is None:
        return []
    return sorted(
        {email for email in group.user_set.filter(is_active=True).values_list("email", flat=True)}
        - {""}
    )


def send(template: str, recipients: list[str], context: dict) -> None:
    """Send one email in the chamber's language; a mail server that fails is logged, not fatal:
    the ledger already holds what the email announces."""
    recipients = [address for address in recipients if address]
    if not recipients:
        return
    with translation.override(settings.LANGUAGE_CODE):
        context = {"chamber_name": settings.CHAMBER_NAME, **context}
        subject = render_to_string(f"activities/visits/email/{template}_subject.txt", context)
        body = render_to_string(f"activities/visits/email/{template}_message.txt", context)
    subject = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split())
    try:
        EmailMessage(subject, body, to=recipients).send()
    except OSError:
        logger.exception("could not email %s about %s", recipients, template)


def link(path: str, request=None) -> str:
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.CHAMBER_SITE_URL.rstrip("/") + path
