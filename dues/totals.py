"""Dues in figures: billed against collected by year and tier, the arrears by company, and the
summary of a year that the dashboard and the 四好 report read (``year_summary``).

Each costs a fixed number of queries whatever the number of bills. Sums come back from the
database exactly (PostgreSQL) or as binary floats (SQLite): ``yuan`` makes both the same
amount to the fen.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.money import yuan
from members.models import Company

from .models import HALF_FEN, Bill, Payment

TIER_ORDER = {tier: index for index, tier in enumerate(Company.Tier.values)}


@dataclass
class Row:
    year: int
    tier: str
    bills: int
    billed: Decimal
    collected: Decimal

    @property
    def tier_label(self) -> str:
        return Company.Tier(self.tier).label if self.tier in Company.Tier.values else self.tier

    @property
    def outstanding(self) -> Decimal:
        return max(self.billed - self.collected, yuan(0))

    @property
    def rate(self) -> int | None:
        """The percentage collected, whole; None when nothing was billed."""
        if not self.billed:
            return None
        return int(self.collected * 100 / self.billed)


def by_year_and_tier(years=None) -> list[Row]:
    """Billed and collected for each year and tier (the tier of the bill's standard), newest
    year first: two queries."""
    bills = Bill.objects.order_by()
    payments = Payment.objects.order_by()
    if years is not None:
        bills, payments = bills.filter(year__in=years), payments.filter(bill__year__in=years)
    tier = Coalesce("standard__tier", "company__tier")
    billed = bills.values("year", tier=tier).annotate(n=Count("*"), total=Sum("amount"))
    collected = {
        (row["bill__year"], row["tier"]): row["total"]
        for row in payments.values(
            "bill__year", tier=Coalesce("bill__standard__tier", "bill__company__tier")
        ).annotate(total=Sum("amount"))
    }
    rows = [
        Row(
            year=row["year"],
            tier=row["tier"],
            bills=row["n"],
            billed=yuan(row["total"]),
            collected=yuan(collected.get((row["year"], row["tier"]))),
        )
        for row in billed
    ]
    rows.sort(key=lambda row: (-row.year, TIER_ORDER.get(row.tier, 99)))
    return rows


def by_year(rows: list[Row]) -> list[Row]:
    """The rows of ``by_year_and_tier`` added up per year."""
    years: dict[int, Row] = {}
    for row in rows:
        total = years.setdefault(row.year, Row(row.year, "", 0, yuan(0), yuan(0)))
        total.bills += row.bills
        total.billed += row.billed
        total.collected += row.collected
    return sorted(years.values(), key=lambda row: -row.year)


def year_summary(year: int) -> dict:
    """The year's dues for the dashboard and the 四好 report's 自律规范好: billed, collected,
    the rate, and the companies billed, paid in full and exempt. One query."""
    bills = Bill.objects.filter(year=year).with_paid().order_by()
    counts = bills.aggregate(
        companies=Count("*"),
        paid_in_full=Count("pk", filter=Q(amount__gt=0, outstanding__lt=HALF_FEN)),
        exempt=Count("pk", filter=Q(amount=0, adjustment__isnull=False)),
        billed=Sum("amount"),
        collected=Sum("paid"),
    )
    billed, collected = yuan(counts["billed"]), yuan(counts["collected"])
    return {
        "year": year,
        "billed": billed,
        "collected": collected,
        "outstanding": max(billed - collected, yuan(0)),
        "rate": int(collected * 100 / billed) if billed else None,
        "companies": counts["companies"],
        "paid_in_full": counts["paid_in_full"],
        "exempt": counts["exempt"],
    }


def arrears(today: datetime.date | None = None):
    """Companies with an overdue bill not paid in full, the longest overdue first: each with
    ``oldest_due`` (the due date of its oldest such bill), ``open_bills`` and ``owed`` (what
    those bills still ask). One query (and one to count, when paginated)."""
    today = today or timezone.localdate()
    overdue = Bill.objects.filter(company=OuterRef("pk"), due_on__lt=today).open().order_by()
    money = DecimalField(max_digits=14, decimal_places=2)
    oldest = overdue.order_by("due_on").values("due_on")[:1]
    count = overdue.values("company").annotate(n=Count("*")).values("n")
    owed = overdue.values("company").annotate(total=Sum("outstanding")).values("total")
    # The companies with such a bill first (a semi-join over the bills): the subqueries then
    # run for those companies only, not for each of a city's 20,000 (3.5 s).
    owing = Bill.objects.filter(due_on__lt=today).open().order_by().values("company")
    return (
        Company.objects.filter(pk__in=owing)
        .annotate(oldest_due=Subquery(oldest))
        .filter(oldest_due__isnull=False)
        .annotate(
            open_bills=Coalesce(Subquery(count), Value(0)),
            owed=Coalesce(
                Subquery(owed, output_field=money), Value(Decimal("0")), output_field=money
            ),
        )
        .only("pk", "name", "tier", "status")
        .order_by("oldest_due", "name_pinyin", "pk")
    )


def age_in_days(oldest_due: datetime.date, today: datetime.date | None = None) -> int:
    return ((today or timezone.localdate()) - oldest_due).days
