"""Reminders about overdue dues: by email to the company's main contacts, never twice in a
month for a bill."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from dues.models import Reminder
from dues.services import ReminderOutcome, remind_bill

from ..factories import CompanyFactory, PersonFactory, UserFactory
from .factories import BillFactory, PaymentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def overdue():
    company = CompanyFactory(name="上海虚构丙实业有限公司")
    PersonFactory(company=company, is_main_contact=True, email="boss@example.com")
    PersonFactory(company=company, email="clerk@example.com")
    bill = BillFactory(company=company, amount=Decimal("3000.00"))
    PaymentFactory(bill=bill, amount=Decimal("1000.00"))
    return bill


def test_an_overdue_bill_is_reminded_once_a_month(overdue):
    today = timezone.localdate()
    assert remind_bill(overdue, today=today) == ReminderOutcome.SENT
    assert remind_bill(overdue, today=today) == ReminderOutcome.ALREADY

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["boss@example.com"]
    assert "2,000.00" in email.body and overdue.number in email.body
    assert "会费缴纳提醒" in email.subject
    reminder = Reminder.objects.get()
    assert reminder.period == f"{today:%Y-%m}" and reminder.outstanding == Decimal("2000.00")

    # A new month is a new period.
    next_month = (today.replace(day=28) + datetime.timedelta(days=5)).replace(day=1)
    assert remind_bill(overdue, today=next_month) == ReminderOutcome.SENT
    assert len(mail.outbox) == 2


def test_a_paid_or_not_yet_due_bill_is_not_reminded(overdue):
    PaymentFactory(bill=overdue, amount=Decimal("2000.00"))
    assert remind_bill(overdue) == ReminderOutcome.SETTLED
    later = BillFactory(due_on=timezone.localdate() + datetime.timedelta(days=10))
    assert remind_bill(later) == ReminderOutcome.SETTLED
    assert mail.outbox == [] and not Reminder.objects.exists()


def test_the_reminder_reaches_the_contacts_inbox_once(overdue):
    """The reminder goes through the notification service: the contact with an account finds
    it in their inbox, and a second run in the month writes no second message."""
    from core.notifications.models import Message

    boss = overdue.company.people.get(is_main_contact=True)
    user = UserFactory(username="boss", person=boss)
    remind_bill(overdue)
    remind_bill(overdue)
    assert Message.objects.filter(user=user, kind="dues_reminder").count() == 1


def test_a_company_without_an_address_is_named(overdue):
    overdue.company.people.update(email="")
    assert remind_bill(overdue) == ReminderOutcome.NO_ADDRESS
    assert not Reminder.objects.exists()


def test_the_secretary_reminds_from_the_arrears_list_once(client, secretary, overdue):
    client.force_login(secretary)
    url = reverse("dues:remind", args=[overdue.company_id])
    first = client.post(url, follow=True).content.decode()
    second = client.post(url, follow=True).content.decode()
    assert "已向上海虚构丙实业有限公司发送催缴提醒" in first
    assert "本月已提醒过上海虚构丙实业有限公司" in second
    assert len(mail.outbox) == 1 and Reminder.objects.get().sent_by == secretary


def test_the_admin_action_reminds_once(client, secretary, overdue):
    client.force_login(secretary)
    url = reverse("admin:dues_bill_changelist")
    data = {"action": "remind", "_selected_action": [overdue.pk], "index": 0}
    client.post(url, data)
    client.post(url, data)
    assert len(mail.outbox) == 1
