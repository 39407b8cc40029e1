"""Factories for events, sign-ups and talks. Names are invented."""

import datetime

import factory
from django.utils import timezone

from activities.models import Event, Registration, Talk
from tests.factories import CompanyFactory, PersonFactory


def in_days(days: float, hour: int = 14) -> datetime.datetime:
    """A moment ``days`` from today at ``hour`` o'clock in Shanghai."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"政策宣讲会第{n}期")
    kind = Event.Kind.POLICY
    starts_at = factory.LazyFunction(lambda: in_days(10))
    ends_at = factory.LazyAttribute(lambda e: e.starts_at + datetime.timedelta(hours=2))
    venue = "徐泾镇商会会议室"
    organisers = "徐泾镇商会"
    partners = "经发办、社区事务受理中心"
    description = "解读最新惠企政策。"


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    person = factory.SubFactory(PersonFactory)
    status = Registration.Status.REGISTERED


class TalkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Talk

    event = factory.SubFactory(EventFactory, kind=Event.Kind.SHARING)
    company = factory.SubFactory(CompanyFactory)
    topic = factory.Sequence(lambda n: f"做强做精的经验之{n}")
    summary = "分享企业转型升级的做法。"
