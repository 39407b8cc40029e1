"""What the charity pages and other apps (the journal, reports) ask of charity: who may see a
beneficiary's name, the log of unmasked views, the consent rule, and the totals.

Totals are summed in the database on the Decimal column and quantized to the fen
(``money.yuan``), never added up in Python from floats.
"""

import datetime
from collections import OrderedDict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Count, DecimalField, F, OuterRef, Prefetch, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear

from members.models import Company

from .models import (
    Beneficiary,
    Campaign,
    ContributorPreference,
    Donation,
    Pairing,
    PairingKind,
    UnmaskLog,
    mask_name,
)
from .money import yuan

ZERO = Value(Decimal("0.00"), output_field=DecimalField(max_digits=14, decimal_places=2))


def money_sum(expression="amount", **filter_kwargs):
    """Sum(amount) as Decimal, zero when there is nothing to add."""
    total = Sum(expression, filter=Q(**filter_kwargs) if filter_kwargs else None)
    return Coalesce(total, ZERO, output_field=DecimalField(max_digits=14, decimal_places=2))


# --- Privacy ---------------------------------------------------------------------------------


class NameNotPublishable(Exception):
    """Publishing this beneficiary's name is refused: there is no consent to publish it."""


def sees_protected_names(roles) -> bool:
    """Sensitive beneficiaries' names and details are for the secretariat alone."""
    return bool(roles and roles.is_secretariat)


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


def totals_by_year():
    """[(year, received)] in year order: one query."""
    rows = (
        Donation.objects.received()
        .annotate(year=ExtractYear("donated_on"))
        .values("year")
        .annotate(total=money_sum())
        .order_by("year")
    )
    return [(row["year"], yuan(row["total"])) for row in rows]


def campaigns_with_totals():
    """Campaigns with ``received``, ``pledged`` (outstanding) and ``donor_count``: one query."""
    received = Q(donations__status=Donation.Status.RECEIVED)
    campaigns = Campaign.objects.annotate(
        received=money_sum("donations__amount", donations__status=Donation.Status.RECEIVED),
        pledged=money_sum("donations__amount", donations__status=Donation.Status.PLEDGED),
        donor_count=Count("donations__company", filter=received, distinct=True),
    ).order_by("-starts_on", "name")
    result = []
    for campaign in campaigns:
        campaign.received = yuan(campaign.received)
        campaign.pledged = yuan(campaign.pledged)
        campaign.progress = percent(campaign.received, campaign.goal)
        campaign.progress_bar = min(campaign.progress, Decimal(100)) if campaign.progress else 0
        result.append(campaign)
    return result


def totals_by_form():
    """{form: received}: one query."""
    rows = Donation.objects.received().values("form").annotate(total=money_sum()).order_by()
    totals = {form: Decimal("0.00") for form in Donation.Form.values}
    totals.update({row["form"]: yuan(row["total"]) for row in rows})
    return [(Donation.Form(form).label, amount) for form, amount in totals.items()]


def pairings_with_totals(queryset=None):
    """Pairings with their derived kind, their beneficiary and campaign, and ``received``, the
    total received for them: one query."""
    queryset = Pairing.objects.all() if queryset is None else queryset
    received = (
        Donation.objects.received()
        .filter(pairing=OuterRef("pk"))
        .order_by()
        .values("pairing")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    pairings = queryset.with_kind().select_related("beneficiary", "campaign")
    return pairings.annotate(
        received=Coalesce(
            Subquery(received, output_field=DecimalField(max_digits=14, decimal_places=2)),
            ZERO,
        )
    )


def pairing_summary(pairings):
    """From pairings annotated by ``pairings_with_totals``: counts and amounts by kind, and the
    village pairings grouped by area (sensitive beneficiaries only as counts)."""
    by_kind = OrderedDict(
        (kind, {"label": kind.label, "count": 0, "received": Decimal("0.00")})
        for kind in PairingKind
    )
    areas = OrderedDict()
    for pairing in pairings:
        entry = by_kind[PairingKind(pairing.kind_code)]
        entry["count"] += 1
        entry["received"] += yuan(pairing.received)
        area_name = pairing.beneficiary.area or ""
        area = areas.setdefault(
            area_name,
            {"name": area_name, "pairings": [], "protected": 0, "companies": set()},
        )
        if pairing.beneficiary.is_sensitive:
            area["protected"] += 1
        else:
            area["pairings"].append(pairing)
        area["companies"].update(company.pk for company in pairing.companies.all())
    for area in areas.values():
        area["company_count"] = len(area.pop("companies"))
    return list(by_kind.values()), sorted(
        areas.values(), key=lambda a: (-len(a["pairings"]) - a["protected"], a["name"])
    )


def listed_contributors():
    """Companies that chose to be listed, with what they gave (received), largest first;
    and the number and total of those who did not: two queries."""
    totals = (
        Donation.objects.received()
        .values("company")
        .annotate(total=money_sum(), listed=F("company__contributor_preference__listed"))
        .order_by()
    )
    listed_ids, others_total, others_count = {}, Decimal("0.00"), 0
    for row in totals:
        if row["listed"]:
            listed_ids[row["company"]] = yuan(row["total"])
        else:
            others_total += yuan(row["total"])
            others_count += 1
    companies = Company.objects.filter(pk__in=listed_ids).only("pk", "name", "status")
    listed = sorted(
        ((company, listed_ids[company.pk]) for company in companies),
        key=lambda item: (-item[1], item[0].name),
    )
    return listed, others_count, others_total


def overview(today: datetime.date):
    """Everything /charity/ shows, in a fixed number of queries."""
    years = totals_by_year()
    campaigns = campaigns_with_totals()
    pairings = list(
        pairings_with_totals().prefetch_related(
            Prefetch("companies", queryset=Company.objects.only("pk", "name"))
        )
    )
    by_kind, areas = pairing_summary(pairings)
    listed, others_count, others_total = listed_contributors()
    total = sum((amount for _, amount in years), Decimal("0.00"))
    this_year = next((amount for year, amount in years if year == today.year), Decimal("0.00"))
    pledged = yuan(Donation.objects.pledged().aggregate(total=money_sum())["total"])
    return {
        "total": total,
        "this_year": this_year,
        "pledged": pledged,
        "years": years,
        "chart": bar_chart((str(year), amount) for year, amount in years),
        "campaigns": [c for c in campaigns if c.kind != Campaign.Kind.VISIT],
        "visits": [c for c in campaigns if c.kind == Campaign.Kind.VISIT],
        "by_form": totals_by_form(),
        "by_campaign_kind": by_campaign_kind(campaigns),
        "by_pairing_kind": by_kind,
        "areas": areas,
        "pairing_count": len(pairings),
        "village_count": sum(1 for p in pairings if p.beneficiary.kind == Beneficiary.Kind.VILLAGE),
        "listed": listed,
        "others_count": others_count,
        "others_total": others_total,
    }


def by_campaign_kind(campaigns):
    totals = OrderedDict((kind, Decimal("0.00")) for kind in Campaign.Kind)
    for campaign in campaigns:
        totals[Campaign.Kind(campaign.kind)] += campaign.received
    return [(kind.label, amount) for kind, amount in totals.items() if amount]
