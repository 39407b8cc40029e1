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
from dataclasses import dataclass, field

from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language

from chamber.models import Position, Term
from core.counts import count_of, counted
from core.time import add_months, month_end, month_start
from members.models import Company, Person

from ..models import Assignment, CompanyLastVisit, VisitMonth, visits_per_month


def companies_visited(start: datetime.date, end: datetime.date, person_ids=None) -> dict:
    """{person id: {first day of month: number of member companies visited}} for the months
    from ``start``'s to ``end``'s.

    Read from the roll-up ``VisitMonth`` (activities.visits.rollups), kept on every write of a
    visit: a few thousand small rows for everyone's year, where counting the raw visits (a
    city federation's 100,000 a year) took PostgreSQL most of a second after each visit
    logged. For everyone (``person_ids`` None: the board, the dashboard, the 四好 report) the
    result is also kept in the shared cache until the roll-up changes. One query.
    """
    if person_ids is None:
        return counted(_read_visited, f"companies_visited:{start}:{end}", start, end, None)
    return _read_visited(start, end, person_ids)


@count_of(VisitMonth)
def _read_visited(start: datetime.date, end: datetime.date, person_ids) -> dict:
    rows = VisitMonth.objects.filter(month__gte=month_start(start), month__lte=end)
    if person_ids is not None:
        rows = rows.filter(person_id__in=person_ids)
    result = {}
    for person_id, month, count in rows.order_by().values_list("person_id", "month", "companies"):
        result.setdefault(person_id, {})[month] = count
    return result


def month_count(person: Person, today: datetime.date | None = None) -> int:
    """How many member companies a person visited this month (one query)."""
    today = today or timezone.localdate()
    visited = companies_visited(month_start(today), month_end(today), [person.pk])
    return visited.get(person.pk, {}).get(month_start(today), 0)


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

    @property
    def short_cells(self) -> list[Cell]:
        return [cell for cell in self.cells if cell.state == "short"]


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
    the org chart; each person with their pk and name only. One cache read (the seats are
    kept in the shared cache until a seat, a term or a person changes, so that recounting
    the board after a visit does not read 1,300 seats again)."""
    titles = {value: str(label) for value, label in Position.Title.choices}
    return [
        (Person(pk=pk, name=name), titles.get(title, title), set(months))
        for pk, name, title, months in counted(_leadership, f"leadership:{year}", year)
    ]


@count_of(Position, Term, Person)
def _leadership(year: int) -> list[tuple]:
    """[(person id, name, best title's value, months)]: plain values, the same in every
    language (the titles are translated as they are read)."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    positions = Position.objects.filter(
        title__in=Position.LEADERSHIP_TITLES, term__starts_on__lte=end, term__ends_on__gte=start
    ).values_list(
        "person_id", "person__name", "title", "order", "term_id", "term__starts_on", "term__ends_on"
    )
    year_months = [datetime.date(year, number, 1) for number in range(1, 13)]
    term_months = {}  # the months of the year each term covers
    people = {}
    for person_id, name, title, order, term_id, starts_on, ends_on in positions:
        entry = people.setdefault(
            person_id,
            {"pk": person_id, "name": name, "rank": (99, 0), "title": "", "months": set()},
        )
        rank = (Position.TITLE_RANK.get(title, 99), order)
        if entry["title"] == "" or rank < entry["rank"]:
            entry.update(rank=rank, title=title)
        if term_id not in term_months:
            term_months[term_id] = {
                month for month in year_months if starts_on <= month_end(month) and ends_on >= month
            }
        entry["months"] |= term_months[term_id]
    ordered = sorted(people.values(), key=lambda e: (e["rank"], e["name"]))
    return [(e["pk"], e["name"], e["title"], tuple(sorted(e["months"]))) for e in ordered]


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
            done = visited.get(person.pk, {}).get(month, 0)
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


@dataclass
class BoardFigures:
    """The compliance board as the page shows it, in plain values that cache cheaply: every
    leader's row as ``(person id, name, title, ((state, done, required), ...))`` in board
    order, the months' totals and the year's."""

    year: int
    quota: int
    months: list[datetime.date]
    rows: list[tuple]
    totals: list[MonthTotal]
    done: int
    months_met: int
    months_due: int

    def rows_of(self, compact_rows) -> list[Row]:
        """Full rows for a page of the compact ones (a page is 30 of 400 leaders)."""
        return [
            Row(
                Person(pk=pk, name=name),
                title,
                [
                    Cell(month, done, required, state)
                    for month, (state, done, required) in zip(self.months, cells, strict=True)
                ],
            )
            for pk, name, title, cells in compact_rows
        ]


@count_of(Position, Term, Person, VisitMonth)
def _board_figures(year: int, today: datetime.date) -> BoardFigures:
    board = compliance_board(year, today)
    return BoardFigures(
        year=board.year,
        quota=board.quota,
        months=board.months,
        rows=[
            (
                row.leader.pk,
                row.leader.name,
                row.title,
                tuple((cell.state, cell.done, cell.required) for cell in row.cells),
            )
            for row in board.rows
        ],
        totals=board.totals,
        done=board.done,
        months_met=board.months_met,
        months_due=board.months_due,
    )


def board_figures(year: int, today: datetime.date | None = None) -> BoardFigures:
    """``compliance_board()`` for the board page, kept in the shared cache until a visit, a
    seat, a term or a person changes (core.counts): a city federation's 400 leaders × 12
    months cost the page most of its time to build on every request."""
    today = today or timezone.localdate()
    # The leaders' titles are in the language of the page: one value per language.
    key = f"board_figures:{year}:{today}:{get_language()}"
    return counted(_board_figures, key, year, today)


def leader_year(person: Person, today: datetime.date | None = None) -> list[Cell]:
    """One leader's months of this year, for their own page (two queries)."""
    today = today or timezone.localdate()
    quota = visits_per_month()
    visited = companies_visited(datetime.date(today.year, 1, 1), month_end(today), [person.pk])
    cells = []
    for number in range(1, 13):
        month = datetime.date(today.year, number, 1)
        done = visited.get(person.pk, {}).get(month, 0)
        cells.append(Cell(month, done, quota, cell_state(month, done, quota, today)))
    return cells


def last_visited():
    """A company's last visit, as an annotation: read from the roll-up ``CompanyLastVisit``
    (kept on write, activities.visits.rollups), where probing every company's visits took
    PostgreSQL 0.2 s for a city federation's 20,000 companies."""
    return F("latest_visit__visited_on")


@count_of(VisitMonth, CompanyLastVisit, Assignment, Term, Company)
def _leader_figures(person_id: int, today: datetime.date):
    year = leader_year(Person(pk=person_id), today)
    companies = list(
        Company.objects.filter(
            pk__in=Assignment.objects.current(today)
            .filter(leader_id=person_id)
            .values("company_id")
        )
        .annotate(last_visit=last_visited())
        .order_by(F("last_visit").asc(nulls_first=True), "name_pinyin")
        .values_list("pk", "name", "last_visit")
    )
    return year, companies


def leader_figures(person: Person, today: datetime.date | None = None):
    """A leader's own page: their months of this year (``leader_year``) and the companies
    they are responsible for in the term in force, as ``(id, name, last visit)``, the longest
    without a visit first. Kept in the shared cache (core.counts) until a visit, an
    assignment, a term or a company changes: two queries become one cache read."""
    today = today or timezone.localdate()
    return counted(_leader_figures, f"leader_figures:{person.pk}:{today}", person.pk, today)


@dataclass
class Uncovered:
    """A member company in a coverage list: its last visit and its responsible leaders."""

    pk: int
    name: str
    last_visit: datetime.date | None
    leader_names: list[str] = field(default_factory=list)

    def get_absolute_url(self) -> str:
        return reverse("members:company_detail", args=[self.pk])


@dataclass
class CoverageBucket:
    key: str
    months: int
    count: int = 0
    companies: list[Uncovered] = field(default_factory=list)

    @property
    def more(self) -> int:
        """Companies in the bucket beyond those listed."""
        return self.count - len(self.companies)


# The leaders responsible for a company are those of the term in force (Term), by name (Person).
@count_of(Company, CompanyLastVisit, Assignment, Term, Person)
def coverage(today: datetime.date | None = None, limit: int | None = None):
    """Active member companies not visited for 12 months or more (or never), for 6 to 12
    months, and for 3 to 6 months, longest first; each bucket counts all its companies and
    lists the first ``limit`` (all when None) with their last visit and responsible leaders.
    Two queries. The companies are read as plain rows with their last visit from the roll-up
    ``CompanyLastVisit``, those visited in the last three months left out by the database
    (a quarter of a city federation's 20,000 are in a bucket)."""
    today = today or timezone.localdate()
    buckets = [CoverageBucket("12", 12), CoverageBucket("6", 6), CoverageBucket("3", 3)]
    cutoffs = [(bucket, add_months(today, -bucket.months)) for bucket in buckets]
    rows = (
        Company.objects.active()
        .filter(Q(latest_visit__isnull=True) | Q(latest_visit__visited_on__lte=cutoffs[-1][1]))
        .annotate(last_visit=last_visited())
        .order_by(F("last_visit").asc(nulls_first=True), "name_pinyin")
        .values_list("pk", "name", "last_visit")
    )
    listed = {}
    for pk, name, last_visit in rows.iterator(chunk_size=5000):
        for bucket, cutoff in cutoffs:
            if last_visit is None or last_visit <= cutoff:
                bucket.count += 1
                if limit is None or len(bucket.companies) < limit:
                    listed[pk] = Uncovered(pk, name, last_visit)
                    bucket.companies.append(listed[pk])
                break
    for company_id, name in (
        Assignment.objects.current(today)
        .filter(company_id__in=list(listed) if limit is not None else Company.objects.active())
        .order_by("leader__name")
        .values_list("company_id", "leader__name")
    ):
        if company_id in listed:
            listed[company_id].leader_names.append(name)
    return buckets
