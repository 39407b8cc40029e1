"""Signed links to the public share pages (``/s/<token>/``) of the items the secretariat
switched on: a notice, a spotlight or an event.

The token names the kind and the id, signed with the secret key and a salt of its own, so a
link cannot be made up or changed into another item's: ids cannot be walked through. Whether
the item is switched on is asked when the link is opened (``notices.public``), so switching it
off ends every copy of the link at once, and switching it on again brings the same link back.

Here, below the apps, so that every admin can show the link (the event admin cannot import
``notices``); the page itself is in ``notices.public``.
"""

from django.core import signing
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from core.mail import absolute_url

SALT = "chamber.share.public-page"
KINDS = ("notice", "spotlight", "event")
MAX_TOKEN_LENGTH = 200


def public_token(kind: str, pk: int) -> str:
    # A Signer, not dumps (whose TimestampSigner would give a new link each time).
    return signing.Signer(salt=SALT).sign_object([kind, pk])


def read_token(token: str) -> tuple[str, int] | None:
    """The kind and id a token names, or None for a token that is not ours."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    try:
        kind, pk = signing.Signer(salt=SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if kind not in KINDS or not isinstance(pk, int) or isinstance(pk, bool) or pk < 1:
        return None
    return kind, pk


def public_path(kind: str, pk: int) -> str:
    return reverse("notices:public_share", args=[public_token(kind, pk)])


def public_poster_path(kind: str, pk: int) -> str:
    return reverse("notices:public_poster", args=[public_token(kind, pk)])


def admin_share_link(obj, *, shown: bool) -> str:
    """The public link with a copy button, for an admin's change form: ``shown`` when the
    item is switched on (and published); otherwise what to do to have one."""
    if obj is None or obj.pk is None:
        return _("Save first; the link appears once “public share page” is ticked.")
    if not shown:
        return _("Tick “public share page” and save to have a link (a notice once published).")
    kind = obj._meta.model_name
    return render_to_string(
        "includes/_share_link.html",
        {
            "url": absolute_url(public_path(kind, obj.pk)),
            "field_id": f"public-link-{kind}",
            "in_admin": True,
        },
    )
