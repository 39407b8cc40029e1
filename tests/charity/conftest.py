"""A small charity: two campaigns, a village shared by two companies, a student, donations."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from charity.models import Donation
from tests.factories import CompanyFactory

from .factories import (
    CampaignFactory,
    ConsentFactory,
    ContributorPreferenceFactory,
    PairingFactory,
    ProjectFactory,
    StudentFactory,
    VillageFactory,
)


@pytest.fixture(autouse=True)
def chinese():
    """Messages in the chamber's own language, whatever an earlier test left active."""
    with translation.override("zh-hans"):
        yield


def amount_for(index: int) -> Decimal:
    """Amounts with fen in them: 1.01, 2.02 … so that floats would show."""
    return Decimal(index % 997 + 1) + Decimal(index % 100) / 100


def add_donations(count, *, companies, campaigns, pairings, start_year=2015):
    """``count`` donations spread over companies, campaigns, pairings and ten years."""
    targets = [("campaign", c) for c in campaigns] + [("pairing", p) for p in pairings]
    rows = []
    for index in range(count):
        kind, target = targets[index % len(targets)]
        rows.append(
            Donation(
                company=companies[index % len(companies)],
                amount=amount_for(index),
                donated_on=datetime.date(start_year + index % 10, 1 + index % 12, 1 + index % 28),
                status=Donation.Status.PLEDGED if index % 13 == 0 else Donation.Status.RECEIVED,
                form=Donation.Form.IN_KIND if index % 7 == 0 else Donation.Form.CASH,
                goods="矿泉水" if index % 7 == 0 else "",
                receipt_number=f"R{start_year}-{index:06d}",
                **{kind: target},
            )
        )
    return Donation.objects.bulk_create(rows, batch_size=1000)


@pytest.fixture
def charity(db, member):
    """Campaigns, pairings and listed companies; the member's company among the donors."""
    companies = [member.person.company, *[CompanyFactory() for _ in range(5)]]
    for company in companies[1:4]:
        ContributorPreferenceFactory(company=company, listed=True)
    campaigns = [
        CampaignFactory(name="缘聚徐练 商续慈善"),
        CampaignFactory(name="2020年抗疫捐赠", kind="epidemic", goal=None),
    ]
    village = PairingFactory(
        beneficiary=VillageFactory(name="东庄村"),
        companies=companies[:2],
        campaign=campaigns[0],
    )
    ProjectFactory(pairing=village, title="东庄村村道整修")
    student = StudentFactory(name="李小明", organisation="徐泾中学")
    ConsentFactory(beneficiary=student, given_by="李大明", publish_name=False)
    student_pairing = PairingFactory(beneficiary=student, companies=[companies[0]])
    return {
        "companies": companies,
        "campaigns": campaigns,
        "pairings": [village, student_pairing],
        "village": village,
        "student": student,
        "student_pairing": student_pairing,
    }
