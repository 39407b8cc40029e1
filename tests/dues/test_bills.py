"""Bills for a year: every active member company once, joiners as the standard says, leavers
never; a second run adds only the companies that joined since."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command

from dues.models import Bill, DuesStandard
from dues.services import billed_amount, generate_bills

from ..factories import CompanyFactory
from .factories import DuesAdjustmentFactory, DuesStandardFactory

pytestmark = pytest.mark.django_db
YEAR = 2025


@pytest.fixture
def standards():
    return {
        "member": DuesStandardFactory(tier="member", year=YEAR, amount=Decimal("3000")),
        "executive": DuesStandardFactory(tier="executive", year=YEAR, amount=Decimal("10000")),
    }


def test_every_active_member_company_is_billed_its_tiers_amount(standards):
    member = CompanyFactory(tier="member", member_since=datetime.date(2015, 3, 1))
    executive = CompanyFactory(tier="executive", member_since=datetime.date(2018, 1, 1))

    outcome = generate_bills(year=YEAR)

    assert len(outcome.created) == 2
    bills = {bill.company_id: bill for bill in Bill.objects.all()}
    assert bills[member.pk].amount == Decimal("3000.00")
    assert bills[executive.pk].amount == Decimal("10000.00")
    assert bills[member.pk].due_on == datetime.date(YEAR, 6, 30)
    assert {bill.number for bill in bills.values()} == {"HF2025-00001", "HF2025-00002"}
    assert all(bill.history.count() == 1 for bill in bills.values())


def test_a_second_run_bills_only_the_companies_that_joined_since(standards):
    CompanyFactory(member_since=datetime.date(2015, 3, 1))
    generate_bills(year=YEAR)
    first = list(Bill.objects.values_list("pk", "number", "amount"))

    again = generate_bills(year=YEAR)
    assert again.created == [] and again.already == 1

    newcomer = CompanyFactory(member_since=datetime.date(YEAR, 10, 8))
    third = generate_bills(year=YEAR)

    assert [bill.company_id for bill in third.created] == [newcomer.pk]
    assert (
        list(
            Bill.objects.filter(pk__in=[pk for pk, *_ in first]).values_list(
                "pk", "number", "amount"
            )
        )
        == first
    )
    assert third.created[0].number == "HF2025-00002"


def test_a_company_that_joined_mid_year_pays_the_months_left_under_a_pro_rata_standard(standards):
    joiner = CompanyFactory(member_since=datetime.date(YEAR, 10, 8))
    generate_bills(year=YEAR)
    bill = Bill.objects.get(company=joiner)
    # October, November, December: 3 of 12 months.
    assert bill.amount == Decimal("750.00")
    assert bill.standard_amount == Decimal("750.00")
    assert bill.due_on == datetime.date(YEAR, 11, 7)


def test_a_company_that_joined_mid_year_pays_in_full_under_a_full_year_standard(standards):
    standards["member"].joiner_rule = DuesStandard.JoinerRule.FULL
    standards["member"].save()
    joiner = CompanyFactory(member_since=datetime.date(YEAR, 10, 8))
    generate_bills(year=YEAR)
    assert Bill.objects.get(company=joiner).amount == Decimal("3000.00")


def test_pro_rata_is_to_the_fen():
    standard = DuesStandard(year=YEAR, amount=Decimal("1000"), joiner_rule="pro_rata")
    # 1000 × 7 / 12 = 583.333…
    assert billed_amount(standard, datetime.date(YEAR, 6, 15)) == Decimal("583.33")
    assert billed_amount(standard, datetime.date(YEAR - 3, 6, 15)) == Decimal("1000.00")


def test_leavers_suspended_companies_and_later_joiners_are_not_billed(standards):
    CompanyFactory(status="left")
    CompanyFactory(status="suspended")
    CompanyFactory(member_since=datetime.date(YEAR + 1, 2, 1))
    assert generate_bills(year=YEAR).created == []
    assert not Bill.objects.exists()


def test_a_reduction_and_an_exemption_lower_the_bill(standards):
    reduced, exempt = CompanyFactory(), CompanyFactory()
    DuesAdjustmentFactory(company=reduced, year=YEAR, kind="reduction", reduction=Decimal("1000"))
    DuesAdjustmentFactory(company=exempt, year=YEAR)
    generate_bills(year=YEAR)
    assert Bill.objects.get(company=reduced).amount == Decimal("2000.00")
    bill = Bill.objects.with_paid().get(company=exempt)
    assert bill.amount == Decimal("0.00") and bill.status == Bill.Status.EXEMPT


def test_a_tier_without_a_standard_is_named_not_billed(standards):
    company = CompanyFactory(tier="president")
    outcome = generate_bills(year=YEAR)
    assert outcome.without_standard == [company]
    assert not Bill.objects.filter(company=company).exists()


def test_the_command_bills_the_year(standards, capsys):
    CompanyFactory()
    call_command("generate_dues_bills", "--year", str(YEAR))
    call_command("generate_dues_bills", "--year", str(YEAR))
    assert Bill.objects.count() == 1
    assert "0 bills generated, 1 companies already billed" in capsys.readouterr().out
