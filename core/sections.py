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
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest

PAGES = ("home", "me")


@dataclass(frozen=True)
class Section:
    page: str
    key: str
    order: int
    template_name: str
    get_context: Callable[[HttpRequest], dict | None]


@dataclass(frozen=True)
class RenderedSection:
    key: str
    template_name: str
    context: dict


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
        context = section.get_context(request)
        if context is not None:
            rendered.append(RenderedSection(section.key, section.template_name, context))
    return rendered
