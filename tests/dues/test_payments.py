"""Payments: partial ones add up to the fen, on SQLite and PostgreSQL alike, and nothing pays
more than a bill asks."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from dues import totals
from dues.models import Bill, Payment
from dues.services import record_payment

from .factories import BillFactory, PaymentFactory

pytestmark = pytest.mark.django_db


def test_partial_payments_sum_to_the_fen_and_settle_the_bill():
    bill = BillFactory(amount=Decimal("1000.00"))
    today = timezone.localdate()
    # Amounts whose binary floats do not add up exactly: 0.1 + 0.2 != 0.3.
    for amount in ["0.10", "0.20", "333.33", "333.33", "333.03", "0.01"]:
        record_payment(bill=bill, amount=Decimal(amount), paid_on=today, method="cash")

    bill = Bill.objects.with_paid().get(pk=bill.pk)
    assert totals.yuan(bill.paid) == Decimal("1000.00")
    assert bill.outstanding_amount == Decimal("0.00")
    assert bill.status == Bill.Status.PAID


def test_payments_in_fen_add_up_exactly():
    bill = BillFactory(amount=Decimal("0.30"))
    today = timezone.localdate()
    record_payment(bill=bill, amount=Decimal("0.10"), paid_on=today, method="cash")
    bill = Bill.objects.with_paid().get(pk=bill.pk)
    assert bill.status == Bill.Status.PARTLY_PAID
    assert bill.outstanding_amount == Decimal("0.20")
    record_payment(bill=bill, amount=Decimal("0.20"), paid_on=today, method="wechat")

    bill = Bill.objects.with_paid().get(pk=bill.pk)
    assert totals.yuan(bill.paid) == Decimal("0.30")
    assert bill.outstanding_amount == Decimal("0.00")
    assert bill.status == Bill.Status.PAID
    assert not Bill.objects.open().filter(pk=bill.pk).exists()
    summary = totals.year_summary(bill.year)
    assert summary["collected"] == Decimal("0.30") and summary["outstanding"] == Decimal("0.00")
    assert summary["paid_in_full"] == 1


def test_a_payment_over_what_is_left_is_refused():
    bill = BillFactory(amount=Decimal("100.00"))
    PaymentFactory(bill=bill, amount=Decimal("99.99"))
    with pytest.raises(ValidationError) as raised:
        record_payment(
            bill=bill, amount=Decimal("0.02"), paid_on=timezone.localdate(), method="cash"
        )
    assert "0.01" in str(raised.value)
    assert Payment.objects.filter(bill=bill).count() == 1


def test_receipt_numbers_follow_each_other_within_a_year(secretary):
    bill = BillFactory(amount=Decimal("900.00"))
    day = datetime.date(2026, 5, 1)
    first = record_payment(
        bill=bill,
        amount=Decimal("300"),
        paid_on=day,
        method="bank",
        reference="A1",
        acting_user=secretary,
    )
    second = record_payment(bill=bill, amount=Decimal("300"), paid_on=day, method="alipay")
    assert (first.number, second.number) == ("SJ2026-00001", "SJ2026-00002")
    assert first.recorded_by == secretary
    assert first.history.first().history_user == secretary


def test_the_secretary_records_a_payment_in_the_back_office(client, secretary):
    bill = BillFactory(amount=Decimal("3000.00"))
    client.force_login(secretary)
    url = reverse("admin:dues_payment_add")
    data = {
        "bill": bill.pk,
        "paid_on": timezone.localdate().isoformat(),
        "amount": "3000.01",
        "method": "wechat",
        "reference": "",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "3,000.00" in response.content.decode()
    assert not Payment.objects.exists()

    response = client.post(url, {**data, "amount": "1500"})
    assert response.status_code == 302
    payment = Payment.objects.get()
    assert payment.number.startswith("SJ") and payment.recorded_by == secretary
