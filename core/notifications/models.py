"""What the chamber said to whom (``Message``, the inbox), how each was delivered
(``Delivery``, one row per channel) and how each person wants to be reached
(``NotificationPreference``).

The rows live in ``core`` (app label ``core``) because every app sends through them; they name
the recipient's account, never an app's model, so ``core`` still imports no app. A person on the
roster without an account gets no inbox message; their deliveries hang off a message without a
user, which only the secretariat's admin shows.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import Created

from . import registry
from .registry import EMAIL, INAPP, SMS, WECHAT

CHANNEL_CHOICES = [
    (INAPP, _("inbox")),
    (EMAIL, _("by email")),
    (SMS, _("SMS")),
    (WECHAT, _("WeChat")),
]


class Message(Created):
    """One message to one recipient: what the inbox shows."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient account"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="messages",
    )
    recipient = models.CharField(_("recipient"), max_length=100)
    kind = models.CharField(_("kind"), max_length=50)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    # The one notify() call that wrote it: the same notice to 300 people is one batch.
    batch = models.UUIDField(_("batch"), db_index=True)
    # The caller's idempotency key with the recipient: the same reminder is written once.
    key = models.CharField(_("key"), max_length=200, null=True, blank=True, unique=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="core_message_inbox_idx"),
            models.Index(
                fields=["user"], condition=Q(read_at__isnull=True), name="core_message_unread_idx"
            ),
        ]

    def __str__(self):
        return self.subject

    @property
    def kind_label(self):
        try:
            return registry.get(self.kind).label
        except LookupError:
            return self.kind


class Delivery(models.Model):
    """One message by one channel; ``key`` (message and channel) is unique, so a retried task
    finds the delivery done and never sends it twice."""

    class Status(models.TextChoices):
        PENDING = "pending", _("to be sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        SKIPPED = "skipped", _("not sent")

    message = models.ForeignKey(
        Message, verbose_name=_("message"), on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=CHANNEL_CHOICES)
    address = models.CharField(_("address"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.CharField(_("error"), max_length=500, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    provider_id = models.CharField(_("provider's message id"), max_length=100, blank=True)
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    key = models.CharField(_("key"), max_length=60, unique=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["message", "channel"]
        constraints = [
            models.UniqueConstraint(
                fields=["message", "channel"], name="core_delivery_once_per_channel"
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="failed", next_attempt_at__isnull=False),
                name="core_delivery_retry_idx",
            ),
        ]

    def __str__(self):
        return f"{self.message} · {self.get_channel_display()}"

    @staticmethod
    def key_for(message_id: int, channel: str) -> str:
        return f"{message_id}:{channel}"


class NotificationPreference(models.Model):
    """The channels a person lets the chamber use besides the inbox (all on by default)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    email = models.BooleanField(_("by email"), default=True)
    sms = models.BooleanField(_("SMS"), default=True)
    wechat = models.BooleanField(_("WeChat"), default=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return str(self.user)

    def allows(self, channel: str) -> bool:
        return bool(getattr(self, channel, True))
