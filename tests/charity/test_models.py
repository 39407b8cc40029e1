"""The pairing kind follows from the data; the database keeps donations and consents sound."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from charity.models import Beneficiary, Donation, Pairing, PairingKind, mask_name
from tests.factories import CompanyFactory

from .factories import (
    CampaignFactory,
    ConsentFactory,
    DonationFactory,
    PairingFactory,
    StudentFactory,
    VillageFactory,
)

pytestmark = pytest.mark.django_db


def kind_in_database(pairing) -> str:
    return Pairing.objects.with_kind().get(pk=pairing.pk).kind_code


def test_one_company_with_a_village_is_one_company_one_village():
    pairing = PairingFactory(beneficiary=VillageFactory())
    assert pairing.kind == PairingKind.ONE_COMPANY_ONE_VILLAGE
    assert kind_in_database(pairing) == PairingKind.ONE_COMPANY_ONE_VILLAGE
    assert pairing.get_kind_display() == "一企一村"


def test_a_second_company_makes_it_several_companies_one_village_without_retyping_the_kind():
    pairing = PairingFactory(beneficiary=VillageFactory())
    pairing.companies.add(CompanyFactory())
    pairing = Pairing.objects.get(pk=pairing.pk)
    assert pairing.kind == PairingKind.COMPANIES_ONE_VILLAGE
    assert kind_in_database(pairing) == PairingKind.COMPANIES_ONE_VILLAGE
    assert "kind" not in {field.name for field in Pairing._meta.get_fields()}


@pytest.mark.parametrize(
    "kind, expected",
    [
        (Beneficiary.Kind.STUDENT, PairingKind.STUDENT_AID),
        (Beneficiary.Kind.SCHOOL, PairingKind.STUDENT_AID),
        (Beneficiary.Kind.GROUP, PairingKind.AID),
    ],
)
def test_students_and_schools_make_student_aid_and_groups_help_for_those_in_need(kind, expected):
    beneficiary = Beneficiary.objects.create(
        kind=kind, name="受助对象", is_sensitive=kind == Beneficiary.Kind.STUDENT
    )
    companies = [CompanyFactory(), CompanyFactory()]
    pairing = PairingFactory(beneficiary=beneficiary, companies=companies)
    assert pairing.kind == expected
    assert kind_in_database(pairing) == expected


def test_a_donation_goes_to_exactly_one_of_a_campaign_and_a_pairing():
    company = CompanyFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Donation.objects.create(
            company=company,
            campaign=CampaignFactory(),
            pairing=PairingFactory(),
            amount=Decimal("1.00"),
            donated_on=datetime.date(2020, 1, 1),
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Donation.objects.create(
            company=company, amount=Decimal("1.00"), donated_on=datetime.date(2020, 1, 1)
        )


def test_receipt_numbers_are_unique_when_given_and_may_be_left_empty():
    DonationFactory(receipt_number="YJ2017-001")
    DonationFactory(receipt_number="")
    DonationFactory(receipt_number="")
    with pytest.raises(IntegrityError), transaction.atomic():
        DonationFactory(receipt_number="YJ2017-001")


def test_a_gift_in_kind_says_what_was_given():
    donation = DonationFactory.build(form=Donation.Form.IN_KIND, goods="")
    with pytest.raises(ValidationError) as error:
        donation.full_clean()
    assert "请写明捐赠的实物。" in str(error.value)


def test_a_student_is_always_sensitive():
    with pytest.raises(IntegrityError), transaction.atomic():
        Beneficiary.objects.create(kind=Beneficiary.Kind.STUDENT, name="王同学")


def test_a_child_under_14_needs_a_guardians_consent():
    consent = ConsentFactory.build(beneficiary=StudentFactory(is_under_14=True), relation="self")
    with pytest.raises(ValidationError) as error:
        consent.full_clean()
    assert "须由父母或其他监护人同意" in str(error.value)
    consent.relation = "parent"
    consent.full_clean()


@pytest.mark.parametrize(
    "name, masked",
    [("张三", "张*"), ("张三丰", "张**"), ("欧阳娜娜", "欧***"), ("李", "李*"), (" 王五 ", "王*")],
)
def test_names_are_masked_keeping_the_first_character(name, masked):
    assert mask_name(name) == masked


def test_a_sensitive_beneficiary_prints_masked_everywhere_by_default():
    student = StudentFactory(name="李小明", organisation="徐泾中学")
    village = VillageFactory(name="东庄村")
    assert str(student) == "李**（徐泾中学）"
    assert str(village) == "东庄村（练塘镇）"
    assert "李小明" not in str(PairingFactory(beneficiary=student))
