"""The main navigation, ordered by role: each role's daily work first.

On a phone the first ``TABS`` items are a bottom tab bar and the rest sit under 更多; on a
wider screen they are the top bar, with the pages opened now and then under 更多. Links name
their URL and rule by string, so this module imports no app.
"""

import functools
from dataclasses import dataclass

from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.rules import allows

TABS = 4


@dataclass(frozen=True)
class Link:
    key: str
    label: str
    url_name: str
    rule: str = ""  # a rule of core.rules; empty: everyone logged in
    args: tuple = ()
    also: tuple[str, ...] = ()  # other path prefixes that belong to this page


@dataclass
class NavItem:
    key: str
    label: str
    url: str
    current: bool = False


@functools.lru_cache(maxsize=8)
def _links(leader_only: bool, year: int) -> dict[str, Link]:
    return {
        link.key: link
        for link in [
            Link("home", _("Home"), "chamber:home"),
            Link("notices", _("Notices"), "notices:notice_list"),
            Link("calendar", _("Event calendar"), "activities:calendar", also=("/events/",)),
            Link("me", _("My page"), "members:me", "members.see_own_company"),
            Link(
                "raise",
                _("Raise a problem"),
                "activities:problem_raise",
                "activities.raise_problems",
            ),
            Link(
                "visits",
                _("My visits") if leader_only else _("Visits"),
                "activities:visit_list",
                "activities.see_visits",
            ),
            Link("log_visit", _("Log a visit"), "activities:visit_create", "activities.log_visits"),
            Link(
                "compliance",
                _("Visit compliance"),
                "activities:visit_compliance",
                "activities.see_compliance",
            ),
            Link(
                "problems",
                _("Problem ledger"),
                "activities:problem_list",
                "activities.see_problems",
            ),
            Link(
                "directory", _("Member directory"), "members:company_list", "members.see_directory"
            ),
            Link("charity", _("Charity"), "charity:overview"),
            Link("dashboard", _("Dashboard"), "reports:dashboard", "reports.see_dashboard"),
            Link(
                "four_goods",
                _("Four-goods self-assessment"),
                "reports:four_goods",
                "reports.see_reports",
                args=(year,),
                also=("/reports/",),
            ),
            Link("dues", _("Membership dues"), "dues:overview", "dues.see_all_dues"),
            Link(
                "development",
                _("Membership development"),
                "development:pipeline",
                "development.decide_applications",  # the group reaches it from its home
            ),
            Link("meetings", _("Sharing meetings"), "activities:meetings"),
            Link("journal", _("Yuanju"), "notices:journal"),
            Link("leadership", _("Leadership and working groups"), "chamber:leadership"),
            Link("rules", _("Rules"), "chamber:rules"),
        ]
    }


def _order(roles) -> tuple[list[str], list[str]]:
    """The keys of the everyday pages (tabs first) and of the pages opened now and then."""
    later = ["meetings", "journal", "leadership", "rules"]
    if roles.sees_everything:
        return (
            [
                "home",
                "compliance",
                "problems",
                "calendar",
                "notices",
                "visits",
                "directory",
                "charity",
                "me",
            ],
            ["dashboard", "four_goods", "dues", "development", *later],
        )
    if roles.is_leader:
        return (
            ["home", "visits", "problems", "calendar", "notices", "me", "directory", "charity"],
            ["log_visit", *later],
        )
    if roles.is_member:
        return (["home", "calendar", "raise", "me", "notices", "directory", "charity"], later)
    return (["home", "calendar", "charity"], later)


@functools.lru_cache(maxsize=256)
def _url(url_name: str, args: tuple, urlconf, prefix: str) -> str | None:
    """A link's address, worked out once per worker (the URLs and their prefix are the key)."""
    try:
        return reverse(url_name, urlconf=urlconf, args=args)
    except NoReverseMatch:
        return None


def main_nav(request, roles) -> dict:
    """``{"tabs": …, "rest": …, "more": …, "more_current": bool, "signature": …}`` for the
    user's roles; the signature says everything the rendered navigation shows (the template
    renders it once per worker and signature, ``{% memo %}``)."""
    leader_only = roles.is_leader and not roles.sees_everything
    links = _links(leader_only, timezone.localdate().year)
    everyday, later = _order(roles)
    path = request.path
    urlconf, prefix = get_urlconf(), get_script_prefix()
    items = {}
    for key in [*everyday, *later]:
        link = links[key]
        if link.rule and not allows(link.rule, roles):
            continue
        url = _url(link.url_name, link.args, urlconf, prefix)
        if url is None:
            continue
        items[key] = NavItem(key, link.label, url)
    # The current page: the item whose address is the longest start of this one.
    best, length = None, 0
    for key, item in items.items():
        prefixes = [item.url, *links[key].also]
        for prefix in prefixes:
            matches = path == prefix if prefix == "/" else path.startswith(prefix)
            if matches and len(prefix) > length:
                best, length = item, len(prefix)
    if best is not None:
        best.current = True
    shown = [items[key] for key in everyday if key in items]
    more = [items[key] for key in later if key in items]
    tabs, rest = shown[:TABS], shown[TABS:]
    return {
        "tabs": tabs,
        "rest": rest,
        "more": more,
        "more_current": any(item.current for item in rest + more),
        "current": best,
        "signature": (
            leader_only,
            tuple((item.key, item.url) for item in shown),
            tuple((item.key, item.url) for item in more),
            best.key if best is not None else None,
        ),
    }
