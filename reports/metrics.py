"""The year's figures, computed from the records every time: nothing here is typed in.

``compute(year)`` returns one ``Figure`` per ``Metric``, each with the numbers behind it and
links to the records it counts (the site's own pages where there is one, else the back
office's lists filtered the same way). It runs a fixed number of queries whatever the data.

What counts:

- an event is *held* when it is not cancelled and has started; *attendance* is the people
  checked in (signed up and checked in);
- a *leadership meeting* is a held event open to the leadership (audience 班子成员);
- a *sharing meeting* is a held event of the quarterly meeting type, counted by quarter;
- *visits* are the compliance board's (``activities.visits.compliance``): companies visited per
  leader and month against the quota, in the months due;
- *problems* are those raised in the year; *on time* means solved no later than the due date;
- *proposals* are those submitted in the year;
- *new members* are companies whose ``member_since`` falls in the year; those *from the
  development group* came from a prospect that joined;
- *charity* is the money and goods received in the year (``charity.services.money_sum``);
- *rules published* are rule versions published in the year, beside the rules in force;
- *dues* are the year's bills against the payments on them (``dues.totals.year_summary``).
"""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    Func,
    IntegerField,
    Min,
    OuterRef,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractQuarter
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from activities.models import Event, Problem, Proposal, Registration, Visit, VisitMonth
from activities.visits.compliance import compliance_board
from chamber.models import Document, DocumentVersion, Honor, Position, Term
from charity.models import Donation
from charity.money import format_wan, format_yuan, yuan
from charity.services import money_sum
from core.counts import Expiring, count_of, counted_all
from core.time import local_midnight, year_bounds
from development.metrics import joined_through_group
from dues.models import Bill, Payment
from dues.totals import year_summary as dues_summary
from members.models import Company, Person, Prospect

from .models import Metric

TRAINING_KINDS = (Event.Kind.EDUCATION, Event.Kind.TALENT, Event.Kind.LEGAL)
KIND_METRICS = {
    Metric.PARTY_EVENTS: (Event.Kind.PARTY,),
    Metric.TRAINING_EVENTS: TRAINING_KINDS,
    Metric.POLICY_EVENTS: (Event.Kind.POLICY,),
}


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
    held}: one query. Each event's check-ins are counted by a subquery rather than a join, so
    the held events are counted without DISTINCT over their sign-ups (a city federation has
    half a million)."""
    start, end = year_bounds(year)
    attended = (
        Registration.objects.filter(
            event=OuterRef("pk"),
            status=Registration.Status.REGISTERED,
            checked_in_at__isnull=False,
        )
        .order_by()
        .values("event")
        .annotate(n=Count("*"))
        .values("n")
    )
    rows = (
        Event.objects.filter(starts_at__gte=start, starts_at__lt=min(end, now), is_cancelled=False)
        .annotate(people=Coalesce(Subquery(attended), 0))
        .values("kind", "audience", quarter=ExtractQuarter("starts_at"))
        .annotate(held=Count("*"), attended=Sum("people"))
        .order_by()
    )
    by_kind, leadership = {}, 0
    quarters = {number: 0 for number in range(1, 5)}
    for row in rows:
        held, people = by_kind.get(row["kind"], (0, 0))
        by_kind[row["kind"]] = (held + row["held"], people + int(row["attended"]))
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
            # COUNT(*) rather than COUNT(id): an index on the columns filtered suffices.
            n=Func(template="COUNT(*)", output_field=IntegerField()),
        )
        .values_list("key", "n")
    )


def outcome_part(problems):
    """The problems counted by outcome, to be put together with the counts: up to four rows,
    ``problems_on_time`` (solved by the due date), ``problems_late`` (solved otherwise),
    ``problems_proposal`` and ``problems_other``. One pass over the problems where counting
    each outcome apart would read them four times."""
    solved = Problem.Status.SOLVED
    outcome = Case(
        When(status=solved, resolved_on__lte=F("due_on"), then=Value("problems_on_time")),
        When(status=solved, then=Value("problems_late")),
        When(status=Problem.Status.PROPOSAL, then=Value("problems_proposal")),
        default=Value("problems_other"),
        output_field=CharField(),
    )
    return (
        problems.order_by()
        .annotate(key=outcome)
        .values("key")
        .annotate(n=Count("*"))
        .values_list("key", "n")
    )


def counts(*grouped, **querysets) -> dict[str, int]:
    """How many rows each queryset has, with the (key, number) rows of the ``grouped`` parts,
    in one query (a UNION ALL of counts)."""
    parts = [count_part(key, queryset) for key, queryset in querysets.items()] + list(grouped)
    return dict(parts[0].union(*parts[1:], all=True))


@count_of(Visit)
def _visits(year: int) -> dict[str, int]:
    return counts(visits=Visit.objects.filter(visited_on__year=year))


@count_of(Problem)
def _problems(year: int) -> dict[str, int]:
    return dict(outcome_part(Problem.objects.filter(raised_on__year=year)))


def visits_and_problems(year: int) -> dict[str, int]:
    """The year's visits, and its problems by outcome (``outcome_part``): counts over a city
    federation's 200,000 visits and 300,000 problems, kept in the shared cache (one read for
    both) until a visit, or a problem, changes (core.counts): apart, so that the visit logged
    every minute costs a count of the visits (from an index) and not of the problems."""
    visits, problems = counted_all(
        (_visits, f"reports:visits:{year}", year),
        (_problems, f"reports:problems:{year}", year),
    )
    return visits | problems


# Every table the year's figures read: they are kept in the shared cache until one changes.
FIGURE_TABLES = (
    Event,
    Registration,
    Visit,
    VisitMonth,
    Problem,
    Proposal,
    Company,
    Prospect,
    DocumentVersion,
    Document,
    Honor,
    Position,
    Term,
    Person,
    Donation,
    Bill,
    Payment,
)


def compute(year: int, today: datetime.date | None = None) -> dict[str, Figure]:
    """Every figure of the year, by metric code: one cache query once computed (core.counts).

    The figures are kept until one of the tables they read changes, and, as they count the
    events held so far, until the next event of the year starts. Computing them afresh takes
    a fixed number of queries (``compute_afresh``)."""
    [figures] = counted_all(figures_call(year, today))
    return figures


def figures_call(year: int, today: datetime.date | None = None) -> tuple:
    """``compute(year, today)`` as a call of ``core.counts.counted_all``, for a page that reads
    other cached values with it in the same cache query."""
    today = today or timezone.localdate()
    live = today == timezone.localdate()
    return (_figures, f"reports:figures:{year}:{today}:{live}:{get_language()}", year, today, live)


@count_of(*FIGURE_TABLES)
def _figures(year: int, today: datetime.date, live: bool) -> Expiring:
    if not live:  # the figures as they stood at the end of that day: the clock is stopped
        return Expiring(compute_afresh(year, today))
    now = timezone.now()
    figures = compute_afresh(year, today, now)
    return Expiring(figures, held_until(year, now))


def held_until(year: int, now: datetime.datetime) -> datetime.datetime | None:
    """Until when the year's events held, counted at ``now``, stay true: the start of the
    year's next event (None: none will start), when it becomes held with no row written. One
    query; what shows the figures (the 四好 page rendered) is kept until the same moment."""
    _start, end = year_bounds(year)
    return (
        Event.objects.filter(is_cancelled=False, starts_at__gte=now, starts_at__lt=end)
        .order_by()
        .aggregate(first=Min("starts_at"))["first"]
    )


def compute_afresh(
    year: int, today: datetime.date | None = None, now: datetime.datetime | None = None
) -> dict[str, Figure]:
    """Every figure of the year, by metric code, counted now. A fixed number of queries (the
    counts over visits and problems read from the shared cache once computed)."""
    today = today or timezone.localdate()
    if now is None:
        now = (
            timezone.now()
            if today == timezone.localdate()
            else local_midnight(today + datetime.timedelta(days=1))
        )
    figures = {}
    year_text = str(year)

    by_kind, leadership, quarters = _events(year, now)
    start, end = year_bounds(year)
    joined = Company.objects.filter(member_since__year=year)
    number = visits_and_problems(year) | counts(
        proposals=Proposal.objects.filter(submitted_on__year=year),
        joined=joined,
        from_group=joined_through_group(joined),
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

    outcomes = {
        key: number.get(f"problems_{key}", 0) for key in ("on_time", "late", "proposal", "other")
    }
    problems = {
        "raised": sum(outcomes.values()),
        "solved": outcomes["on_time"] + outcomes["late"],
        "on_time": outcomes["on_time"],
        "proposal": outcomes["proposal"],
    }
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
            Evidence(_("Problem ledger"), page("activities:problem_list")),
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
                    year=year_text,  # the admin's own year filter (DonationYearFilter)
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

    dues = dues_summary(year)
    figures[Metric.DUES] = Figure(
        Metric.DUES,
        f"{dues['rate']}%" if dues["rate"] is not None else "—",
        _(
            "%(collected)s of %(billed)s yuan collected from %(companies)s companies billed; "
            "%(paid)s paid in full, %(exempt)s exempt"
        )
        % {
            "collected": format_yuan(dues["collected"]),
            "billed": format_yuan(dues["billed"]),
            "companies": dues["companies"],
            "paid": dues["paid_in_full"],
            "exempt": dues["exempt"],
        },
        dues,
        [
            Evidence(_("Membership dues"), page("dues:overview")),
            Evidence(_("Dues in arrears"), page("dues:arrears")),
            Evidence(
                _("Bills of the year"),
                admin_list("dues_bill", year__exact=year_text),
                back_office=True,
            ),
        ],
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
