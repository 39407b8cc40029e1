"""Reminding the leaders below the monthly quota: after the 20th, once a month."""

import datetime
import io

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from activities.models import VisitReminder

from .factories import AssignmentFactory, VisitFactory

pytestmark = pytest.mark.django_db


def remind(on: datetime.date) -> str:
    out = io.StringIO()
    call_command("remind_visits", date=on.isoformat(), stdout=out)
    return out.getvalue()


@pytest.fixture
def month(term):
    """A month well inside the term."""
    return datetime.date(term.starts_on.year + 1, 5, 1)


def test_nothing_goes_out_until_after_the_20th(leader, month):
    remind(month.replace(day=20))
    assert mail.outbox == []
    assert not VisitReminder.objects.exists()


def test_each_leader_below_the_quota_is_mailed_once_a_month(leader, other_leader, president, month):
    VisitFactory(leader=president.person, visited_on=month.replace(day=3))
    VisitFactory(leader=president.person, visited_on=month.replace(day=9))
    VisitFactory(leader=leader.person, visited_on=month.replace(day=12))

    output = remind(month.replace(day=21))
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [leader.person.email, other_leader.person.email]
    )
    body = next(m.body for m in mail.outbox if m.to == [leader.person.email])
    assert "已走访 1 家" in body and "再走访 1 家" in body
    assert "/visits/" in body
    assert "副会长甲" in output

    # Daily runs the rest of the month send nothing more, even after a visit or two.
    remind(month.replace(day=22))
    remind(month.replace(day=30))
    assert len(mail.outbox) == 2
    assert VisitReminder.objects.filter(month=month).count() == 2
    reminder = VisitReminder.objects.get(leader=leader.person)
    assert (reminder.visits_done, reminder.email, reminder.sent_by) == (
        1,
        leader.person.email,
        None,
    )

    # The next month is a new month.
    remind(month.replace(month=month.month + 1, day=25))
    assert len(mail.outbox) == 5


def test_a_fellow_leaders_visit_counts_and_a_leader_without_email_is_named(
    leader, other_leader, month
):
    first = VisitFactory(
        leader=other_leader.person, visited_on=month.replace(day=2), companions=[leader.person]
    )
    second = VisitFactory(leader=other_leader.person, visited_on=month.replace(day=4))
    # Neither an email address nor an account that logs in (no inbox): nothing reaches them.
    leader.email = ""
    leader.is_active = False
    leader.save()
    leader.person.email = ""
    leader.person.save()
    output = remind(month.replace(day=25))
    assert "no email address: 副会长甲" in output
    assert mail.outbox == []  # the other leader met the quota
    assert not VisitReminder.objects.exists()

    second.companions.add(leader.person)
    assert first.companions.get() == leader.person
    assert "副会长甲" not in remind(month.replace(day=26))


def test_the_secretary_reminds_from_the_back_office_without_mailing_twice(
    client, secretary, leader, other_leader, term, month, monkeypatch
):
    from activities.visits import services

    today = month.replace(day=23)
    monkeypatch.setattr(services.timezone, "localdate", lambda *args: today)
    for person in (leader.person, other_leader.person):
        AssignmentFactory(term=term, leader=person)
    remind(today)
    assert len(mail.outbox) == 2
    VisitReminder.objects.filter(leader=other_leader.person).delete()

    client.force_login(secretary)
    response = client.post(
        reverse("admin:activities_assignment_changelist"),
        {
            "action": "remind_below_quota",
            "_selected_action": [a.pk for a in leader.person.assignments.all()]
            + [a.pk for a in other_leader.person.assignments.all()],
        },
        follow=True,
    )
    notes = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("已提醒：执委乙" in note for note in notes)
    assert any("本月已提醒过，未重复发送：副会长甲" in note for note in notes)
    assert len(mail.outbox) == 3
    assert VisitReminder.objects.get(leader=other_leader.person).sent_by == secretary
