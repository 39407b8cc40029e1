"""Factories for charity test data. Names are invented; students are clearly fictional."""

import datetime
from decimal import Decimal

import factory

from charity.models import (
    Beneficiary,
    Campaign,
    Consent,
    ContributorPreference,
    Donation,
    Pairing,
    Project,
)
from tests.factories import CompanyFactory


class VillageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Beneficiary

    kind = Beneficiary.Kind.VILLAGE
    name = factory.Sequence(lambda n: f"测试{n}村")
    area = "练塘镇"


class StudentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Beneficiary

    kind = Beneficiary.Kind.STUDENT
    name = factory.Sequence(lambda n: f"李测试{n}")
    area = "徐泾镇"
    organisation = "徐泾中学"
    is_sensitive = True
    is_under_14 = True
    details = "家庭经济困难（测试数据）"


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    beneficiary = factory.SubFactory(StudentFactory)
    given_by = "李家长"
    relation = Consent.Relation.PARENT
    given_on = datetime.date(2024, 1, 10)
    notice_version = "2024-01"
    publish_name = False


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    name = factory.Sequence(lambda n: f"测试募捐活动{n}")
    kind = Campaign.Kind.FUNDRAISER
    starts_on = datetime.date(2017, 4, 18)
    goal = Decimal("4000000.00")


class PairingFactory(factory.django.DjangoModelFactory):
    """A pairing with one company (pass ``companies=[…]`` for several)."""

    class Meta:
        model = Pairing
        skip_postgeneration_save = True

    beneficiary = factory.SubFactory(VillageFactory)
    starts_on = datetime.date(2017, 4, 18)
    goal = "道路整修"

    @factory.post_generation
    def companies(self, create, extracted, **kwargs):
        if create:
            self.companies.set(extracted if extracted is not None else [CompanyFactory()])


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    pairing = factory.SubFactory(PairingFactory)
    kind = Project.Kind.ROAD
    title = factory.Sequence(lambda n: f"村道整修{n}")
    budget = Decimal("100000.00")
    status = Project.Status.DONE
    completed_on = datetime.date(2017, 10, 1)


class DonationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Donation

    company = factory.SubFactory(CompanyFactory)
    campaign = factory.SubFactory(CampaignFactory)
    pairing = None
    amount = Decimal("10000.00")
    donated_on = datetime.date(2017, 4, 18)
    status = Donation.Status.RECEIVED
    receipt_number = factory.Sequence(lambda n: f"T{n:05d}")


class ContributorPreferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContributorPreference

    company = factory.SubFactory(CompanyFactory)
    listed = True
