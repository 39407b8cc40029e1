"""What /charity/ and its lists show: what was received by year, form, campaign and pairing,
and the pairings by area, each in a fixed number of queries whatever the number of
donations."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Case,
    Count,
    F,
    OuterRef,
    Prefetch,
    Q,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import ExtractYear, RowNumber

from core import counts
from members.models import Company

from ..models import (
    Beneficiary,
    Campaign,
    ContributorPreference,
    Donation,
    Pairing,
    PairingKind,
    Project,
    derive_pairing_kind,
)
from ..money import yuan
from .charts import bar_chart, percent
from .givers import listed_contributors
from .sums import count_of, money_sum, sum_of

# /charity/ shows this much of each list; the rest is one link away, on a page of its own.
CAMPAIGNS_SHOWN = 10  # the newest campaigns, and the newest yearly visits
AREAS_SHOWN = 10
PAIRINGS_SHOWN_PER_AREA = 6


@dataclass
class DonationTotals:
    years: list  # [(year, received)] in year order
    by_form: list  # [(label, received)] for each form
    by_campaign_kind: list  # [(label, received)] for each kind of campaign that received any
    total: Decimal
    pledged: Decimal

    def received_in(self, year: int) -> Decimal:
        return dict(self.years).get(year, Decimal("0.00"))


def donation_totals() -> DonationTotals:
    """Received by year, by form and by kind of campaign, and what is pledged: one query
    grouped by year, form, status and campaign kind, a few dozen rows however many donations
    there are."""
    rows = (
        Donation.objects.annotate(year=ExtractYear("donated_on"))
        .values("year", "form", "status", "campaign__kind")
        .annotate(total=money_sum())
        .order_by()
    )
    years = defaultdict(lambda: Decimal("0.00"))
    forms = dict.fromkeys(Donation.Form.values, Decimal("0.00"))
    kinds = dict.fromkeys(Campaign.Kind.values, Decimal("0.00"))
    pledged = Decimal("0.00")
    for row in rows:
        amount = yuan(row["total"])
        if row["status"] == Donation.Status.PLEDGED:
            pledged += amount
            continue
        years[row["year"]] += amount
        forms[row["form"]] += amount
        if row["campaign__kind"]:
            kinds[row["campaign__kind"]] += amount
    return DonationTotals(
        years=sorted(years.items()),
        by_form=[(Donation.Form(form).label, amount) for form, amount in forms.items()],
        by_campaign_kind=[
            (Campaign.Kind(kind).label, amount) for kind, amount in kinds.items() if amount
        ],
        total=sum(years.values(), Decimal("0.00")),
        pledged=pledged,
    )


def with_campaign_totals(campaigns) -> list[Campaign]:
    """The campaigns, each with ``received``, ``pledged`` (outstanding), ``donor_count`` and
    its ``progress`` towards the goal: one query over these campaigns' donations alone."""
    campaigns = list(campaigns)
    rows = (
        Donation.objects.filter(campaign__in=campaigns)
        .values("campaign")
        .annotate(
            received=money_sum(status=Donation.Status.RECEIVED),
            pledged=money_sum(status=Donation.Status.PLEDGED),
            donor_count=Count("company", distinct=True, filter=Q(status=Donation.Status.RECEIVED)),
        )
        .order_by()
    )
    totals = {row["campaign"]: row for row in rows}
    for campaign in campaigns:
        row = totals.get(campaign.pk, {})
        campaign.received = yuan(row.get("received"))
        campaign.pledged = yuan(row.get("pledged"))
        campaign.donor_count = row.get("donor_count", 0)
        campaign.progress = percent(campaign.received, campaign.goal)
        campaign.progress_bar = min(campaign.progress, Decimal(100)) if campaign.progress else 0
    return campaigns


def recent_campaigns():
    """The newest CAMPAIGNS_SHOWN campaigns and yearly visits, with their totals, and how many
    of each there are: ``(campaigns, campaign_count, visits, visit_count)`` in two queries (a
    row number and a count per group, then the shown campaigns' totals)."""
    is_visit = Case(
        When(kind=Campaign.Kind.VISIT, then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )
    campaigns = with_campaign_totals(
        Campaign.objects.annotate(
            is_visit=is_visit,
            rank=Window(
                RowNumber(),
                partition_by=[is_visit],
                order_by=[F("starts_on").desc(), F("name").asc()],
            ),
            group_size=Window(Count("pk"), partition_by=[is_visit]),
        )
        .filter(rank__lte=CAMPAIGNS_SHOWN)
        .order_by("-starts_on", "name")
    )
    shown = [c for c in campaigns if not c.is_visit]
    visits = [c for c in campaigns if c.is_visit]
    return (
        shown,
        shown[0].group_size if shown else 0,
        visits,
        visits[0].group_size if visits else 0,
    )


def received_by_pairing():
    """What the pairing in the outer query received: a subquery on the (pairing, status)
    index."""
    return sum_of(
        Donation.objects.received().filter(pairing=OuterRef("pk")).order_by().values("pairing")
    )


def pairings_with_totals(queryset=None):
    """Pairings with their derived kind, their beneficiary and campaign, and ``received``, the
    total received for them: one query."""
    queryset = Pairing.objects.all() if queryset is None else queryset
    return (
        queryset.with_kind()
        .select_related("beneficiary", "campaign")
        .annotate(received=received_by_pairing())
    )


def pairing_kind_totals() -> list[dict]:
    """For each kind of pairing (一企一村, 多企一村 …) the number of pairings and what they
    received: one query grouped by the derived kind."""
    rows = (
        Pairing.objects.with_kind()
        .order_by()
        .values("kind_code")
        .annotate(count=Count("pk"), received=Sum(received_by_pairing()))
    )
    by_kind = {row["kind_code"]: row for row in rows}
    return [
        {
            "kind": kind,
            "label": kind.label,
            "count": by_kind.get(kind, {}).get("count", 0),
            "received": yuan(by_kind.get(kind, {}).get("received")),
        }
        for kind in PairingKind
    ]


def pairing_areas():
    """Pairings by the beneficiary's area, most first: the number of pairings, of companies
    and of protected ones (students, people in need: counted, never named), and up to
    PAIRINGS_SHOWN_PER_AREA named pairings, newest first, in the first AREAS_SHOWN areas.
    Returns ``(areas, more_areas)`` in three queries."""
    areas = list(
        Pairing.objects.values(name=F("beneficiary__area"))
        .annotate(
            count=Count("pk", distinct=True),
            protected=Count("pk", distinct=True, filter=Q(beneficiary__is_sensitive=True)),
            company_count=Count("companies", distinct=True),
        )
        .order_by("-count", "name")
    )
    shown = {area["name"]: {**area, "pairings": []} for area in areas[:AREAS_SHOWN]}
    pairings = (
        Pairing.objects.filter(beneficiary__is_sensitive=False, beneficiary__area__in=shown)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("beneficiary__area")],
                order_by=[F("starts_on").desc(), F("pk").asc()],
            )
        )
        .filter(rank__lte=PAIRINGS_SHOWN_PER_AREA)
        .select_related("beneficiary")
        .prefetch_related(Prefetch("companies", queryset=Company.objects.only("pk", "name")))
        .order_by("-starts_on", "pk")
    )
    for pairing in pairings:
        pairing.kind_code = derive_pairing_kind(
            pairing.beneficiary.kind, len(pairing.companies.all())
        )
        shown[pairing.beneficiary.area]["pairings"].append(pairing)
    for area in shown.values():
        area["more"] = area["count"] - area["protected"] - len(area["pairings"])
    return list(shown.values()), len(areas) - len(shown)


@counts.count_of(  # what /charity/'s figures read (cached, core.counts)
    Donation,
    Campaign,
    Pairing,
    Pairing.companies.through,
    Project,
    Beneficiary,
    ContributorPreference,
    Company,
)
def overview(today: datetime.date) -> dict:
    """Everything /charity/ shows: aggregates computed in the database and the first few rows
    of each list, in a fixed number of queries (nine) whatever the number of donations."""
    totals = donation_totals()
    campaigns, campaign_count, visits, visit_count = recent_campaigns()
    by_pairing_kind = pairing_kind_totals()
    areas, more_areas = pairing_areas()
    village_kinds = {PairingKind.ONE_COMPANY_ONE_VILLAGE, PairingKind.COMPANIES_ONE_VILLAGE}
    return {
        "total": totals.total,
        "this_year": totals.received_in(today.year),
        "pledged": totals.pledged,
        "years": totals.years,
        "chart": bar_chart((str(year), amount) for year, amount in totals.years),
        "by_form": totals.by_form,
        "by_campaign_kind": totals.by_campaign_kind,
        "campaigns": campaigns,
        "campaign_count": campaign_count,
        "visits": visits,
        "visit_count": visit_count,
        "by_pairing_kind": by_pairing_kind,
        "pairing_count": sum(kind["count"] for kind in by_pairing_kind),
        "village_count": sum(k["count"] for k in by_pairing_kind if k["kind"] in village_kinds),
        "areas": areas,
        "more_areas": more_areas,
        **listed_contributors(),
    }


# --- A campaign's pairings --------------------------------------------------------------------

CAMPAIGN_PAIRINGS_SHOWN = 30


def campaigns_with_pairing_counts():
    """Campaigns with the number of pairings they formed that may be named
    (``named_pairings``), of protected ones (``protected_pairings``), and of projects those
    pairings completed (``done_projects``): subqueries, run for the campaigns fetched alone."""
    pairings = Pairing.objects.filter(campaign=OuterRef("pk")).order_by().values("campaign")
    done = (
        Project.objects.filter(pairing__campaign=OuterRef("pk"), status=Project.Status.DONE)
        .order_by()
        .values("pairing__campaign")
    )
    return Campaign.objects.annotate(
        named_pairings=count_of(pairings.filter(beneficiary__is_sensitive=False)),
        protected_pairings=count_of(pairings.filter(beneficiary__is_sensitive=True)),
        done_projects=count_of(done),
    )


class KnownCount:
    """A queryset whose length an aggregate has already told, so that a paginator need not
    count (aggregate) it once more."""

    def __init__(self, queryset, count: int):
        self.queryset = queryset
        self.known_count = count

    def count(self) -> int:
        return self.known_count

    def __getitem__(self, key):
        return self.queryset[key]
