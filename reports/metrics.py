"""The year's figures, computed from the records every time: nothing here is typed in.

``compute(year)`` returns one ``Figure`` per ``Metric``, each with the numbers behind it and
links to the records it counts (the site's own pages where there is one, else the back
office's lists filtered the same way). It runs a fixed number of queries whatever the data.

What counts:

- an event is *held* when it is not cancelled and has started; *attendance* is the people
  checked in (signed up and checked in);
- a *leadership meeting* is a held event open to the leadership (audience 班子成员);
- a *sharing meeting* is a held event of the quarterly meeting type, counted by quarter;
- *visits* are the compliance board's (``activities.compliance``): companies visited per
  leader and month against the quota, in the months due;
- *problems* are those raised in the year; *on time* means solved no later than the due date;
- *proposals* are those submitted in the year;
- *new members* are companies whose ``member_since`` falls in the year; those *from the
  development group* came from a prospect that joined;
- *charity* is the money and goods received in the year (``charity.services.money_sum``);
- *rules published* are rule versions published in the year, beside the rules in force.
"""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import CharField, Count, F, Func, IntegerField, Q, Value
from django.db.models.functions import ExtractQuarter
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.compliance import compliance_board
from activities.models import Event, Problem, Proposal, Registration, Visit
from chamber.models import Document, DocumentVersion, Honor
from charity.models import Donation
from charity.money import format_wan, format_yuan, yuan
from charity.services import money_sum
from members.models import Company, Prospect

from .models import Metric

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))

TRAINING_KINDS = (Event.Kind.EDUCATION, Event.Kind.TALENT, Event.Kind.LEGAL)
KIND_METRICS = {
    Metric.PARTY_EVENTS: (Event.Kind.PARTY,),
    Metric.TRAINING_EVENTS: TRAINING_KINDS,
    Metric.POLICY_EVENTS: (Event.Kind.POLICY,),
}


def local_midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=SHANGHAI)


def year_bounds(year: int):
    return local_midnight(datetime.date(year, 1, 1)), local_midnight(datetime.date(year + 1, 1, 1))


def admin_list(model_name: str, **filters) -> str:
    url = reverse(f"admin:{model_name}_changelist")
    return f"{url}?{urlencode(filters)}" if filters else url


def page(name: str, **query) -> str:
    url = reverse(name)
    return f"{url}?{urlencode(query)}" if query else url


@dataclass
class Evidence:
    label: str
    url: str
    back_office: bool = False


@dataclass
class Figure:
    metric: str
    value: str  # the headline figure, as shown
    detail: str  # a sentence with the numbers behind it
    numbers: dict = field(default_factory=dict)
    evidence: list = field(default_factory=list)

    @property
    def label(self) -> str:
        return Metric(self.metric).label


def _events(year: int, now: datetime.datetime):
    """{kind: (held, attendance)}, the leadership meetings held and {quarter: sharing meetings
    held}: one query."""
    start, end = year_bounds(year)
    attended = Q(
        registrations__status=Registration.Status.REGISTERED,
        registrations__checked_in_at__isnull=False,
    )
    rows = (
        Event.objects.filter(starts_at__gte=start, starts_at__lt=min(end, now), is_cancelled=False)
        .values("kind", "audience", quarter=ExtractQuarter("starts_at"))
        .annotate(held=Count("pk", distinct=True), attended=Count("registrations", filter=attended))
        .order_by()
    )
    by_kind, leadership = {}, 0
    quarters = {number: 0 for number in range(1, 5)}
    for row in rows:
        held, people = by_kind.get(row["kind"], (0, 0))
        by_kind[row["kind"]] = (held + row["held"], people + row["attended"])
        if row["audience"] == Event.Audience.LEADERSHIP:
            leadership += row["held"]
        if row["kind"] == Event.Kind.SHARING:
            quarters[row["quarter"]] += row["held"]
    return by_kind, leadership, quarters


def count_part(key: str, queryset):
    """One row (key, number of rows of the queryset), to be put together with UNION ALL."""
    return (
        queryset.order_by()
        .annotate(
            key=Value(key, output_field=CharField()),
            n=Func("pk", function="COUNT", output_field=IntegerField()),
        )
        .values_list("key", "n")
    )


def counts(**querysets) -> dict[str, int]:
    """How many rows each queryset has, in one query (a UNION ALL of counts)."""
    parts = [count_part(key, queryset) for key, queryset in querysets.items()]
    return dict(parts[0].union(*parts[1:], all=True))


def compute(year: int, today: datetime.date | None = None) -> dict[str, Figure]:
    """Every figure of the year, by metric code. Fixed number of queries (six)."""
    today = today or timezone.localdate()
    now = (
        timezone.now()
        if today == timezone.localdate()
        else local_midnight(today + datetime.timedelta(days=1))
    )
    figures = {}
    year_text = str(year)

    by_kind, leadership, quarters = _events(year, now)
    start, end = year_bounds(year)
    solved = Q(status=Problem.Status.SOLVED)
    raised = Problem.objects.filter(raised_on__year=year)
    joined = Company.objects.filter(member_since__year=year)
    number = counts(
        visits=Visit.objects.filter(visited_on__year=year),
        raised=raised,
        solved=raised.filter(solved),
        on_time=raised.filter(solved, resolved_on__lte=F("due_on")),
        proposal=raised.filter(status=Problem.Status.PROPOSAL),
        proposals=Proposal.objects.filter(submitted_on__year=year),
        joined=joined,
        from_group=joined.filter(prospect__stage=Prospect.Stage.JOINED),
        versions=DocumentVersion.objects.filter(published_at__gte=start, published_at__lt=end),
        in_force=Document.objects.published(),
        honors=Honor.objects.filter(company__isnull=True, year=year),
    )
    figures[Metric.LEADERSHIP_MEETINGS] = Figure(
        Metric.LEADERSHIP_MEETINGS,
        str(leadership),
        _("%(count)s meetings of the leadership held") % {"count": leadership},
        {"held": leadership},
        [
            Evidence(
                _("Leadership events of the year"),
                admin_list(
                    "activities_event",
                    audience__exact=Event.Audience.LEADERSHIP,
                    starts_at__year=year_text,
                    is_cancelled__exact=0,
                ),
                back_office=True,
            )
        ],
    )

    covered = sum(1 for count in quarters.values() if count)
    held = sum(quarters.values())
    figures[Metric.SHARING_MEETINGS] = Figure(
        Metric.SHARING_MEETINGS,
        f"{covered}/4",
        _("%(held)s sharing meetings held, in %(covered)s of 4 quarters")
        % {"held": held, "covered": covered},
        {"held": held, "quarters_covered": covered, "by_quarter": quarters},
        [Evidence(_("Sharing meetings of the year"), page("activities:meetings", year=year))],
    )

    board = compliance_board(year, today)
    required = board.quota * board.months_due
    done_in_due = sum(
        min(cell.done, cell.required) for row in board.rows for cell in row.cells if cell.is_due
    )
    visit_count = number["visits"]
    figures[Metric.VISITS] = Figure(
        Metric.VISITS,
        f"{done_in_due}/{required}",
        _(
            "%(visits)s visits logged; %(done)s of %(required)s required company visits done; "
            "the quota met in %(met)s of %(due)s leader-months"
        )
        % {
            "visits": visit_count,
            "done": done_in_due,
            "required": required,
            "met": board.months_met,
            "due": board.months_due,
        },
        {
            "visits": visit_count,
            "done": done_in_due,
            "required": required,
            "months_met": board.months_met,
            "months_due": board.months_due,
        },
        [
            Evidence(_("Visit compliance board"), page("activities:visit_compliance", year=year)),
            Evidence(
                _("Visits of the year"),
                admin_list("activities_visit", visited_on__year=year_text),
                back_office=True,
            ),
        ],
    )

    problems = {key: number[key] for key in ("raised", "solved", "on_time", "proposal")}
    figures[Metric.PROBLEMS] = Figure(
        Metric.PROBLEMS,
        f"{problems['solved']}/{problems['raised']}",
        _(
            "%(raised)s problems raised; %(solved)s solved, %(on_time)s of them on time; "
            "%(proposal)s turned into proposals"
        )
        % problems,
        problems,
        [
            Evidence(
                _("Problems raised in the year"),
                admin_list("activities_problem", raised_on__year=year_text),
                back_office=True,
            ),
            Evidence(
                _("Solved ones"),
                admin_list(
                    "activities_problem",
                    raised_on__year=year_text,
                    status__exact=Problem.Status.SOLVED,
                ),
                back_office=True,
            ),
        ],
    )

    proposals = number["proposals"]
    figures[Metric.PROPOSALS] = Figure(
        Metric.PROPOSALS,
        str(proposals),
        _("%(count)s proposals and motions submitted") % {"count": proposals},
        {"submitted": proposals},
        [
            Evidence(_("Proposals"), page("activities:proposal_list")),
            Evidence(
                _("Submitted in the year"),
                admin_list("activities_proposal", submitted_on__year=year_text),
                back_office=True,
            ),
        ],
    )

    participation = Evidence(_("Attendance by event"), page("activities:participation", year=year))
    for metric, kinds in KIND_METRICS.items():
        held = sum(by_kind.get(kind, (0, 0))[0] for kind in kinds)
        people = sum(by_kind.get(kind, (0, 0))[1] for kind in kinds)
        evidence = [participation]
        for kind in kinds:
            evidence.append(
                Evidence(
                    Event.Kind(kind).label,
                    admin_list(
                        "activities_event",
                        kind__exact=kind,
                        starts_at__year=year_text,
                        is_cancelled__exact=0,
                    ),
                    back_office=True,
                )
            )
        figures[metric] = Figure(
            metric,
            str(held),
            _("%(held)s held, %(people)s attendances") % {"held": held, "people": people},
            {"held": held, "attendance": people},
            evidence,
        )
    all_held = sum(held for held, _people in by_kind.values())
    all_people = sum(people for _held, people in by_kind.values())
    figures[Metric.ALL_EVENTS] = Figure(
        Metric.ALL_EVENTS,
        str(all_held),
        _("%(held)s held, %(people)s attendances") % {"held": all_held, "people": all_people},
        {"held": all_held, "attendance": all_people, "by_kind": by_kind},
        [participation],
    )

    members = {"joined": number["joined"], "from_group": number["from_group"]}
    figures[Metric.NEW_MEMBERS] = Figure(
        Metric.NEW_MEMBERS,
        str(members["joined"]),
        _("%(count)s companies joined") % {"count": members["joined"]},
        {"joined": members["joined"]},
        [
            Evidence(
                _("Companies that joined in the year"),
                admin_list("members_company", member_since__year=year_text),
                back_office=True,
            )
        ],
    )
    figures[Metric.DEVELOPMENT_GROUP] = Figure(
        Metric.DEVELOPMENT_GROUP,
        str(members["from_group"]),
        _("%(from_group)s of the %(joined)s new members came through the development group")
        % members,
        {"from_group": members["from_group"]},
        [
            Evidence(
                _("Prospects that joined"),
                admin_list("members_prospect", stage__exact=Prospect.Stage.JOINED),
                back_office=True,
            )
        ],
    )

    charity = (
        Donation.objects.received()
        .filter(donated_on__year=year)
        .aggregate(total=money_sum(), donors=Count("company", distinct=True))
    )
    total = yuan(charity["total"])
    figures[Metric.CHARITY] = Figure(
        Metric.CHARITY,
        format_wan(total)
        if total >= 10000
        else _("%(amount)s yuan") % {"amount": format_yuan(total)},
        _("%(amount)s yuan received from %(donors)s companies")
        % {"amount": format_yuan(total), "donors": charity["donors"]},
        {"total": total, "donors": charity["donors"]},
        [
            Evidence(_("Charity totals"), page("charity:overview")),
            Evidence(
                _("Donations received in the year"),
                admin_list(
                    "charity_donation",
                    donated_on__year=year_text,
                    status__exact=Donation.Status.RECEIVED,
                ),
                back_office=True,
            ),
        ],
    )

    versions, in_force = number["versions"], number["in_force"]
    figures[Metric.RULES] = Figure(
        Metric.RULES,
        str(versions),
        _("%(versions)s rule texts published in the year; %(in_force)s rules in force")
        % {"versions": versions, "in_force": in_force},
        {"published": versions, "in_force": in_force},
        [Evidence(_("Rules of the chamber"), page("chamber:rules"))],
    )

    honors = number["honors"]
    figures[Metric.HONORS] = Figure(
        Metric.HONORS,
        str(honors),
        _("%(count)s honors awarded to the chamber") % {"count": honors},
        {"count": honors},
        [Evidence(_("Leadership and honors"), page("chamber:leadership"))],
    )
    return figures
