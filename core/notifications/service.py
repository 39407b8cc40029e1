"""``notify()``: one message to each recipient, in their inbox and by their channels.

The request only writes rows: a ``Message`` per recipient (rendered once, in Chinese, from the
kind's templates) and a ``Delivery`` per channel, then enqueues one task that sends them
(``tasks.deliver``). With the database backend the task row is written in the same
transaction as the messages, so a rolled-back page sends nothing; the immediate backend (tests
and ``make run``) sends at once, as the emails always were.
"""

import logging
import uuid
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils import timezone, translation

from core import mail

from . import registry, wechat
from .models import Delivery, Message, NotificationPreference
from .registry import EMAIL, INAPP, SMS, WECHAT

logger = logging.getLogger(__name__)

WECHAT_PROVIDER = "weixin"
SUBJECT_LENGTH = Message._meta.get_field("subject").max_length


@dataclass
class Recipient:
    ident: str  # "u<account id>" or "p<person id>": one message per person however named
    user: object | None
    person: object | None
    name: str
    email: str
    mobile: str
    openid: str = ""


def _is_account(obj) -> bool:
    return hasattr(obj, "get_username")


def _resolve(obj) -> Recipient | None:
    if obj is None:
        return None
    if _is_account(obj):
        user, person = obj, getattr(obj, "person", None)
    else:
        person = obj
        user = getattr(person, "user", None)  # RelatedObjectDoesNotExist is an AttributeError
    if user is not None and not user.is_active:
        user = None
    if person is not None:
        name, email, mobile = person.name, mail.address_of(person), person.mobile or ""
    else:
        name, email, mobile = str(user), (user.email or "").strip(), ""
    ident = f"u{user.pk}" if user is not None else f"p{person.pk}"
    return Recipient(ident, user, person, name, email, mobile)


def _openids(user_ids) -> dict[int, str]:
    """{account id: openid} of the accounts linked to WeChat (one query)."""
    if not user_ids or not apps.is_installed("allauth.socialaccount"):
        return {}
    from allauth.socialaccount.models import SocialAccount

    rows = SocialAccount.objects.filter(provider=WECHAT_PROVIDER, user_id__in=user_ids)
    return {
        row.user_id: (row.extra_data or {}).get("openid") or row.uid
        for row in rows.only("user_id", "uid", "extra_data")
    }


def render(kind: registry.Kind, context: dict) -> tuple[str, str]:
    """The subject (one line) and text of a message, in the chamber's language."""
    with translation.override(settings.LANGUAGE_CODE):
        context = {"chamber_name": settings.CHAMBER_NAME, **context}
        subject = render_to_string(f"{kind.template}_subject.txt", context)
        body = render_to_string(f"{kind.template}_message.txt", context)
    return " ".join(subject.split())[:SUBJECT_LENGTH], body.strip()


def sms_on() -> bool:
    """SMS goes out when a provider is configured, or to the console where that is allowed
    (development, and the tests that turn it on)."""
    try:
        from core.sms import sms_configured
    except ImportError:
        return False
    return sms_configured() or settings.NOTIFY_SMS_TO_CONSOLE


def wechat_data(kind: registry.Kind, subject: str, body: str, context: dict) -> dict:
    if "wechat_data" in kind.extra:
        return kind.extra["wechat_data"](context)
    first_line = next((line for line in body.splitlines() if line.strip()), "")
    return {
        "first": subject,
        "keyword1": settings.CHAMBER_NAME,
        "keyword2": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        "remark": first_line[:100],
    }


def notify(recipients, kind, context, *, key=None) -> list[Message]:
    """Write a message to each recipient and enqueue its deliveries; return the new messages.

    ``recipients``: accounts or people on the roster (anything with ``email``, ``mobile`` and
    perhaps ``user``), in any mix; the same person twice gets one message. ``kind``: a
    registered kind's name. ``context``: the templates' context, or a function of the
    recipient (as passed) that returns it. ``key``: an idempotency key (e.g.
    ``"visit_reminder:2026-12"``); a recipient who already has a message with this key gets
    no second one.
    """
    kind = registry.get(kind)
    resolved: dict[str, tuple[Recipient, object]] = {}
    for obj in recipients:
        recipient = _resolve(obj)
        if recipient is not None and recipient.ident not in resolved:
            resolved[recipient.ident] = (recipient, obj)
    if not resolved:
        return []
    if key is not None:
        keys = {f"{key}:{ident}": ident for ident in resolved}
        for done in Message.objects.filter(key__in=keys).values_list("key", flat=True):
            resolved.pop(keys[done], None)
    user_ids = [r.user.pk for r, _ in resolved.values() if r.user is not None]
    preferences = {
        p.user_id: p for p in NotificationPreference.objects.filter(user_id__in=user_ids)
    }
    wechat_on = WECHAT in kind.channels and wechat.configured()
    openids = _openids(user_ids) if wechat_on else {}
    sms = SMS in kind.channels and sms_on()

    batch = uuid.uuid4()
    now = timezone.now()
    messages, planned = [], []
    for recipient, obj in resolved.values():
        values = context(obj) if callable(context) else context
        values = {"recipient": recipient, "person": recipient.person, **values}
        subject, body = render(kind, values)
        email = values.get("email_to", recipient.email)
        in_inbox = INAPP in kind.channels and recipient.user is not None
        messages.append(
            Message(
                user=recipient.user if in_inbox else None,
                recipient=recipient.name[:100],
                kind=kind.name,
                subject=subject,
                body=body,
                url=str(values.get("url", ""))[:500],
                batch=batch,
                key=f"{key}:{recipient.ident}" if key is not None else None,
            )
        )
        chosen = preferences.get(getattr(recipient.user, "pk", None))

        def allows(channel, chosen=chosen):
            return chosen is None or chosen.allows(channel)

        channels = []
        if in_inbox:
            channels.append((INAPP, str(recipient.user.pk), {}))
        if EMAIL in kind.channels and email and (kind.email_always or allows(EMAIL)):
            channels.append((EMAIL, email, {}))
        if sms and recipient.mobile and allows(SMS):
            params = {k: str(v) for k, v in kind.sms_params(values).items()}
            payload = {"template": kind.sms_template, "params": params}
            channels.append((SMS, recipient.mobile, payload))
        openid = openids.get(getattr(recipient.user, "pk", None))
        if wechat_on and openid and allows(WECHAT):
            payload = {
                "template_id": wechat.template_for(kind.name),
                "data": wechat_data(kind, subject, body, values),
            }
            channels.append((WECHAT, openid, payload))
        planned.append(channels)

    messages = Message.objects.bulk_create(messages)
    deliveries = [
        Delivery(
            message=message,
            channel=channel,
            address=address[:200],
            payload=payload,
            key=Delivery.key_for(message.pk, channel),
            # The inbox has it the moment the row exists.
            status=Delivery.Status.SENT if channel == INAPP else Delivery.Status.PENDING,
            sent_at=now if channel == INAPP else None,
            attempts=1 if channel == INAPP else 0,
        )
        for message, channels in zip(messages, planned, strict=True)
        for channel, address, payload in channels
    ]
    deliveries = Delivery.objects.bulk_create(deliveries)
    pending = [d.pk for d in deliveries if d.status == Delivery.Status.PENDING]
    if pending:
        from .tasks import deliver

        deliver.enqueue(pending)
    return messages


def unread_count(user) -> int:
    """How many of the user's messages are unread: read off the account when it was loaded
    with ``with_unread()`` (as every request's is, chamber.backends), else one count over a
    partial index (the unread rows of one account)."""
    count = getattr(user, "inbox_unread", None)
    if count is None:
        count = Message.objects.filter(user=user, read_at__isnull=True).count()
    return count


def with_unread(accounts):
    """``accounts`` (a queryset of users) annotated with ``inbox_unread``: a subquery in the
    same query, so the header's count costs no query of its own."""
    unread = (
        Message.objects.filter(user=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("user")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return accounts.annotate(inbox_unread=Coalesce(Subquery(unread), 0))
