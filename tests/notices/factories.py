"""Factories for notices, the journal and spotlights. Titles are invented."""

import datetime

import factory
from django.utils import timezone

from chamber.models import DocumentVersion
from notices.models import JournalIssue, Notice, NoticeRead, Spotlight
from tests.factories import CompanyFactory, DocumentFactory


def hours_ago(hours: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(hours=hours)


class NoticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notice

    title = factory.Sequence(lambda n: f"关于测试事项的通知（第{n}号）")
    body = "<p>各会员企业：</p><p>请按时参加。</p>"
    audience = Notice.Audience.MEMBERS
    publish_at = factory.LazyFunction(lambda: hours_ago(2))


class NoticeReadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NoticeRead

    notice = factory.SubFactory(NoticeFactory)


class JournalIssueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JournalIssue

    number = factory.Sequence(lambda n: 100 + n)
    title = factory.Sequence(lambda n: f"2026年第{n}期 · 测试专刊")
    published_on = datetime.date(2026, 9, 15)
    summary = "本期刊登会员企业先进典型。"


class SpotlightFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Spotlight

    company = factory.SubFactory(CompanyFactory)
    title = factory.Sequence(lambda n: f"先进典型事迹第{n}篇")
    summary = "一家会员企业的好做法。"
    story = "<p>企业克服困难，支持地方发展。</p>"
    published_on = datetime.date(2026, 9, 15)


class DocumentVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DocumentVersion

    document = factory.SubFactory(DocumentFactory, is_published=False, body="")
    label = "征求意见稿"
    body = "第一条 会费每年缴纳一次。"
    comment_starts_on = factory.LazyFunction(
        lambda: timezone.localdate() - datetime.timedelta(days=2)
    )
    comment_ends_on = factory.LazyFunction(
        lambda: timezone.localdate() + datetime.timedelta(days=5)
    )
