"""A notice published is announced to its recipients once: at once when saved published (off
the request, on commit), and by the cron command when its time comes."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from core.notifications.models import Message

from .factories import NoticeFactory

pytestmark = pytest.mark.django_db


def test_a_notice_saved_published_is_announced_once(
    member, leader, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notice = NoticeFactory(title="关于召开例会的通知")
    told = Message.objects.filter(kind="notice_published")
    assert {m.user for m in told} >= {member}
    assert told.get(user=member).subject == "新通知：关于召开例会的通知"
    notice.refresh_from_db()
    assert notice.announced_at is not None

    count = told.count()
    with django_capture_on_commit_callbacks(execute=True):
        notice.title = "关于召开例会的通知（更正）"
        notice.save()
    call_command("announce_notices", verbosity=0)
    assert Message.objects.filter(kind="notice_published").count() == count


def test_a_scheduled_notice_is_announced_when_its_time_comes(
    member, django_capture_on_commit_callbacks
):
    later = timezone.now() + datetime.timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        notice = NoticeFactory(publish_at=later)
    call_command("announce_notices", verbosity=0)
    assert not Message.objects.filter(kind="notice_published").exists()

    type(notice).objects.filter(pk=notice.pk).update(publish_at=timezone.now())
    call_command("announce_notices", verbosity=0)
    call_command("announce_notices", verbosity=0)
    assert Message.objects.filter(kind="notice_published", user=member).count() == 1


def test_drafts_and_old_notices_are_not_announced(member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        NoticeFactory(publish_at=None)
        NoticeFactory(publish_at=timezone.now() - datetime.timedelta(days=3))
    call_command("announce_notices", verbosity=0)
    assert not Message.objects.filter(kind="notice_published").exists()
