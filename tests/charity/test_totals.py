"""Totals are summed in the database on Decimal and come out exact to the fen."""

import datetime
from collections import defaultdict
from decimal import Decimal

import pytest
from django.utils import timezone

from charity import services
from charity.models import Campaign, Donation, PairingKind

from .conftest import add_donations
from .factories import DonationFactory

pytestmark = pytest.mark.django_db


def expected_totals(donations):
    by_year, by_campaign, by_pairing = (defaultdict(Decimal) for _ in range(3))
    for donation in donations:
        if donation.status != Donation.Status.RECEIVED:
            continue
        by_year[donation.donated_on.year] += donation.amount
        if donation.campaign_id:
            by_campaign[donation.campaign_id] += donation.amount
        else:
            by_pairing[donation.pairing_id] += donation.amount
    return by_year, by_campaign, by_pairing


def test_fens_add_up_exactly_across_years_and_campaigns(charity):
    campaign, covid = charity["campaigns"]
    for on, target, amount in [
        (datetime.date(2017, 4, 18), {"campaign": campaign}, "0.01"),
        (datetime.date(2017, 4, 18), {"campaign": campaign}, "4249999.99"),
        (datetime.date(2017, 12, 31), {"pairing": charity["village"]}, "0.10"),
        (datetime.date(2018, 1, 1), {"pairing": charity["village"]}, "0.20"),
        (datetime.date(2020, 2, 1), {"campaign": covid}, "1000000.01"),
        (datetime.date(2020, 2, 2), {"campaign": covid}, "1000000.02"),
    ]:
        DonationFactory(**{"campaign": None, **target}, amount=Decimal(amount), donated_on=on)
    DonationFactory(
        campaign=covid,
        amount=Decimal("99.99"),
        status=Donation.Status.PLEDGED,
        donated_on=datetime.date(2020, 3, 1),
    )

    assert services.donation_totals().years == [
        (2017, Decimal("4250000.10")),
        (2018, Decimal("0.20")),
        (2020, Decimal("2000000.03")),
    ]
    campaigns = {c.name: c for c in services.with_campaign_totals(Campaign.objects.all())}
    assert campaigns["缘聚徐练 商续慈善"].received == Decimal("4250000.00")
    assert campaigns["缘聚徐练 商续慈善"].progress == Decimal("106.3")
    assert campaigns["2020年抗疫捐赠"].received == Decimal("2000000.03")
    assert campaigns["2020年抗疫捐赠"].pledged == Decimal("99.99")
    village = services.pairings_with_totals().get(pk=charity["village"].pk)
    assert village.received == Decimal("0.30")

    overview = services.overview(timezone.localdate())
    assert overview["total"] == Decimal("6250000.33")
    assert overview["pledged"] == Decimal("99.99")
    by_kind = {kind["label"]: kind for kind in overview["by_pairing_kind"]}
    assert by_kind[PairingKind.COMPANIES_ONE_VILLAGE.label]["received"] == Decimal("0.30")
    assert all(isinstance(bar.height, Decimal) for bar in overview["chart"].bars)


def test_five_thousand_donations_with_fens_sum_exactly(charity):
    donations = add_donations(
        5000,
        companies=charity["companies"],
        campaigns=charity["campaigns"],
        pairings=charity["pairings"],
    )
    by_year, by_campaign, by_pairing = expected_totals(donations)
    assert dict(services.donation_totals().years) == dict(by_year)
    for campaign in services.with_campaign_totals(Campaign.objects.all()):
        assert campaign.received == by_campaign[campaign.pk]
    for pairing in services.pairings_with_totals():
        assert pairing.received == by_pairing[pairing.pk]
    assert services.overview(timezone.localdate())["total"] == sum(by_year.values())
