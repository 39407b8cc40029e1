"""The public share pages: a notice, a spotlight or an event the secretariat switched on, for
anyone with the link (``/s/<token>/``, see ``core.share_links``), with its poster.

The page says what a stranger in a WeChat group may know: the title, the date, the place, a
short summary and the chamber's name; never who signed up, contacts, attachments or anything
else of the full page. A logged-in person who may read the full page goes on to it. A link to
an item switched off, or a token not ours, is a 404 like any page that does not exist.
Anonymous visitors are counted per address (``SHARE_HITS_PER_MINUTE``).
"""

import re

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core import limits
from core.share_links import public_path, public_poster_path, read_token

from .html import html_to_text
from .share import KINDS, format_share_date, poster_for, share_date

# Anonymous pages and posters one address may open a minute (a WeChat group opening the link
# at once behind one carrier address stays well under it; a script walking tokens does not).
SHARE_HITS_PER_MINUTE = 60
SUMMARY_LENGTH = 160

# What a summary never carries even when the text does: mobile and landline numbers, emails.
_PRIVATE_BITS = re.compile(
    r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)"  # mobiles
    r"|(?<!\d)0\d{2,3}[- ]?\d{7,8}(?!\d)"  # landlines with area code
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # email addresses
)


def _public_notices():
    from .models import Notice

    return Notice.objects.published().filter(public_share=True)


def _public_spotlights():
    from .models import Spotlight

    return Spotlight.objects.filter(is_published=True, public_share=True)


def _public_events():
    from activities.models import Event

    return Event.objects.filter(public_share=True)


PUBLIC = {
    "notice": _public_notices,
    "spotlight": _public_spotlights,
    "event": _public_events,
}


def public_text(obj, kind: str) -> str:
    """The text the summary is cut from: the notice's, the spotlight's lead (else its
    story), the event's description (its place is shown apart)."""
    if kind == "notice":
        return obj.body_text
    if kind == "spotlight":
        return obj.summary or obj.story_text
    return obj.description


def public_summary(obj, kind: str, length: int = SUMMARY_LENGTH) -> str:
    text = " ".join(html_to_text(public_text(obj, kind)).split())
    return Truncator(_PRIVATE_BITS.sub("…", text)).chars(length)


def is_shared(obj) -> bool:
    """Whether ``obj`` is switched on and shown at its link now, from the object itself (no
    query): what ``PUBLIC`` selects."""
    if not getattr(obj, "public_share", False):
        return False
    kind = obj._meta.model_name
    if kind == "notice":
        return obj.publish_at is not None and obj.publish_at <= timezone.now()
    if kind == "spotlight":
        return obj.is_published
    return kind == "event"


def shared_object(token: str):
    """The kind and the item a token names, if it is switched on; else 404."""
    named = read_token(token)
    if named is None:
        raise Http404
    kind, pk = named
    obj = PUBLIC[kind]().filter(pk=pk).first()
    if obj is None:
        raise Http404
    return kind, obj


def too_many_from_address(request) -> HttpResponse | None:
    address = get_adapter().get_client_ip(request) or "unknown"
    if limits.hit(f"share-page:{address}", SHARE_HITS_PER_MINUTE, 60):
        return None
    return HttpResponse(
        _(
            "Too many pages were opened from your address in the last minute. "
            "Try again in a minute."
        ),
        status=429,
        content_type="text/plain; charset=utf-8",
    )


@login_not_required
@require_GET
def public_share(request, token):
    if not request.user.is_authenticated and (refused := too_many_from_address(request)):
        return refused
    kind, obj = shared_object(token)
    if request.user.is_authenticated:
        full = KINDS[kind].visible(request.roles).filter(pk=obj.pk)
        if full.exists():
            return redirect(obj.get_absolute_url())
    page_url = request.build_absolute_uri(public_path(kind, obj.pk))
    date = share_date(obj)
    context = {
        "item": obj,
        "kind": KINDS[kind],
        "title": obj.title,
        "date": date,
        "date_text": format_share_date(date) if date else "",
        "place": obj.venue if kind == "event" else "",
        "cancelled": kind == "event" and obj.is_cancelled,
        "summary": public_summary(obj, kind),
        "page_url": page_url,
        "poster_absolute_url": request.build_absolute_uri(public_poster_path(kind, obj.pk)),
        "site_name": settings.CHAMBER_NAME,
        "login_url": f"{reverse('account_login')}?next={request.path}",
    }
    response = TemplateResponse(request, "notices/public_share.html", context)
    response["Cache-Control"] = "no-cache"
    return response


@login_not_required
@require_GET
def public_poster(request, token):
    """The poster of an item switched on, for anyone: its QR code opens the public page."""
    if not request.user.is_authenticated and (refused := too_many_from_address(request)):
        return refused
    kind, obj = shared_object(token)
    url = request.build_absolute_uri(public_path(kind, obj.pk))
    address = get_adapter().get_client_ip(request) or "unknown"
    who = f"user:{request.user.pk}" if request.user.is_authenticated else f"address:{address}"
    png = poster_for(obj, KINDS[kind], url, who=who, description=public_summary(obj, kind))
    if png is None:
        return HttpResponse(
            _("Too many posters were drawn for you in the last minute. Try again in a minute."),
            status=429,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "no-cache"
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="{kind}-poster.png"'
    return response
