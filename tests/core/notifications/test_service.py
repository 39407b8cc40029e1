"""The notification service: one message per person, delivered on each of their channels by
the task queue, retried with backoff, never twice."""

import datetime

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.notifications import notify
from core.notifications.models import Delivery, Message, NotificationPreference
from core.notifications.tasks import backoff, deliver, deliver_one
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def cancelled(event, people, **kwargs):
    return notify(
        people, "event_cancelled", {"event": event, "url": "http://testserver/e/1/"}, **kwargs
    )


def channels(message):
    return {d.channel: d.status for d in message.deliveries.all()}


def test_one_message_reaches_the_inbox_email_sms_and_wechat(
    wang, event, sms_console, wechat_api, capsys
):
    [message] = cancelled(event, [wang.person, wang])  # the same person twice: one message

    assert message.user == wang and message.read_at is None
    assert message.subject == "活动取消：政策宣讲会"
    assert channels(message) == {"inapp": "sent", "email": "sent", "sms": "sent", "wechat": "sent"}
    # Email: the rendered message, to the roster's address.
    [email] = mail.outbox
    assert email.to == ["wang.li@example.com"]
    assert "政策宣讲会" in email.body and "http://testserver/e/1/" in email.body
    # SMS: the console backend's one line, with the provider template's wording.
    out = capsys.readouterr().out
    assert "[SMS] 13912345678 通知：您报名的活动“政策宣讲会”" in out
    # WeChat: a token fetched with the app's id and secret, then the template message.
    [sent] = wechat_api["sent"]
    assert sent["touser"] == "openid-wang" and sent["template_id"] == "tpl-cancelled"
    assert sent["data"]["first"]["value"] == "活动取消：政策宣讲会"
    assert sent["url"] == "http://testserver/e/1/"
    wechat_delivery = message.deliveries.get(channel="wechat")
    assert wechat_delivery.provider_id == "1001"


def test_a_non_urgent_kind_sends_no_sms(wang, sms_console, capsys):
    from tests.notices.factories import NoticeFactory

    notice = NoticeFactory(title="例会通知")
    [message] = notify([wang], "notice_unread", {"notice": notice, "url": "http://x/"})
    assert set(channels(message)) == {"inapp", "email"}  # WeChat is not configured
    assert "[SMS]" not in capsys.readouterr().out


def test_a_person_without_an_account_gets_email_but_no_inbox(event, sms_console):
    person = PersonFactory(name="李强", email="li@example.com", mobile="13900001111")
    [message] = cancelled(event, [person])
    assert message.user is None
    assert channels(message) == {"email": "sent", "sms": "sent"}
    assert Message.objects.filter(user__isnull=False).count() == 0


def test_the_persons_choice_of_channels_is_respected(wang, event, sms_console, wechat_api, capsys):
    NotificationPreference.objects.create(user=wang, email=False, sms=True, wechat=False)
    [message] = cancelled(event, [wang])
    assert channels(message) == {"inapp": "sent", "sms": "sent"}
    assert mail.outbox == [] and wechat_api["sent"] == []


def test_the_choice_cannot_stop_an_invitation_by_email(wang):
    NotificationPreference.objects.create(user=wang, email=False, sms=False, wechat=False)
    [message] = notify(
        [wang],
        "invitation",
        {
            "email_to": "wang.li@example.com",
            "username": "wang",
            "email": "wang.li@example.com",
            "inviter_name": "秘书长",
            "password_set_url": "http://testserver/set/abc/",
            "login_url": "http://testserver/login/",
            "expires_days": 3,
        },
    )
    assert channels(message) == {"email": "sent"}
    assert message.user is None  # not in the inbox: it carries the password link
    assert mail.outbox[0].to == ["wang.li@example.com"]


def test_a_key_writes_a_message_once(wang, event):
    cancelled(event, [wang], key="cancel:1")
    assert cancelled(event, [wang], key="cancel:1") == []
    assert Message.objects.count() == 1 and len(mail.outbox) == 1


def test_a_delivery_is_unique_per_message_and_channel(wang, event):
    [message] = cancelled(event, [wang])
    with pytest.raises(IntegrityError), transaction.atomic():
        Delivery.objects.create(
            message=message, channel="email", key=f"other:{message.pk}", address="x@example.com"
        )


def test_a_retried_task_never_sends_twice(wang, event, sms_console, wechat_api, capsys):
    [message] = cancelled(event, [wang])
    ids = list(message.deliveries.values_list("pk", flat=True))
    capsys.readouterr()

    # The worker runs the same task again (a retry after a crash, or enqueued twice).
    result = deliver.enqueue(ids)
    deliver_one(ids[0])

    assert result.return_value == {"sent": len(ids)}
    assert len(mail.outbox) == 1
    assert len(wechat_api["sent"]) == 1
    assert "[SMS]" not in capsys.readouterr().out
    assert {d.attempts for d in message.deliveries.all()} == {1}


def test_a_failing_channel_is_tried_again_with_backoff_then_given_up(
    wang, event, wechat_api, settings
):
    wechat_api["fail"] = 99  # WeChat answers 502 to every template message
    [message] = cancelled(event, [wang])
    delivery = message.deliveries.get(channel="wechat")
    assert delivery.status == "failed" and delivery.attempts == 1
    assert "502" in delivery.error
    assert delivery.next_attempt_at > timezone.now() + backoff(1) - datetime.timedelta(seconds=5)
    assert [backoff(n).seconds // 60 for n in (1, 2, 3, 4)] == [1, 4, 16, 64]
    # The other channels went out all the same.
    assert channels(message)["email"] == "sent"

    for _attempt in range(10):
        deliver_one(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.attempts == 5  # MAX_ATTEMPTS: then shown as failed, not retried
    assert delivery.status == "failed" and delivery.next_attempt_at is None
    assert wechat_api["sent"] == []


def test_a_retry_after_a_failure_sends_once(wang, event, wechat_api):
    wechat_api["fail"] = 1
    [message] = cancelled(event, [wang])
    delivery = message.deliveries.get(channel="wechat")
    assert delivery.status == "failed"
    deliver_one(delivery.pk)
    deliver_one(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == "sent" and delivery.attempts == 2
    assert len(wechat_api["sent"]) == 1


def test_an_expired_token_is_fetched_again(wang, event, wechat_api):
    cancelled(event, [wang])
    wechat_api["valid"].clear()  # WeChat expired the cached token
    cancelled(event, [wang])
    assert len(wechat_api["sent"]) == 2 and wechat_api["issued"] == 2


def test_someone_who_does_not_follow_the_account_is_not_retried(wang, event, wechat_api):
    wechat_api["unfollowed"].add("openid-wang")
    [message] = cancelled(event, [wang])
    delivery = message.deliveries.get(channel="wechat")
    assert delivery.status == "failed" and delivery.next_attempt_at is None
    assert "43004" in delivery.error


def test_wechat_is_off_when_not_configured(wang, event, settings):
    settings.WECHAT_MP_APP_ID = ""
    [message] = cancelled(event, [wang])
    assert "wechat" not in channels(message)


def test_a_mail_server_that_fails_costs_no_page_and_is_retried(wang, event, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    [message] = cancelled(event, [wang])
    delivery = message.deliveries.get(channel="email")
    assert delivery.status == "failed" and delivery.next_attempt_at is not None
    assert "connection refused" in delivery.error
    monkeypatch.undo()

    deliver_one(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == "sent" and len(mail.outbox) == 1


def test_the_database_backend_enqueues_instead_of_sending(wang, event, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.NOTIFY_SMS_TO_CONSOLE = False

    [message] = cancelled(event, [wang])
    assert mail.outbox == []  # nothing sent inside the request
    assert channels(message) == {"inapp": "sent", "email": "pending"}
    task = DBTaskResult.objects.get()
    assert task.args_kwargs["args"] == [[message.deliveries.get(channel="email").pk]]
    # What the worker (manage.py db_worker) then runs:
    deliver.call(*task.args_kwargs["args"])
    assert channels(message) == {"inapp": "sent", "email": "sent"} and len(mail.outbox) == 1


def test_unknown_kinds_are_refused(wang):
    with pytest.raises(LookupError):
        notify([wang], "no_such_kind", {})


def test_an_inactive_account_gets_no_inbox_message(event):
    user = UserFactory(username="gone", is_active=False, person__email="gone@example.com")
    [message] = cancelled(event, [user])
    assert message.user is None
