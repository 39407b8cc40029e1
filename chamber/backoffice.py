"""The back office's home: the admin's tables grouped by the secretary's tasks, not by app.

The tables are named by their labels (``app_label.model``), so this module imports no app: a
group shows the tables of ``AdminSite.get_app_list`` (those the user may see) that it names,
with the shortcuts the user may use, and every table no group names falls into the last one,
so none is ever out of reach.
"""

from dataclasses import dataclass, field

from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.rules import allows


@dataclass(frozen=True)
class Shortcut:
    label: str
    url_name: str
    # An admin shortcut names the table it acts on and what it does to it ("add", "import");
    # a front-end page names the rule that opens it.
    model: str = ""
    action: str = ""
    rule: str = ""
    yearly: bool = False


@dataclass(frozen=True)
class Task:
    name: str
    key: str
    models: tuple[str, ...]
    shortcuts: tuple[Shortcut, ...] = field(default=())


TASKS = (
    Task(
        _("Members and people"),
        "members",
        (
            "members.company",
            "members.person",
            "members.prospect",
            "development.application",
            "members.tag",
        ),
        (
            Shortcut(
                _("Import the member roster"),
                "admin:members_company_import",
                model="members.company",
                action="import",
            ),
            Shortcut(
                _("Import people"),
                "admin:members_person_import",
                model="members.person",
                action="import",
            ),
            Shortcut(
                _("Add a member company"),
                "admin:members_company_add",
                model="members.company",
                action="add",
            ),
        ),
    ),
    Task(
        _("Visits and problems"),
        "visits",
        (
            "activities.assignment",
            "activities.visit",
            "activities.problem",
            "activities.proposal",
            "activities.visitreminder",
        ),
        (
            Shortcut(
                _("Import the contact assignments"),
                "admin:activities_assignment_import",
                model="activities.assignment",
                action="import",
            ),
            Shortcut(
                _("Visit compliance board"),
                "activities:visit_compliance",
                rule="activities.see_compliance",
            ),
            Shortcut(
                _("Problem ledger"), "activities:problem_list", rule="activities.see_all_problems"
            ),
        ),
    ),
    Task(
        _("Events and meetings"),
        "events",
        ("activities.event", "activities.registration", "activities.eventreminder"),
        (
            Shortcut(
                _("Add an event"),
                "admin:activities_event_add",
                model="activities.event",
                action="add",
            ),
            Shortcut(
                _("Import events"),
                "admin:activities_event_import",
                model="activities.event",
                action="import",
            ),
        ),
    ),
    Task(
        _("Notices and documents"),
        "notices",
        (
            "notices.notice",
            "notices.noticeread",
            "notices.journalissue",
            "notices.spotlight",
            "chamber.document",
            "chamber.documentversion",
            "chamber.documentcomment",
        ),
        (
            Shortcut(
                _("Write a notice"),
                "admin:notices_notice_add",
                model="notices.notice",
                action="add",
            ),
        ),
    ),
    Task(
        _("Charity"),
        "charity",
        (
            "charity.donation",
            "charity.campaign",
            "charity.pairing",
            "charity.project",
            "charity.beneficiary",
            "charity.photo",
            "charity.contributorpreference",
            "charity.consent",
            "charity.unmasklog",
        ),
        (
            Shortcut(
                _("Record a donation"),
                "admin:charity_donation_add",
                model="charity.donation",
                action="add",
            ),
            Shortcut(
                _("Import donations"),
                "admin:charity_donation_import",
                model="charity.donation",
                action="import",
            ),
        ),
    ),
    Task(
        _("Leadership and organisation"),
        "organisation",
        ("chamber.term", "chamber.position", "chamber.workinggroup", "chamber.honor"),
    ),
    Task(
        _("Reports"),
        "reports",
        ("reports.indicatorscore", "reports.framework", "reports.heading", "reports.indicator"),
        (
            Shortcut(
                _("Four-goods self-assessment"),
                "reports:four_goods",
                rule="reports.see_reports",
                yearly=True,
            ),
            Shortcut(_("Dashboard"), "reports:dashboard", rule="reports.see_dashboard"),
        ),
    ),
    Task(
        _("System and accounts"),
        "system",
        ("chamber.user", "auth.group", "account.emailaddress"),
    ),
)


def _shortcut_url(shortcut: Shortcut, request, model_admins) -> str | None:
    """The shortcut's address if this user may use it, else None."""
    if shortcut.rule:
        if not allows(shortcut.rule, request.roles):
            return None
    else:
        model_admin = model_admins.get(shortcut.model)
        if model_admin is None:
            return None
        check = getattr(model_admin, f"has_{shortcut.action}_permission", None)
        if check is None or not check(request):
            return None
    args = [timezone.localdate().year] if shortcut.yearly else []
    try:
        return reverse(shortcut.url_name, args=args)
    except NoReverseMatch:
        return None


def task_groups(request, app_list, admin_site=admin.site) -> list[dict]:
    """The home's groups: each task with the tables of ``app_list`` it names (in its order)
    and its shortcuts, empty groups left out; tables no task names go last, under "Other"."""
    tables = {
        f"{app['app_label']}.{entry['object_name'].lower()}": entry
        for app in app_list
        for entry in app["models"]
    }
    model_admins = {
        model._meta.label_lower: model_admin for model, model_admin in admin_site._registry.items()
    }
    groups, named = [], set()
    for task in TASKS:
        models = [tables[label] for label in task.models if label in tables]
        named.update(task.models)
        shortcuts = []
        for shortcut in task.shortcuts:
            url = _shortcut_url(shortcut, request, model_admins)
            if url:
                shortcuts.append({"label": shortcut.label, "url": url})
        if models or shortcuts:
            groups.append(
                {"name": task.name, "key": task.key, "models": models, "shortcuts": shortcuts}
            )
    rest = [entry for label, entry in tables.items() if label not in named]
    if rest:
        groups.append({"name": _("Other"), "key": "other", "models": rest, "shortcuts": []})
    return groups
