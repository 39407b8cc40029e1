"""Factories for the models that only the admin shows: logs, reminders, comments, photos and
the four-goods frameworks. The permission walk (tests/test_permissions.py) makes one of each."""

import datetime
from decimal import Decimal

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.utils import timezone

from activities.models import EventReminder, VisitReminder
from chamber.models import DocumentComment
from charity.models import Photo, UnmaskLog
from core.notifications.models import Delivery, Message
from reports.models import Framework, Heading, Indicator, IndicatorScore

from .activities.events.factories import EventFactory
from .charity.factories import CampaignFactory, StudentFactory
from .factories import PersonFactory, UserFactory
from .notices.factories import DocumentVersionFactory


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    name = factory.Sequence(lambda n: f"测试组{n}")


class EmailAddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EmailAddress

    user = factory.SubFactory(UserFactory)
    email = factory.Sequence(lambda n: f"second{n}@example.com")
    verified = True
    primary = False


class DocumentCommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DocumentComment

    version = factory.SubFactory(DocumentVersionFactory)
    person = factory.SubFactory(PersonFactory)
    body = "建议会费分两次缴纳。"


class VisitReminderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VisitReminder

    leader = factory.SubFactory(PersonFactory)
    month = factory.LazyFunction(lambda: timezone.localdate().replace(day=1))
    visits_done = 0
    email = factory.LazyAttribute(lambda r: r.leader.email)


class EventReminderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventReminder

    event = factory.SubFactory(EventFactory)
    person = factory.SubFactory(PersonFactory)
    email = factory.LazyAttribute(lambda r: r.person.email)


class PhotoFactory(factory.django.DjangoModelFactory):
    """A campaign photo. Only its name is stored: no page of the walk opens the file."""

    class Meta:
        model = Photo

    campaign = factory.SubFactory(CampaignFactory)
    image = "charity/test/photo.jpg"
    caption = "捐赠仪式"
    taken_on = datetime.date(2017, 4, 18)


class UnmaskLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UnmaskLog

    user = factory.SubFactory(UserFactory)
    beneficiary = factory.SubFactory(StudentFactory)
    where = "/admin/charity/beneficiary/"


class FrameworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Framework

    code = factory.Sequence(lambda n: f"test-{n}")
    name = "四好商会测试标准"
    version = "测试版"


class HeadingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Heading

    framework = factory.SubFactory(FrameworkFactory)
    title = "政治引领好"


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    heading = factory.SubFactory(HeadingFactory)
    code = factory.Sequence(lambda n: f"T{n}")
    text = "建立健全党建工作机制"
    metric = factory.LazyFunction(lambda: Indicator._meta.get_field("metric").choices[0][0])


class IndicatorScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorScore

    year = factory.LazyFunction(lambda: timezone.localdate().year)
    indicator = factory.SubFactory(IndicatorFactory)
    score = Decimal("8.0")
    comment = "已建立党支部。"


class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Message

    user = factory.SubFactory(UserFactory)
    recipient = "测试收件人"
    kind = "notice_unread"
    subject = "请阅读：例会通知"
    body = "您好，商会发布了一则通知。"
    batch = factory.Faker("uuid4")


class DeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delivery

    message = factory.SubFactory(MessageFactory)
    channel = "email"
    address = "someone@example.com"
    status = Delivery.Status.FAILED
    attempts = 1
    error = "OSError: connection refused"
    key = factory.LazyAttribute(lambda d: Delivery.key_for(d.message.pk, d.channel))
