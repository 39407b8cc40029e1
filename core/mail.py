"""The emails the chamber sends its people: to which address, what they say, where they link.

Every app's notifications go through here, so a person is reached at the same address
whichever app writes, every email reads in the chamber's language, and a mail server that
fails costs an email, never a page.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)


def address_of(person) -> str:
    """Where a person on the roster is emailed ("" if nowhere).

    The rule: the person's own address on the roster, else the address of the account linked
    to them if that account is active, else none. The roster wins because the secretariat
    keeps it (and invitations go to it); a deactivated account is someone the chamber no
    longer lets in, so its address is not used.

    ``person`` is duck-typed (``core`` imports no app): anything with ``email`` and, perhaps,
    ``user`` (an account with ``email`` and ``is_active``), such as ``members.Person``. None
    has no address.
    """
    if person is None:
        return ""
    own = (getattr(person, "email", "") or "").strip()
    if own:
        return own
    # A Person without an account raises RelatedObjectDoesNotExist, an AttributeError.
    account = getattr(person, "user", None)
    if account is None or not getattr(account, "is_active", True):
        return ""
    return (account.email or "").strip()


def render(prefix: str, context: dict) -> tuple[str, str]:
    """The subject (one line, after the site's prefix) and the body of ``<prefix>_subject.txt``
    and ``<prefix>_message.txt``, in the chamber's language whatever language the sender uses:
    the people reading them read Chinese. The templates also get ``chamber_name``."""
    with translation.override(settings.LANGUAGE_CODE):
        context = {"chamber_name": settings.CHAMBER_NAME, **context}
        subject = render_to_string(f"{prefix}_subject.txt", context)
        body = render_to_string(f"{prefix}_message.txt", context)
    return settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split()), body


def message(prefix: str, to: list[str], context: dict) -> EmailMessage:
    """The email ``render`` makes, not yet sent: for a sender that must know it failed (a
    reminder whose record is rolled back with it, a batch over one connection)."""
    subject, body = render(prefix, context)
    return EmailMessage(subject, body, to=to)


def send(prefix: str, to: list[str], context: dict) -> bool:
    """Email the addresses in ``to`` (blank ones skipped); return whether it was sent.

    A mail server that fails (smtplib's errors are OSErrors) is logged, not raised: what the
    email announces is already saved, and the page that saved it must not fail.
    """
    to = [address for address in to if address]
    if not to:
        return False
    email = message(prefix, to, context)
    try:
        email.send()
    except OSError:
        logger.exception("could not email %s about %s", to, prefix)
        return False
    return True


def absolute_url(path: str, request=None) -> str:
    """``path`` as a full address, for an email or a calendar: on the request's host when there
    is one, else on ``CHAMBER_SITE_URL`` (commands and cron run without a request)."""
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.CHAMBER_SITE_URL.rstrip("/") + path
