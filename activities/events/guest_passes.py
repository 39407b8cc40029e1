"""A guest's pass: the guests a member company signs up (``company_signups``) have no account,
so each gets a signed link to a page of their own that shows their pass — the QR code staff
scan at the door (``EventPassView``, the same as a member's) and the code under it. The
company's contact sees the link beside the guest's name to forward it, and the guest is sent
it by SMS through the notification service where SMS is configured (once a sign-up)."""

import re

from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

from core import mail
from core.notifications import notify

from ..models import Registration

GUEST_PASS_SALT = "activities.guest-pass"
# The sign-up's number and 12 hex digits of its HMAC (48 bits: not to be guessed), short
# enough for an SMS variable and to be read out or typed at the door: 1234-0a1b2c3d4e5f.
CODE_RE = re.compile(r"^(\d{1,10})-([0-9a-f]{12})$")


def _mac(pk: int) -> str:
    return salted_hmac(GUEST_PASS_SALT, str(pk), algorithm="sha256").hexdigest()[:12]


def guest_pass_token(registration: Registration) -> str:
    """The guest's code, the key of their page: signed, and apart from the staff's pass
    token, so that the one does not open the other."""
    return f"{registration.pk}-{_mac(registration.pk)}"


def registration_for_guest_pass(token: str) -> Registration | None:
    """The guest's active sign-up a code (or the address of their page) stands for, or
    None."""
    token = (token or "").strip().rstrip("/").rsplit("/", 1)[-1].lower()
    match = CODE_RE.match(token)
    if match is None:
        return None
    pk = int(match.group(1))
    if not constant_time_compare(match.group(2), _mac(pk)):
        return None
    return (
        Registration.objects.active()
        .filter(pk=pk, is_guest=True)
        .select_related("event", "person", "company")
        .first()
    )


def guest_pass_url(registration: Registration, request=None) -> str:
    path = reverse("activities:event_guest_pass", args=[guest_pass_token(registration)])
    return mail.absolute_url(path, request)


def send_guest_pass(registration: Registration, request=None) -> None:
    """Text the guest their pass's link (the kind ``guest_pass``: SMS only, as a guest has
    neither account nor email); a sign-up is told once."""
    notify(
        [registration.person],
        "guest_pass",
        {
            "registration": registration,
            "event": registration.event,
            "company": registration.company,
            "url": guest_pass_url(registration, request),
        },
        key=f"guest_pass:{registration.pk}",
    )
