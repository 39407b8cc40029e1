"""Reads of the visit rule: who visited how many member companies in which month, and which
companies have gone longest without a visit.

A leader's visit counts for every leader who went: the one who logged it and the fellow leaders
who came along. The rule is about companies (每月至少走访2家会员企业), so two visits to the same
company in one month count once. Dates of visits are calendar dates in Asia/Shanghai, so a
month is simply the dates from its 1st to its last day.

Every function here runs a fixed number of queries, whatever the number of leaders, months,
visits and companies.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import F, Max
from django.db.models.functions import TruncMonth
from django.utils import timezone

from chamber.models import Position
from members.models import Company, Person

from .models import Assignment, Visit, month_end, month_start, visits_per_month


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later (or earlier), kept within the target month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    first = datetime.date(year, month + 1, 1)
    return first.replace(day=min(day.day, month_end(first).day))


def companies_visited(start: datetime.date, end: datetime.date, person_ids=None):
    """{person id: {first day of month: number of member companies visited}} between two dates.

    One query, counted by the database: the visits people logged and those they came along on,
    as one UNION ALL, grouped by person and month with each company counted once. (Loading the
    visits to count them in Python costs a second at a city federation's 200,000 visits.)
    """
    led = Visit.objects.filter(visited_on__range=(start, end))
    joined = Visit.companions.through.objects.filter(visit__visited_on__range=(start, end))
    if person_ids is not None:
        led = led.filter(leader_id__in=person_ids)
        joined = joined.filter(person_id__in=person_ids)
    led = (
        led.annotate(p=F("leader_id"), c=F("company_id"), m=TruncMonth("visited_on"))
        .order_by()
        .values_list("p", "c", "m")
    )
    joined = (
        joined.annotate(
            p=F("person_id"), c=F("visit__company_id"), m=TruncMonth("visit__visited_on")
        )
        .order_by()
        .values_list("p", "c", "m")
    )
    sql, params = led.union(joined, all=True).query.sql_with_params()
    result = defaultdict(lambda: defaultdict(int))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT p, m, COUNT(DISTINCT c) FROM ({sql}) visited GROUP BY p, m", params)
        for person_id, month, count in cursor.fetchall():
            result[person_id][_as_date(month)] = count
    return result


def _as_date(value) -> datetime.date:
    """A truncated month as the database returns it outside the ORM (a date, a datetime, or
    on SQLite a string)."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, str):
        return datetime.date.fromisoformat(value[:10])
    return value


def month_count(person: Person, today: datetime.date | None = None) -> int:
    """How many member companies a person visited this month (one query)."""
    today = today or timezone.localdate()
    visited = companies_visited(month_start(today), month_end(today), [person.pk])
    return visited[person.pk][month_start(today)]


@dataclass
class Cell:
    month: datetime.date
    done: int
    required: int
    state: str  # met, short, current (this month, not yet met), future, none (not a leader)

    @property
    def is_due(self) -> bool:
        return self.state in ("met", "short")


@dataclass
class Row:
    leader: Person
    title: str
    cells: list[Cell]

    @property
    def done(self) -> int:
        return sum(cell.done for cell in self.cells)

    @property
    def months_met(self) -> int:
        return sum(1 for cell in self.cells if cell.state == "met")

    @property
    def months_due(self) -> int:
        """Months past (and this month once met) in which the rule applied."""
        return sum(1 for cell in self.cells if cell.is_due)

    @property
    def months_short(self) -> int:
        return sum(1 for cell in self.cells if cell.state == "short")


@dataclass
class MonthTotal:
    month: datetime.date
    done: int = 0
    met: int = 0
    leaders: int = 0
    state: str = "future"


@dataclass
class Board:
    year: int
    quota: int
    months: list[datetime.date]
    rows: list[Row] = field(default_factory=list)
    totals: list[MonthTotal] = field(default_factory=list)

    @property
    def done(self) -> int:
        return sum(row.done for row in self.rows)

    @property
    def months_met(self) -> int:
        return sum(row.months_met for row in self.rows)

    @property
    def months_due(self) -> int:
        return sum(row.months_due for row in self.rows)


def cell_state(month: datetime.date, done: int, quota: int, today: datetime.date) -> str:
    if month > today:
        return "future"
    if done >= quota:
        return "met"
    if month == month_start(today):
        return "current"
    return "short"


def leadership_in_year(year: int):
    """[(person, best title, {months in which they held a leadership seat})], ordered as on
    the org chart. One query."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    positions = Position.objects.filter(
        title__in=Position.LEADERSHIP_TITLES, term__starts_on__lte=end, term__ends_on__gte=start
    ).select_related("person", "term")
    people = {}
    for position in positions:
        person, term = position.person, position.term
        entry = people.setdefault(
            person.pk, {"person": person, "rank": (99, 0), "title": "", "months": set()}
        )
        rank = (Position.TITLE_RANK.get(position.title, 99), position.order)
        if entry["title"] == "" or rank < entry["rank"]:
            entry.update(rank=rank, title=position.get_title_display())
        for number in range(1, 13):
            month = datetime.date(year, number, 1)
            if term.starts_on <= month_end(month) and term.ends_on >= month:
                entry["months"].add(month)
    ordered = sorted(people.values(), key=lambda e: (e["rank"], e["person"].name))
    return [(e["person"], e["title"], e["months"]) for e in ordered]


def compliance_board(year: int, today: datetime.date | None = None) -> Board:
    """Leaders × the year's twelve months: companies visited against the quota. Three queries."""
    today = today or timezone.localdate()
    quota = visits_per_month()
    months = [datetime.date(year, number, 1) for number in range(1, 13)]
    board = Board(year=year, quota=quota, months=months)
    leadership = leadership_in_year(year)
    visited = companies_visited(months[0], datetime.date(year, 12, 31))
    totals = {month: MonthTotal(month, state=cell_state(month, 0, 1, today)) for month in months}
    for person, title, seated in leadership:
        cells = []
        for month in months:
            done = visited[person.pk][month] if person.pk in visited else 0
            if month not in seated:
                cells.append(Cell(month, done, 0, "none"))
                continue
            state = cell_state(month, done, quota, today)
            cells.append(Cell(month, done, quota, state))
            total = totals[month]
            total.done += done
            total.leaders += 1
            total.met += state == "met"
        board.rows.append(Row(person, title, cells))
    board.totals = [totals[month] for month in months]
    return board


def leader_year(person: Person, today: datetime.date | None = None) -> list[Cell]:
    """One leader's months of this year, for their own page (two queries)."""
    today = today or timezone.localdate()
    quota = visits_per_month()
    visited = companies_visited(datetime.date(today.year, 1, 1), month_end(today), [person.pk])
    cells = []
    for number in range(1, 13):
        month = datetime.date(today.year, number, 1)
        done = visited[person.pk][month] if person.pk in visited else 0
        cells.append(Cell(month, done, quota, cell_state(month, done, quota, today)))
    return cells


@dataclass
class CoverageBucket:
    key: str
    months: int
    companies: list = field(default_factory=list)


def coverage(today: datetime.date | None = None) -> list[CoverageBucket]:
    """Active member companies not visited for 12 months or more (or never), for 6 to 12
    months, and for 3 to 6 months; each with its last visit and responsible leaders.
    Two queries."""
    today = today or timezone.localdate()
    companies = list(
        Company.objects.active()
        .annotate(last_visit=Max("visits__visited_on"))
        .only("name", "name_pinyin")
        .order_by(F("last_visit").asc(nulls_first=True), "name_pinyin")
    )
    leaders = defaultdict(list)
    for company_id, name in (
        Assignment.objects.current(today)
        .order_by("leader__name")
        .values_list("company_id", "leader__name")
    ):
        leaders[company_id].append(name)
    buckets = [CoverageBucket("12", 12), CoverageBucket("6", 6), CoverageBucket("3", 3)]
    for company in companies:
        company.leader_names = leaders.get(company.pk, [])
        for bucket in buckets:
            if company.last_visit is None or company.last_visit <= add_months(
                today, -bucket.months
            ):
                bucket.companies.append(company)
                break
    return buckets
