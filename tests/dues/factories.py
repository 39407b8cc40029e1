"""Dues factories. Companies and numbers are invented."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from dues.models import Bill, DuesAdjustment, DuesStandard, Payment, Reminder

from ..factories import CompanyFactory


def this_year() -> int:
    return timezone.localdate().year


class DuesStandardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DuesStandard
        django_get_or_create = ("tier", "year")

    tier = "member"
    year = factory.LazyFunction(this_year)
    amount = Decimal("3000.00")
    joiner_rule = DuesStandard.JoinerRule.PRO_RATA
    due_on = factory.LazyAttribute(lambda o: datetime.date(o.year, 6, 30))


class DuesAdjustmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DuesAdjustment

    company = factory.SubFactory(CompanyFactory)
    year = factory.LazyFunction(this_year)
    kind = DuesAdjustment.Kind.EXEMPTION
    reduction = None
    reason = "受疫情影响经营困难，经会长办公会研究同意免缴当年会费。"
    approved_by = "会长办公会"
    approved_on = factory.LazyAttribute(lambda o: datetime.date(o.year, 3, 1))


class BillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bill

    number = factory.Sequence(lambda n: f"HF1999-{n:05d}")
    company = factory.SubFactory(CompanyFactory)
    year = factory.LazyFunction(this_year)
    standard_amount = Decimal("3000.00")
    amount = Decimal("3000.00")
    due_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=40))


class PaymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Payment

    bill = factory.SubFactory(BillFactory)
    number = factory.Sequence(lambda n: f"SJ1999-{n:05d}")
    paid_on = factory.LazyFunction(timezone.localdate)
    amount = Decimal("1000.00")
    method = Payment.Method.BANK
    reference = factory.Sequence(lambda n: f"TX{n:010d}")


class ReminderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reminder

    bill = factory.SubFactory(BillFactory)
    period = factory.LazyFunction(lambda: f"{timezone.localdate():%Y-%m}")
    outstanding = Decimal("3000.00")
    sent_to = "finance@example.com"
