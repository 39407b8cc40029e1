"""What the charity pages and other apps (the journal, reports) ask of charity: who may see a
beneficiary's name, the log of unmasked views, the consent rule, and the totals.

Totals are summed in the database on the Decimal column and quantized to the fen
(``money.yuan``), never added up in Python from floats.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DecimalField,
    F,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, ExtractYear, RowNumber

from core import counts
from core.rules import allows
from members.models import Company

from .models import (
    Beneficiary,
    Campaign,
    ContributorPreference,
    Donation,
    Pairing,
    PairingKind,
    Project,
    UnmaskLog,
    derive_pairing_kind,
    mask_name,
)
from .money import yuan

MONEY = DecimalField(max_digits=14, decimal_places=2)
ZERO = Value(Decimal("0.00"), output_field=MONEY)


def money_sum(expression="amount", *, filter=None, **filter_kwargs):
    """Sum(amount) as Decimal, zero when there is nothing to add; only the rows matching
    ``filter`` (a Q) or the keyword lookups, when given."""
    if filter_kwargs:
        filter = Q(**filter_kwargs) if filter is None else filter & Q(**filter_kwargs)
    total = Sum(expression, filter=filter)
    return Coalesce(total, ZERO, output_field=MONEY)


def count_of(queryset):
    """The number of rows of ``queryset`` (already narrowed with OuterRef and grouped with
    ``values()`` on the outer key), as a subquery: zero when there are none."""
    return Coalesce(Subquery(queryset.annotate(n=Count("pk")).values("n")), 0)


def sum_of(queryset, expression="amount"):
    """The sum of ``expression`` over ``queryset`` (narrowed with OuterRef and grouped with
    ``values()`` on the outer key), as a subquery: zero when there is nothing to add."""
    total = queryset.annotate(total=Sum(expression)).values("total")
    return Coalesce(Subquery(total, output_field=MONEY), ZERO)


# --- Privacy ---------------------------------------------------------------------------------


class NameNotPublishable(Exception):
    """Publishing this beneficiary's name is refused: there is no consent to publish it."""


def sees_protected_names(roles) -> bool:
    """Sensitive beneficiaries' names and details are for the secretariat alone."""
    return allows("charity.see_protected_names", roles)


def log_unmasked(beneficiaries, *, user, where: str) -> list[UnmaskLog]:
    """Record that ``user`` saw these beneficiaries' names unmasked (the sensitive ones)."""
    rows = [
        UnmaskLog(user=user, beneficiary=beneficiary, where=where[:255])
        for beneficiary in {b.pk: b for b in beneficiaries if b.is_sensitive}.values()
    ]
    return UnmaskLog.objects.bulk_create(rows) if rows else []


def beneficiary_names(beneficiaries, *, roles, user, where: str) -> dict[int, str]:
    """The name to show for each beneficiary, by pk: unmasked for the secretariat (and logged),
    masked (张*) for everyone else."""
    beneficiaries = list(beneficiaries)
    if sees_protected_names(roles):
        log_unmasked(beneficiaries, user=user, where=where)
        return {b.pk: b.name for b in beneficiaries}
    return {b.pk: b.masked_name for b in beneficiaries}


def current_consent(beneficiary: Beneficiary):
    """The beneficiary's latest consent still in force, or None. Reads ``consents.all()``, so
    a prefetch of ``consents`` saves the query."""
    consents = sorted(
        beneficiary.consents.all(), key=lambda c: (c.given_on, c.pk or 0), reverse=True
    )
    if consents and consents[0].is_current:
        return consents[0]
    return None


def may_publish_name(beneficiary: Beneficiary) -> bool:
    """A village, school or group may be named; a sensitive beneficiary only with a consent in
    force that allows publishing the name."""
    if not beneficiary.is_sensitive:
        return True
    consent = current_consent(beneficiary)
    return consent is not None and consent.publish_name


def beneficiary_public_name(beneficiary: Beneficiary) -> str:
    """The name to print in a thank-you list or the journal.

    Raises NameNotPublishable for a sensitive beneficiary without a consent to publish.
    """
    if not may_publish_name(beneficiary):
        raise NameNotPublishable(
            f"beneficiary {beneficiary.pk} has no consent in force to publish the name"
        )
    return beneficiary.name


def beneficiary_public_label(beneficiary: Beneficiary) -> str:
    """The name where it may be published, else the masked name: for documents that leave
    the secretariat (acknowledgements, thank-you lists)."""
    try:
        return beneficiary_public_name(beneficiary)
    except NameNotPublishable:
        return mask_name(beneficiary.name)


# --- Contributor listing --------------------------------------------------------------------


@transaction.atomic
def set_contributor_listing(
    *, company: Company, listed: bool, acting_user
) -> ContributorPreference:
    preference, _ = ContributorPreference.objects.select_for_update().get_or_create(
        company=company, defaults={"listed": listed, "updated_by": acting_user}
    )
    if preference.listed != listed or preference.updated_by_id != acting_user.pk:
        preference.listed = listed
        preference.updated_by = acting_user
        preference.save()
    return preference


# --- Totals ----------------------------------------------------------------------------------


@dataclass
class Bar:
    label: str
    amount: Decimal
    x: Decimal
    y: Decimal
    width: Decimal
    height: Decimal
    label_x: Decimal


@dataclass
class Chart:
    width: int
    height: int
    top: Decimal  # the axis maximum, in 元
    bars: list
    ticks: list  # (y, amount)
    baseline: int


def nice_ceiling(amount: Decimal) -> Decimal:
    """The smallest of 1, 2, 2.5, 5 × 10ⁿ at or above the amount (at least 10,000 元)."""
    amount = max(yuan(amount), Decimal(10000))
    power = Decimal(1)
    while power * 10 <= amount:
        power *= 10
    for step in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10)):
        if power * step >= amount:
            return power * step
    return power * 10  # pragma: no cover


def bar_chart(rows, *, width=640, height=260) -> Chart:
    """Geometry of a bar chart, in Decimal: ``rows`` are (label, amount)."""
    rows = list(rows)
    left, right, top_pad, bottom_pad = 64, 8, 24, 28
    plot_width = Decimal(width - left - right)
    plot_height = Decimal(height - top_pad - bottom_pad)
    top = nice_ceiling(max((amount for _, amount in rows), default=Decimal(0)))
    slot = plot_width / max(len(rows), 1)
    bar_width = (slot * Decimal("0.62")).quantize(Decimal("0.1"))
    bars = []
    one = Decimal("0.1")
    for index, (label, amount) in enumerate(rows):
        bar_height = (plot_height * yuan(amount) / top).quantize(one)
        x = (left + slot * index + (slot - bar_width) / 2).quantize(one)
        bars.append(
            Bar(
                label=label,
                amount=yuan(amount),
                x=x,
                y=(top_pad + plot_height - bar_height).quantize(one),
                width=bar_width,
                height=bar_height,
                label_x=(x + bar_width / 2).quantize(one),
            )
        )
    ticks = [
        ((top_pad + plot_height - plot_height * part / 4).quantize(one), top * part / 4)
        for part in range(5)
    ]
    return Chart(
        width=width, height=height, top=top, bars=bars, ticks=ticks, baseline=height - bottom_pad
    )


def percent(part: Decimal, whole: Decimal | None) -> Decimal | None:
    if not whole:
        return None
    return (yuan(part) * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# --- What the pages show ---------------------------------------------------------------------

# /charity/ shows this much of each list; the rest is one link away, on a page of its own.
CAMPAIGNS_SHOWN = 10  # the newest campaigns, and the newest yearly visits
AREAS_SHOWN = 10
PAIRINGS_SHOWN_PER_AREA = 6
CONTRIBUTORS_SHOWN = 20

LISTED = Q(company__contributor_preference__listed=True)


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


def listed_contributors() -> dict:
    """The companies that chose to be listed, largest gift (received) first, the first
    CONTRIBUTORS_SHOWN of them; how many are listed; and the number and total of the givers
    who are not: two queries."""
    received = Donation.objects.received()
    summary = received.aggregate(
        listed_count=Count("company", distinct=True, filter=LISTED),
        others_count=Count("company", distinct=True, filter=~LISTED),
        others_total=money_sum(filter=~LISTED),
    )
    top = (
        received.filter(LISTED)
        .values("company", "company__name")
        .annotate(total=money_sum())
        .order_by("-total", "company__name")[:CONTRIBUTORS_SHOWN]
    )
    return {
        "listed": [
            {"pk": row["company"], "name": row["company__name"], "amount": yuan(row["total"])}
            for row in top
        ],
        "listed_count": summary["listed_count"],
        "others_count": summary["others_count"],
        "others_total": yuan(summary["others_total"]),
    }


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


# --- Who gave: a campaign's or a pairing's givers, as the viewer may see them ----------------


def named_givers(roles) -> Q | None:
    """The givers this viewer may see named: those listed, the viewer's own company, and every
    one of them (None) for those who see the whole chamber."""
    if allows("charity.see_all_givers", roles):
        return None
    if roles.company:
        return LISTED | Q(company=roles.company)
    return LISTED


@dataclass
class Contributions:
    named: list  # the first named givers (see ``giver_entries``), largest first
    named_count: int  # how many givers may be named to this viewer in all
    others: dict  # count, received and pledged of the givers who may not be named
    received: Decimal
    pledged: Decimal

    @property
    def more(self) -> int:
        return self.named_count - len(self.named)


def giver_rows(donations, *, roles):
    """Received and pledged totals per company this viewer may see named, largest first: a
    queryset of dicts, to be sliced (a page, the first few) and passed to ``giver_entries``."""
    named = named_givers(roles)
    if named is not None:
        donations = donations.filter(named)
    return (
        donations.values("company", "company__name")
        .annotate(
            received=money_sum(status=Donation.Status.RECEIVED),
            pledged=money_sum(status=Donation.Status.PLEDGED),
            gifts=Count("pk"),
        )
        .order_by("-received", "-pledged", "company__name", "company")
    )


def giver_entries(rows, *, roles) -> list[dict]:
    own = roles.company.pk if roles.company else None
    return [
        {
            "pk": row["company"],
            "name": row["company__name"],
            "received": yuan(row["received"]),
            "pledged": yuan(row["pledged"]),
            "gifts": row["gifts"],
            "own": row["company"] == own,
        }
        for row in rows
    ]


def giver_summary(donations, *, roles) -> dict:
    """Totals received and pledged, how many givers may be named to this viewer, and the count
    and totals of the rest: one query."""
    named = named_givers(roles)
    aggregates = {
        "received": money_sum(status=Donation.Status.RECEIVED),
        "pledged": money_sum(status=Donation.Status.PLEDGED),
        "named_count": Count("company", distinct=True, filter=named),
    }
    if named is not None:
        aggregates.update(
            others_count=Count("company", distinct=True, filter=~named),
            others_received=money_sum(filter=~named & Q(status=Donation.Status.RECEIVED)),
            others_pledged=money_sum(filter=~named & Q(status=Donation.Status.PLEDGED)),
        )
    row = donations.aggregate(**aggregates)
    pledged = yuan(row["pledged"])
    return {
        "received": yuan(row["received"]),
        "pledged": pledged,
        "named_count": row["named_count"],
        "others": {
            "count": row.get("others_count", 0),
            "received": yuan(row.get("others_received")),
            "pledged": yuan(row.get("others_pledged")),
            "any_pledged": bool(pledged),
        },
    }


def contributions(donations, *, roles, limit: int = CONTRIBUTORS_SHOWN) -> Contributions:
    """Who gave (these donations), as this viewer may see them: the first ``limit`` named
    givers and the totals, in two queries."""
    summary = giver_summary(donations, roles=roles)
    return Contributions(
        named=giver_entries(giver_rows(donations, roles=roles)[:limit], roles=roles),
        named_count=summary["named_count"],
        others=summary["others"],
        received=summary["received"],
        pledged=summary["pledged"],
    )


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
