"""Page sections that other apps contribute to pages they cannot import into.

Dependencies run one way (chamber imports members; activities and charity import both), so the
home page (chamber) and the member's own page ``/me/`` (members) cannot import the apps that
hold visits, events or donations. Those apps register a section here from their
``AppConfig.ready()``, and the page renders whatever is registered:

    register_section(Section(page="me", key="problems", order=20,
                             template_name="activities/visits/includes/_me_problems.html",
                             get_context=me_problems_context))

``get_context(request)`` returns the section's template context, or None to leave the section
out for this person. Each section should cost a fixed, small number of queries.

A section that names the ``tables`` it reads is rendered once per viewer (their roles), day
and language and kept in the shared cache until one of those tables changes
(``core.counts``): its context and its template cost one cache read. Its template is then
rendered with ``section``, ``roles`` and ``csrf_token`` only (a form's token is put in on
every request, never cached), and its ``get_context`` may depend on nothing else of the
request than the roles and the day.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import get_template
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core.counts import count_of, counted

_CSRF_PLACEHOLDER = "csrf-token-of-this-request"

PAGES = ("home", "me")


@dataclass(frozen=True)
class Section:
    page: str
    key: str
    order: int
    template_name: str
    get_context: Callable[[HttpRequest], dict | None]
    tables: tuple = ()  # the models it reads, to keep it rendered in the shared cache


@dataclass(frozen=True)
class RenderedSection:
    key: str
    template_name: str
    context: dict
    html: str | None = None  # the section rendered, when it is kept in the cache


_registry: dict[tuple[str, str], Section] = {}


def register_section(section: Section) -> None:
    """Add a section to a page; registering the same page and key again replaces it."""
    if section.page not in PAGES:
        raise ValueError(f"unknown page {section.page!r}; expected one of {PAGES}")
    _registry[(section.page, section.key)] = section


def sections_for(page: str, request: HttpRequest) -> list[RenderedSection]:
    """The sections of a page that apply to this request, in order."""
    rendered = []
    for section in sorted(
        (s for s in _registry.values() if s.page == page), key=lambda s: (s.order, s.key)
    ):
        if section.tables:
            html = _cached_html(section, request)
            if html is not None:
                rendered.append(RenderedSection(section.key, section.template_name, {}, html))
            continue
        context = section.get_context(request)
        if context is not None:
            rendered.append(RenderedSection(section.key, section.template_name, context))
    return rendered


def _roles_key(roles) -> str:
    """Whose the page is and what they may do: the account too, so that two accounts with
    no person record (a secretary's) never share a rendering."""
    return (
        f"{getattr(roles.user, 'pk', None)}:{getattr(roles.person, 'pk', None)}:"
        f"{getattr(roles.company, 'pk', None)}:"
        f"{sorted(roles.titles)}:{roles.is_secretariat}:{roles.is_supervisor}:{roles.is_member}"
    )


def _cached_html(section: Section, request: HttpRequest) -> str | None:
    """The section rendered for this viewer, or None when it leaves itself out."""
    roles = request.roles
    today: datetime.date = timezone.localdate()

    def render():
        context = section.get_context(request)
        if context is None:
            return None
        return get_template(section.template_name).render(
            {"section": context, "roles": roles, "csrf_token": _CSRF_PLACEHOLDER}
        )

    render.__qualname__ = f"section {section.page}:{section.key}"
    name = f"section:{section.page}:{section.key}:{get_language()}:{today}:{_roles_key(roles)}"
    html = counted(count_of(*section.tables)(render), name)
    if html is None:
        return None
    if _CSRF_PLACEHOLDER in html:
        html = html.replace(_CSRF_PLACEHOLDER, get_token(request))
    return mark_safe(html)
