"""What the president, the secretariat and supervisors see at a glance: the dashboard.

``key_figures`` is the short version on the home page; ``dashboard`` the full page. Both run a
fixed number of queries whatever the number of leaders, visits, problems, events or members.
"""

import datetime
from collections import defaultdict

from django.db.models import Count, Min, Q
from django.utils import timezone

from activities.compliance import compliance_board
from activities.models import Event, Problem
from activities.models.events import quarter_of
from charity.services import bar_chart, totals_by_year
from members.models import Company

from .charts import count_chart, hbar_chart
from .metrics import _events, local_midnight

AGE_BUCKETS = (("0-30", 0, 30), ("31-90", 31, 90), ("90+", 91, None))
YEARS_SHOWN = 6


def visits_this_month(today: datetime.date) -> dict:
    """The compliance board's current month: done against quota, the leaders behind named.
    Three queries; the board is returned too for the per-month chart."""
    board = compliance_board(today.year, today)
    index = today.month - 1
    due = [(row, row.cells[index]) for row in board.rows if row.cells[index].required]
    behind = [
        {"leader": row.leader, "title": row.title, "done": cell.done, "required": cell.required}
        for row, cell in due
        if cell.done < cell.required
    ]
    return {
        "board": board,
        "quota": board.quota,
        "leaders": len(due),
        "met": len(due) - len(behind),
        "behind": behind,
        "done": sum(cell.done for _row, cell in due),
    }


def quarter_meeting(today: datetime.date) -> dict:
    """This quarter's sharing meeting(s): held, planned or missing. One query."""
    quarter = quarter_of(today)
    first = datetime.date(today.year, 3 * quarter - 2, 1)
    after = (
        datetime.date(today.year + 1, 1, 1)
        if quarter == 4
        else datetime.date(today.year, 3 * quarter + 1, 1)
    )
    meetings = list(
        Event.objects.filter(
            kind=Event.Kind.SHARING,
            is_cancelled=False,
            starts_at__gte=local_midnight(first),
            starts_at__lt=local_midnight(after),
        ).order_by("starts_at")
    )
    now = timezone.now()
    held = [m for m in meetings if m.starts_at <= now]
    planned = [m for m in meetings if m.starts_at > now]
    return {"quarter": quarter, "year": today.year, "held": held, "planned": planned}


def open_problems(today: datetime.date) -> dict:
    """Open problems by category and age in days since raised: one query."""
    filters = {}
    for key, low, high in AGE_BUCKETS:
        condition = Q(raised_on__lte=today - datetime.timedelta(days=low))
        if high is not None:
            condition &= Q(raised_on__gte=today - datetime.timedelta(days=high))
        filters[key] = Count("pk", filter=condition)
    rows = {
        row["category"]: row
        for row in Problem.objects.open()
        .values("category")
        .annotate(total=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)), **filters)
        .order_by()
    }
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


def donations(today: datetime.date) -> dict:
    """Received by year, this year against last: one query."""
    years = dict(totals_by_year())
    shown = [year for year in range(today.year - YEARS_SHOWN + 1, today.year + 1)]
    rows = [(str(year), years.get(year, 0)) for year in shown]
    this_year = years.get(today.year)
    last_year = years.get(today.year - 1)
    return {
        "this_year": this_year or 0,
        "last_year": last_year or 0,
        "rows": rows,
        "chart": bar_chart(rows),
    }


def membership(today: datetime.date) -> dict:
    """Member companies at the end of each of the last years, with joins and leavers.

    A company joins in the year of ``member_since`` (unknown: before the years shown); it
    leaves when its status first became 'left' in its history (a company entered as already
    left, with no such record, counts as left before the years shown). Two queries.
    """
    first_year = today.year - YEARS_SHOWN + 1
    left_at = {
        row["id"]: row["first"].year
        for row in Company.history.filter(status=Company.Status.LEFT)
        .values("id")
        .annotate(first=Min("history_date"))
        .order_by()
    }
    joins, leaves = defaultdict(int), defaultdict(int)
    for pk, status, member_since in Company.objects.values_list("pk", "status", "member_since"):
        joined = member_since.year if member_since else first_year - 1
        joins[max(joined, first_year - 1)] += 1
        if status == Company.Status.LEFT:
            left = max(left_at.get(pk, first_year - 1), first_year - 1)
            leaves[left] += 1
    count = joins[first_year - 1] - leaves[first_year - 1]
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


def key_figures(request, today: datetime.date | None = None) -> dict:
    """The home page's short dashboard: five queries. (Open problems are on the home page
    already, in the visits app's section.)"""
    today = today or timezone.localdate()
    return {
        "today": today,
        "visits": visits_this_month(today),
        "meeting": quarter_meeting(today),
        "donations": donations(today),
    }


def dashboard(request, today: datetime.date | None = None) -> dict:
    """The full dashboard: a fixed number of queries (about ten)."""
    today = today or timezone.localdate()
    visits = visits_this_month(today)
    board = visits["board"]
    month_rows = [
        (
            f"{total.month.month}",
            total.done,
            total.leaders * board.quota if total.state != "future" else None,
        )
        for total in board.totals
    ]
    upcoming = list(
        Event.objects.visible_to(request.roles).upcoming().with_counts().order_by("starts_at")[:5]
    )
    return {
        "today": today,
        "visits": visits,
        "visits_chart": count_chart(month_rows),
        "visit_months": month_rows,
        "problems": open_problems(today),
        "meeting": quarter_meeting(today),
        "upcoming": upcoming,
        "attendance": attendance(today.year),
        "donations": donations(today),
        "membership": membership(today),
    }
