"""The demo's dues: three years billed, a few invented companies in arrears, one exemption."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from demo.data.companies import NAMED_COMPANIES
from demo.data.membership import MEMBER_LOGIN_COMPANY
from dues import totals
from dues.models import Bill, DuesAdjustment, DuesStandard, Payment


@pytest.fixture
def seeded(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())


def test_the_demo_has_three_years_of_dues_with_invented_companies_in_arrears(seeded):
    year = timezone.localdate().year
    assert set(DuesStandard.objects.values_list("year", flat=True)) == {year - 2, year - 1, year}
    assert set(Bill.objects.values_list("year", flat=True)) == {year - 2, year - 1, year}
    in_arrears = [company.name for company in totals.arrears()]
    article = {spec.name for spec in NAMED_COMPANIES} | {MEMBER_LOGIN_COMPANY}
    assert 1 <= len(in_arrears) <= 3
    assert not set(in_arrears) & article
    exemption = DuesAdjustment.objects.get()
    assert exemption.kind == DuesAdjustment.Kind.EXEMPTION
    assert exemption.company.name not in article
    assert Bill.objects.get(company=exemption.company, year=exemption.year).amount == 0
    # The member login's company paid, in two parts, with a receipt for each.
    assert (
        Payment.objects.filter(
            bill__company__name=MEMBER_LOGIN_COMPANY, bill__year=year - 1
        ).count()
        == 2
    )
