"""The background work of the notification service: sending each delivery, retried with
backoff, never twice.

``deliver`` is a ``django_tasks`` task (Django 6's tasks framework, backported). Each delivery
is sent under a row lock and marked sent in the same transaction; a task that runs again (a
retry, a second worker, the same ids enqueued twice) finds it sent and skips it. A failure is
tried again after 1, 4, 16 and 64 minutes (``run_after`` on the database backend; the
immediate backend cannot wait, so ``manage.py retry_deliveries`` picks those up), then given up
and shown to the secretariat as failed.
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from . import wechat
from .models import Delivery
from .registry import EMAIL, SMS, WECHAT

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
ERROR_LENGTH = Delivery._meta.get_field("error").max_length


class PermanentError(Exception):
    """Trying again cannot help (no such recipient, not following the account)."""


def backoff(attempts: int) -> datetime.timedelta:
    """The wait after the ``attempts``-th failure: 1, 4, 16, 64 minutes."""
    return datetime.timedelta(minutes=4 ** (attempts - 1))


def _send_email(delivery):
    message = delivery.message
    subject = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + message.subject
    body = message.body
    if message.url and message.url not in body:
        body = f"{body}\n\n{message.url}"
    EmailMessage(subject, body, to=[delivery.address]).send()
    return ""


def _send_sms(delivery):
    from core.sms import SmsError, send_sms

    try:
        return send_sms(delivery.address, delivery.payload["template"], delivery.payload["params"])
    except ValueError as error:  # an unknown template or the wrong parameters: a bug
        raise PermanentError(str(error)) from error
    except SmsError as error:
        if error.code == "mobile":  # not a number we can send to
            raise PermanentError(str(error)) from error
        raise


def _send_wechat(delivery):
    try:
        return wechat.send_template(
            delivery.address,
            delivery.payload["template_id"],
            delivery.payload["data"],
            delivery.message.url,
        )
    except wechat.WechatError as error:
        if error.permanent:
            raise PermanentError(str(error)) from error
        raise


SENDERS = {EMAIL: _send_email, SMS: _send_sms, WECHAT: _send_wechat}


def deliver_one(delivery_id: int) -> str:
    """Send one delivery unless it is done; return its status afterwards."""
    retry_at = None
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update()
            .select_related("message")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None:
            return "missing"
        if delivery.status in (Delivery.Status.SENT, Delivery.Status.SKIPPED):
            return delivery.status  # done already: a retried task sends nothing twice
        if delivery.status == Delivery.Status.FAILED and delivery.next_attempt_at is None:
            return delivery.status  # given up
        delivery.attempts += 1
        try:
            with transaction.atomic():  # a sender's database error leaves this row writable
                provider_id = SENDERS[delivery.channel](delivery)
        except PermanentError as error:
            delivery.status = Delivery.Status.FAILED
            delivery.error = str(error)[:ERROR_LENGTH]
            delivery.next_attempt_at = None
        except Exception as error:  # any failure of a provider is retried, then reported
            logger.warning("delivery %s by %s failed: %s", delivery.pk, delivery.channel, error)
            delivery.status = Delivery.Status.FAILED
            delivery.error = (f"{type(error).__name__}: {error}")[:ERROR_LENGTH]
            if delivery.attempts < MAX_ATTEMPTS:
                retry_at = delivery.next_attempt_at = timezone.now() + backoff(delivery.attempts)
            else:
                delivery.next_attempt_at = None
        else:
            delivery.status = Delivery.Status.SENT
            delivery.sent_at = timezone.now()
            delivery.provider_id = str(provider_id or "")[:100]
            delivery.error = ""
            delivery.next_attempt_at = None
        delivery.save()
    if retry_at is not None and deliver.get_backend().supports_defer:
        deliver.using(run_after=retry_at).enqueue([delivery.pk])
    return delivery.status


@task()
def deliver(delivery_ids: list[int]) -> dict:
    """Send the deliveries; the outcome by status, for the task's result."""
    outcome = {}
    for delivery_id in delivery_ids:
        status = deliver_one(delivery_id)
        outcome[status] = outcome.get(status, 0) + 1
    return outcome


def due_for_retry(now=None):
    """Failed deliveries whose next attempt is due."""
    now = now or timezone.now()
    return Delivery.objects.filter(
        status=Delivery.Status.FAILED, next_attempt_at__lte=now
    ).values_list("pk", flat=True)
