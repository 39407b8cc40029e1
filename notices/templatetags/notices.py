"""Template tags for pages that cannot import this app: sharing a page (QR code, poster,
Open Graph tags) and a company's spotlights on its page.

    {% load notices %}
    {% share_meta event %}      in the page's head (block extra_head)
    {% share_panel event %}     where the share box goes
    {% company_spotlights company as spotlights %}
"""

import re

from django import template
from django.conf import settings
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from core.share_links import public_path

from ..html import render_html
from ..models import Spotlight
from ..public import is_shared, public_summary
from ..share import poster_url, qr_svg, share_date, share_description, share_kind_for

register = template.Library()


def _share_context(context, obj) -> dict:
    request = context.get("request")
    kind = share_kind_for(obj)
    if request is None or kind is None:
        return {"share": None}
    # With a public page switched on, the QR code, the poster and the previews lead to it
    # (it sends those who may read the full page on), and the link is there to copy.
    public_url = request.build_absolute_uri(public_path(kind.key, obj.pk)) if is_shared(obj) else ""
    page_url = public_url or request.build_absolute_uri(obj.get_absolute_url())
    return {
        "share": {
            "kind": kind,
            "title": obj.title,
            "date": share_date(obj),
            "description": public_summary(obj, kind.key) if public_url else share_description(obj),
            "page_url": page_url,
            "public_url": public_url,
            "poster_url": poster_url(obj),
            "poster_absolute_url": request.build_absolute_uri(poster_url(obj)),
            "site_name": settings.CHAMBER_NAME,
        },
        "request": request,
    }


@register.inclusion_tag("notices/includes/_share_meta.html", takes_context=True)
def share_meta(context, obj):
    """Open Graph (and the older itemprop) tags: title, description and the poster."""
    return _share_context(context, obj)


@register.inclusion_tag("notices/includes/_share_panel.html", takes_context=True)
def share_panel(context, obj):
    """The share box: the page's QR code drawn on the server, and the poster to save."""
    share = _share_context(context, obj)
    if share["share"] is not None:
        share["share"]["qr_svg"] = qr_svg(share["share"]["page_url"])
    return share


@register.simple_tag(takes_context=True)
def company_spotlights(context, company, limit=10):
    """The company's published spotlights, newest first (one query)."""
    request = context.get("request")
    roles = getattr(request, "roles", None)
    spotlights = Spotlight.objects.filter(company=company)
    spotlights = spotlights.visible_to(roles) if roles is not None else spotlights.none()
    return list(spotlights.select_related("journal_issue").order_by("-published_on", "-pk")[:limit])


@register.filter
def safe_html(text):
    """Sanitized HTML (or plain text in paragraphs), safe to put on a page."""
    return render_html(text)


@register.filter
def highlight(text, query):
    """The text, escaped, with each occurrence of the query (any case) marked."""
    text = str(text or "")
    query = str(query or "").strip()
    if not query:
        return escape(text)
    pattern = re.compile(re.escape(query), re.IGNORECASE)
    parts, last = [], 0
    for match in pattern.finditer(text):
        parts.append(escape(text[last : match.start()]))
        parts.append(format_html("<mark>{}</mark>", match.group(0)))
        last = match.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))
