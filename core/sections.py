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
(``core.counts``): all of a page's kept sections (and the page's own cached counts, passed
to ``sections_with()``) cost one cache read together. Its template is then rendered with
``section``, ``roles`` and ``csrf_token`` only (a form's token is put in on every request,
never cached), and its ``get_context`` may depend on nothing else of the request than the
roles and the day; one whose context also changes with the clock (events that end, notices
that expire) returns ``core.counts.Expiring(context, until)``, and is rendered afresh from
then on.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import get_template
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core.counts import DeclaredCount, Expiring, count_of, counted_all

# What a kept part's forms carry in the cache instead of a token: each request puts its own in.
CSRF_PLACEHOLDER = "csrf-token-of-this-request"

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
    return sections_with(page, request)[0]


def sections_with(page: str, request: HttpRequest, *calls) -> tuple[list[RenderedSection], list]:
    """The sections of a page that apply to this request, in order, and the values of the
    page's own cached counts (``calls``, as ``counted_all()`` takes them): every section kept
    in the cache and every one of those counts read in one cache query."""
    registered = sorted(
        (s for s in _registry.values() if s.page == page), key=lambda s: (s.order, s.key)
    )
    kept = [section for section in registered if section.tables]
    roles = request.roles
    scope = f"{get_language()}:{timezone.localdate()}:{_roles_key(roles)}"
    values = counted_all(
        *[(_renderer(s), f"section:{s.page}:{s.key}:{scope}", request) for s in kept], *calls
    )
    html_of = dict(zip((section.key for section in kept), values, strict=False))
    token = None
    rendered = []
    for section in registered:
        if section.tables:
            html = html_of[section.key]
            if html is None:
                continue
            if CSRF_PLACEHOLDER in html:
                token = token or get_token(request)
                html = html.replace(CSRF_PLACEHOLDER, token)
            rendered.append(
                RenderedSection(section.key, section.template_name, {}, mark_safe(html))
            )
            continue
        context = section.get_context(request)
        if context is not None:
            rendered.append(RenderedSection(section.key, section.template_name, context))
    return rendered, values[len(kept) :]


def _roles_key(roles) -> str:
    """Whose the page is and what they may do: the account too, so that two accounts with
    no person record (a secretary's) never share a rendering."""
    return (
        f"{getattr(roles.user, 'pk', None)}:{getattr(roles.person, 'pk', None)}:"
        f"{getattr(roles.company, 'pk', None)}:"
        f"{sorted(roles.titles)}:{roles.is_secretariat}:{roles.is_supervisor}:{roles.is_member}"
    )


_renderers: dict[Section, DeclaredCount] = {}


def _renderer(section: Section) -> DeclaredCount:
    """The section rendered for a request's viewer (None when it leaves itself out), as a
    count of the tables it reads. A ``get_context`` that returns an ``Expiring`` context
    (events that end, notices that expire) makes the rendering expire with it."""
    renderer = _renderers.get(section)
    if renderer is None:

        def render(request):
            context = section.get_context(request)
            until = None
            if isinstance(context, Expiring):
                context, until = context.value, context.until
            html = None
            if context is not None:
                html = get_template(section.template_name).render(
                    {"section": context, "roles": request.roles, "csrf_token": CSRF_PLACEHOLDER}
                )
            return Expiring(html, until) if until is not None else html

        render.__qualname__ = f"section {section.page}:{section.key}"
        renderer = _renderers[section] = count_of(*section.tables)(render)
    return renderer
