"""The demo calendar: a year of the article's activities, the sharing meetings with one quarter
missing, sign-ups and check-ins, one full event with a waiting list; loaded only once."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db.models import Count, Q
from django.utils import timezone

from activities.models import Event, Registration, Talk
from chamber.models import User
from demo.events import FULL_EVENT, WAITING

Status = Registration.Status


@pytest.fixture
def seeded(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())


def quarter(day):
    return day.year, (day.month - 1) // 3 + 1


@pytest.mark.dates
def test_the_demo_calendar_holds_the_articles_activities(seeded):
    today = timezone.localdate()
    events = Event.objects.all()
    assert set(events.values_list("kind", flat=True)) == set(Event.Kind.values)
    titles = " ".join(events.values_list("title", flat=True))
    for words in (
        "红星课堂",
        "银行行长",
        "法律服务咨询",
        "环境志愿",
        "居住证积分",
        "教育专家",
        "专家医师",
        "体检",
        "送清凉",
        "重阳节",
        "进博会",
        "联谊",
    ):
        assert words in titles, words
    # About a year of them, past and coming.
    starts = [timezone.localtime(e.starts_at).date() for e in events]
    assert min(starts) < today - datetime.timedelta(days=240)
    assert max(starts) > today + datetime.timedelta(days=30)
    assert set(events.values_list("audience", flat=True)) == set(Event.Audience.values)

    # Four sharing meetings with talks in the last five quarters; the one two quarters back
    # is missing.
    meetings = events.filter(kind=Event.Kind.SHARING)
    assert meetings.count() == 4
    assert not meetings.annotate(n=Count("talks")).filter(n__lt=2).exists()
    held = {quarter(timezone.localtime(m.starts_at).date()) for m in meetings}
    index = today.year * 4 + quarter(today)[1] - 1
    last_five = [((index - n) // 4, (index - n) % 4 + 1) for n in range(5)]
    assert [q for q in last_five if q not in held] == [last_five[2]]
    assert Talk.objects.count() >= 8

    # Past events have sign-ups, check-ins and minutes.
    past = events.filter(ends_at__lt=timezone.now(), audience=Event.Audience.MEMBERS)
    assert Registration.objects.attended().filter(event__in=past).count() > 200
    assert not past.filter(minutes="").exists()

    # One full coming event with a waiting list; the member login is second on it.
    full = Event.objects.get(title=FULL_EVENT.title)
    assert full.starts_at > timezone.now()
    assert full.registrations.filter(status=Status.REGISTERED).count() == full.capacity
    waiting = list(
        full.registrations.waiting_order().values_list("person__user__username", flat=True)
    )
    assert len(waiting) == WAITING + 1
    assert waiting[1] == "member"
    member = User.objects.get(username="member").person
    assert (
        Registration.objects.registered()
        .filter(person=member, event__starts_at__gt=timezone.now())
        .count()
        == 2
    )

    # No sign-up breaks the rules: never more places than the capacity.
    for event in events.filter(capacity__isnull=False).annotate(
        n=Count("registrations", filter=Q(registrations__status=Status.REGISTERED))
    ):
        assert event.n <= event.capacity, event.title


def test_a_second_run_adds_no_event_sign_up_or_talk(seeded):
    counts = (Event.objects.count(), Registration.objects.count(), Talk.objects.count())
    history = Event.history.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert (Event.objects.count(), Registration.objects.count(), Talk.objects.count()) == counts
    assert Event.history.count() == history
