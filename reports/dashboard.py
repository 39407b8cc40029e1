"""What the president, the secretariat and supervisors see at a glance: the dashboard.

``key_figures`` is the short version on the home page; ``dashboard`` the full page. Both run a
fixed number of queries whatever the number of leaders, visits, problems, events or members.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, IntegerField, Min, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, ExtractYear
from django.template.loader import get_template
from django.utils import timezone
from django.utils.translation import get_language

from activities.models import Event, Problem, Registration, VisitMonth, visits_per_month
from activities.models.events import quarter_of
from activities.visits.compliance import companies_visited, compliance_board, leadership_in_year
from chamber.models import Position, Term
from charity.models import Donation
from charity.money import yuan
from charity.services import bar_chart, money_sum
from core.counts import Expiring, count_of, counted, counted_all
from core.time import local_midnight, month_end, month_start, year_bounds
from dues.models import Bill, Payment
from dues.totals import year_summary as dues_summary
from members.models import Company, Person

from .charts import count_chart, hbar_chart
from .metrics import _events

AGE_BUCKETS = (("0-30", 0, 30), ("31-90", 31, 90), ("90+", 91, None))
YEARS_SHOWN = 6


BEHIND_SHOWN = 20  # leaders behind the quota named on the dashboard; the board has them all
MEETINGS_SHOWN = 5  # sharing meetings of the quarter listed; the meetings page has them all


def _month_summary(quota: int, leaders) -> dict:
    """Done against quota for ``leaders``, [(person, title, done, required)] of one month."""
    due = [(leader, title, done, required) for leader, title, done, required in leaders if required]
    behind = [
        {"leader": leader, "title": title, "done": done, "required": required}
        for leader, title, done, required in due
        if done < required
    ]
    return {
        "quota": quota,
        "leaders": len(due),
        "met": len(due) - len(behind),
        "behind": behind,
        "behind_shown": behind[:BEHIND_SHOWN],
        "behind_more": max(len(behind) - BEHIND_SHOWN, 0),
        "done": sum(done for _leader, _title, done, _required in due),
    }


def visits_this_month(today: datetime.date) -> dict:
    """The compliance board's current month: done against quota, the leaders behind named.

    The home page needs this month alone, so only this month's visits are counted (a year's
    take most of a second at a city federation's 200,000 visits); the same rules as the
    board's: a leader in office in the month owes the quota. Two queries (the count of visits
    kept in the shared cache, see ``activities.visits.compliance.companies_visited``)."""
    month = month_start(today)
    quota = visits_per_month()
    visited = companies_visited(month, month_end(today))
    leaders = [
        (person, title, visited.get(person.pk, {}).get(month, 0), quota if month in seated else 0)
        for person, title, seated in leadership_in_year(today.year)
    ]
    return _month_summary(quota, leaders)


def board_this_month(board, today: datetime.date) -> dict:
    """The same figures as ``visits_this_month``, read off the year's board (no query)."""
    index = today.month - 1
    leaders = [
        (row.leader, row.title, row.cells[index].done, row.cells[index].required)
        for row in board.rows
    ]
    return _month_summary(board.quota, leaders)


def _quarter_bounds(today: datetime.date) -> tuple[int, datetime.date, datetime.date]:
    """The quarter of ``today``, its first day and the first day after it."""
    quarter = quarter_of(today)
    first = datetime.date(today.year, 3 * quarter - 2, 1)
    after = (
        datetime.date(today.year + 1, 1, 1)
        if quarter == 4
        else datetime.date(today.year, 3 * quarter + 1, 1)
    )
    return quarter, first, after


def quarter_meeting(today: datetime.date) -> dict:
    """This quarter's sharing meeting(s): held, planned or missing. One query."""
    quarter, first, after = _quarter_bounds(today)
    meetings = list(
        Event.objects.filter(
            kind=Event.Kind.SHARING,
            is_cancelled=False,
            starts_at__gte=local_midnight(first),
            starts_at__lt=local_midnight(after),
        )
        .only("title", "starts_at")
        .order_by("starts_at", "pk")
    )
    now = timezone.now()
    held = [m for m in meetings if m.starts_at <= now]
    planned = [m for m in meetings if m.starts_at > now]
    return {
        "quarter": quarter,
        "year": today.year,
        "held": held,
        "planned": planned,
        "held_shown": held[:MEETINGS_SHOWN],
        "held_more": max(len(held) - MEETINGS_SHOWN, 0),
        "planned_shown": planned[:MEETINGS_SHOWN],
        "planned_more": max(len(planned) - MEETINGS_SHOWN, 0),
    }


@count_of(Problem)
def _open_problems_by_category(today: datetime.date) -> dict:
    filters = {}
    for key, low, high in AGE_BUCKETS:
        condition = Q(raised_on__lte=today - datetime.timedelta(days=low))
        if high is not None:
            condition &= Q(raised_on__gte=today - datetime.timedelta(days=high))
        filters[key] = Count("category", filter=condition)
    # Counting a column that is never empty rather than the id: the problems' category, age
    # and due date are then enough to count, and an index on them suffices.
    return {
        row["category"]: row
        for row in Problem.objects.open()
        .values("category")
        .annotate(
            total=Count("category"),
            overdue=Count("category", filter=Q(due_on__lt=today)),
            **filters,
        )
        .order_by()
    }


def open_problems(today: datetime.date, rows: dict | None = None) -> dict:
    """Open problems by category and age in days since raised: one query, whose result is
    kept in the shared cache until a problem changes (core.counts; a city federation has
    300,000 problems). ``rows``: that result, when the caller read it already."""
    if rows is None:
        rows = counted(_open_problems_by_category, f"reports:open-problems:{today}", today)
    categories = []
    totals = defaultdict(int)
    for value, label in Problem.Category.choices:
        row = rows.get(value)
        if not row:
            continue
        ages = [row[key] for key, _low, _high in AGE_BUCKETS]
        categories.append(
            {
                "value": value,
                "label": label,
                "total": row["total"],
                "overdue": row["overdue"],
                "ages": ages,
            }
        )
        totals["total"] += row["total"]
        totals["overdue"] += row["overdue"]
        for key, count in zip([k for k, _l, _h in AGE_BUCKETS], ages, strict=True):
            totals[key] += count
    return {
        "categories": categories,
        "total": totals["total"],
        "overdue": totals["overdue"],
        "age_totals": [totals[key] for key, _low, _high in AGE_BUCKETS],
        "age_keys": [key for key, _low, _high in AGE_BUCKETS],
    }


def received_by_year(first: int, last: int) -> dict[int, Decimal]:
    """{year: donations received} from ``first`` to ``last``: one query, over those years'
    donations only."""
    rows = (
        Donation.objects.received()
        .filter(donated_on__year__gte=first, donated_on__year__lte=last)
        .annotate(year=ExtractYear("donated_on"))
        .values("year")
        .annotate(total=money_sum())
        .order_by()
    )
    return {row["year"]: yuan(row["total"]) for row in rows}


def donations(today: datetime.date) -> dict:
    """Received by year, this year against last: one query."""
    first = today.year - YEARS_SHOWN + 1
    years = received_by_year(first, today.year)
    rows = [(str(year), years.get(year, 0)) for year in range(first, today.year + 1)]
    return {
        "this_year": years.get(today.year) or 0,
        "last_year": years.get(today.year - 1) or 0,
        "rows": rows,
        "chart": bar_chart(rows),
    }


def membership(today: datetime.date) -> dict:
    """Member companies at the end of each of the last years, with joins and leavers.

    A company joins in the year of ``member_since`` (unknown: before the years shown); it
    leaves when its status first became 'left' in its history (a company entered as already
    left, with no such record, counts as left before the years shown). One query, counting
    the companies by year joined and year left in the database; the history is read only for
    the companies that left.
    """
    first_year = today.year - YEARS_SHOWN + 1
    before = first_year - 1
    first_left = (
        Company.history.filter(id=OuterRef("pk"), status=Company.Status.LEFT)
        .order_by()
        .values("id")
        .annotate(first=Min("history_date"))
        .values("first")
    )
    year_joined = ExtractYear("member_since")
    members = (
        Company.objects.exclude(status=Company.Status.LEFT)
        .annotate(joined=year_joined, left=Value(None, output_field=IntegerField()))
        .values_list("joined", "left")
        .annotate(number=Count("*"))
        .order_by()
    )
    # The year each company that left first had the status: 0 when its history has no record.
    gone = (
        Company.objects.filter(status=Company.Status.LEFT)
        .annotate(joined=year_joined, left=Coalesce(ExtractYear(Subquery(first_left)), 0))
        .values_list("joined", "left")
        .annotate(number=Count("*"))
        .order_by()
    )
    rows = members.union(gone, all=True)
    joins, leaves = defaultdict(int), defaultdict(int)
    for joined, left, number in rows:
        joins[max(joined or before, before)] += number
        if left is not None:
            leaves[max(left, before)] += number
    count = joins[before] - leaves[before]
    rows = []
    for year in range(first_year, today.year + 1):
        count += joins[year] - leaves[year]
        rows.append({"year": year, "joined": joins[year], "left": leaves[year], "count": count})
    return {"rows": rows, "chart": count_chart([(str(r["year"]), r["count"]) for r in rows])}


def attendance(year: int) -> dict:
    """Events held and attendance by type this year: one query."""
    by_kind, _leadership, _quarters = _events(year, timezone.now())
    rows = [
        {"kind": value, "label": label, "held": by_kind[value][0], "attended": by_kind[value][1]}
        for value, label in Event.Kind.choices
        if value in by_kind
    ]
    return {
        "rows": rows,
        "chart": hbar_chart((str(row["label"]), row["attended"]) for row in rows),
    }


def upcoming_events(roles, number: int = 5) -> list:
    """The next events the person may see, with their sign-up counts: one query, which picks
    the events before it counts their sign-ups (counting every event's first costs most of a
    second at a city federation's 500,000 sign-ups)."""
    following = (
        Event.objects.visible_to(roles).upcoming().order_by("starts_at", "pk").values("pk")[:number]
    )
    return list(Event.objects.filter(pk__in=following).with_counts().order_by("starts_at", "pk"))


# --- The figures as the pages read them: cached in parts (core.counts) -----------------------
#
# Each part names the tables it reads and is recomputed alone when one of them changes, or,
# for the parts that count events held (an event starting turns "planned" into "held" with no
# row written), when the next event starts. A page reads all its parts in one cache query.
# Only what the pages show is kept: the leaders behind the quota named on the page, not the
# hundreds a city federation has.

VISIT_TABLES = (VisitMonth, Position, Term, Person)  # the companies visited: the roll-up
MEMBERSHIP_TABLES = (Company, Company.history.model)  # the history: when a company left


def _compact(summary: dict) -> dict:
    """A month's summary as the pages show it: the leaders behind named up to the limit."""
    compact = {key: value for key, value in summary.items() if key != "behind"}
    compact["behind_count"] = len(summary["behind"])
    return compact


@count_of(*VISIT_TABLES)
def _month_part(today: datetime.date) -> dict:
    return _compact(visits_this_month(today))


@count_of(*VISIT_TABLES)
def _board_part(today: datetime.date) -> dict:
    board = compliance_board(today.year, today)
    month_rows = [
        (
            f"{total.month.month}",
            total.done,
            total.leaders * board.quota if total.state != "future" else None,
        )
        for total in board.totals
    ]
    return {
        "visits": _compact(board_this_month(board, today)),
        "visits_chart": count_chart(month_rows),
        "visit_months": month_rows,
    }


def _next_start(events, now: datetime.datetime) -> datetime.datetime | None:
    """When the first of ``events`` not yet started starts (None: none will): one query."""
    return (
        events.filter(is_cancelled=False, starts_at__gte=now)
        .order_by()
        .aggregate(first=Min("starts_at"))["first"]
    )


def next_meeting_start(today: datetime.date, now: datetime.datetime) -> datetime.datetime | None:
    """When the quarter's next sharing meeting starts, and is held from then on: one query."""
    _quarter, first, after = _quarter_bounds(today)
    sharing = Event.objects.filter(
        kind=Event.Kind.SHARING,
        starts_at__gte=local_midnight(first),
        starts_at__lt=local_midnight(after),
    )
    return _next_start(sharing, now)


@count_of(Event)
def _meeting_part(today: datetime.date) -> Expiring:
    now = timezone.now()  # before counting: a meeting starting meanwhile ends the value at once
    return Expiring(quarter_meeting(today), next_meeting_start(today, now))


@count_of(Event, Registration)
def _attendance_part(year: int) -> Expiring:
    now = timezone.now()
    _start, end = year_bounds(year)
    following = Event.objects.filter(starts_at__lt=end)
    return Expiring(attendance(year), _next_start(following, now))


@count_of(Donation)
def _donations_part(today: datetime.date) -> dict:
    return donations(today)


@count_of(*MEMBERSHIP_TABLES)
def _membership_part(today: datetime.date) -> dict:
    return membership(today)


@count_of(Bill, Payment)
def _dues_part(year: int) -> dict:
    return dues_summary(year)


def _stamp(today: datetime.date) -> str:
    """What every part's value depends on besides its tables: the day and the language (the
    charts and labels are translated when computed)."""
    return f"{today}:{get_language()}"


KEY_FIGURE_TABLES = (*VISIT_TABLES, Event, Donation)  # the tables key_figures() reads


def key_figures(request, today: datetime.date | None = None) -> dict:
    """The home page's short dashboard: one cache query once computed. (Open problems are on
    the home page already, in the visits app's section.)"""
    today = today or timezone.localdate()
    stamp = _stamp(today)
    visits, meeting, given = counted_all(
        (_month_part, f"reports:home-visits:{stamp}", today),
        (_meeting_part, f"reports:meeting:{stamp}", today),
        (_donations_part, f"reports:donations:{stamp}", today),
    )
    return {
        "today": today,
        "visits": visits,
        "meeting": meeting,
        "donated": given["this_year"],
    }


DASHBOARD_TABLES = (
    *VISIT_TABLES,
    Problem,
    Event,
    Registration,
    Donation,
    *MEMBERSHIP_TABLES,
    Bill,
    Payment,
)  # the tables dashboard() reads


@count_of(*DASHBOARD_TABLES)
def dashboard_page(request, today: datetime.date) -> Expiring:
    """The full dashboard's figures rendered (a thousand numbers and bars: most of the page's
    cost), kept until a table they read changes, an event starts (events held, the quarter's
    meeting) or one of the coming events listed ends."""
    now = timezone.now()  # before counting: an event starting meanwhile ends the value at once
    context = dashboard(request, today)
    html = get_template("reports/includes/_dashboard.html").render(context)
    moments = [event.ends_at for event in context["upcoming"]]
    moments.append(_next_start(Event.objects.all(), now))
    return Expiring(html, min((m for m in moments if m is not None), default=None))


def dashboard_page_name(roles, today: datetime.date) -> str:
    """What the rendered dashboard depends on besides its tables: the day, the language, and
    the events this viewer may see (the coming events listed)."""
    return f"reports:dashboard-page:{Event.objects.audiences_for(roles)}:{_stamp(today)}"


def dashboard(request, today: datetime.date | None = None) -> dict:
    """The full dashboard: one cache query for its figures once computed, one for the coming
    events (which depend on who looks)."""
    today = today or timezone.localdate()
    stamp = _stamp(today)
    board, problem_rows, meeting, attended, given, members, dues = counted_all(
        (_board_part, f"reports:board:{stamp}", today),
        (_open_problems_by_category, f"reports:open-problems:{today}", today),
        (_meeting_part, f"reports:meeting:{stamp}", today),
        (_attendance_part, f"reports:attendance:{today.year}:{stamp}", today.year),
        (_donations_part, f"reports:donations:{stamp}", today),
        (_membership_part, f"reports:membership:{stamp}", today),
        (_dues_part, f"reports:dues:{today.year}", today.year),
    )
    return {
        "today": today,
        **board,
        "problems": open_problems(today, problem_rows),
        "meeting": meeting,
        "upcoming": upcoming_events(request.roles),
        "attendance": attended,
        "donations": given,
        "membership": members,
        "dues": dues,
    }
