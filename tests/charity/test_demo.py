"""The demo charity matches the seed article's 回报社会 section, and loads only once."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone

from charity.models import Beneficiary, Campaign, Donation, Pairing, PairingKind
from demo import data
from demo.charity import CAMPAIGN_2017, COVID, VILLAGES, YUNNAN


@pytest.fixture
def seeded(db, settings):
    settings.DEBUG = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def received(**filters) -> Decimal:
    return Donation.objects.received().filter(**filters).aggregate(total=Sum("amount"))["total"]


def test_the_25_villages_of_liantang_are_paired_one_or_several_companies_each(seeded):
    villages = Pairing.objects.with_kind().filter(beneficiary__kind=Beneficiary.Kind.VILLAGE)
    assert sorted(p.beneficiary.name for p in villages) == sorted(VILLAGES)
    assert len(set(VILLAGES)) == 25
    assert {p.beneficiary.area for p in villages} == {"练塘镇"}
    kinds = {p.kind_code for p in villages}
    assert kinds == {PairingKind.ONE_COMPANY_ONE_VILLAGE, PairingKind.COMPANIES_ONE_VILLAGE}
    assert all(p.campaign.name == CAMPAIGN_2017 for p in villages)
    assert all(p.projects.exists() for p in villages)


def test_the_sums_are_those_the_article_reports(seeded):
    assert received(campaign__name=CAMPAIGN_2017).quantize(Decimal("0.01")) == Decimal("4250000.00")
    assert received(campaign__name=COVID) > Decimal("2000000")
    assert received(campaign__name=YUNNAN) > 0
    in_2017_to_2019 = received(donated_on__year__gte=2017, donated_on__year__lte=2019)
    assert in_2017_to_2019 > Decimal("10000000")


@pytest.mark.dates
def test_every_year_has_its_summer_and_chongyang_visits_given_in_kind(seeded):
    today = timezone.localdate()
    for year in range(2017, today.year):
        visits = Campaign.objects.filter(kind=Campaign.Kind.VISIT, starts_on__year=year)
        names = " ".join(visits.values_list("name", flat=True))
        assert "送清凉" in names and "重阳节" in names, year
        gifts = Donation.objects.filter(campaign__in=visits)
        assert gifts.exists() and not gifts.exclude(form=Donation.Form.IN_KIND).exists()
    chongyang = Campaign.objects.get(name="2024年重阳节慰问老年人")
    assert chongyang.starts_on == datetime.date(2024, 10, 11)  # 九月初九


def test_students_are_fictional_sensitive_and_consented_by_a_guardian_when_under_14(seeded):
    students = Beneficiary.objects.filter(kind=Beneficiary.Kind.STUDENT).prefetch_related(
        "consents"
    )
    assert students.count() >= 5
    for student in students:
        assert student.name.endswith("同学") and student.is_sensitive
        consent = student.consents.get()
        if student.is_under_14:
            assert consent.relation == "parent" and consent.given_by != student.name


def test_the_member_login_has_pairings_and_donations_to_acknowledge(seeded):
    company = Pairing.objects.filter(companies__name=data.MEMBER_LOGIN_COMPANY)
    assert company.exists()
    assert Donation.objects.received().filter(company__name=data.MEMBER_LOGIN_COMPANY).exists()


def test_a_second_run_adds_and_changes_no_charity_row(seeded):
    counts = Donation.objects.count(), Donation.history.count(), Pairing.history.count()
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    charity_lines = [line for line in out.getvalue().splitlines() if "charity." in line]
    assert charity_lines and all("unchanged" in line for line in charity_lines)
    assert (Donation.objects.count(), Donation.history.count(), Pairing.history.count()) == counts
