"""What reaches people about events outside the pages: ``CalendarFeed``, a person's private
subscription address for their phone's calendar, and ``EventReminder``, the reminders sent the
day before, so that nobody is told twice about one event."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Created
from members.models import Person

from .events import Event, new_feed_token


class CalendarFeed(Created):
    """A user's private calendar subscription address (``/calendar/feed/<token>.ics``)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="calendar_feed",
    )
    token = models.CharField(_("secret"), max_length=64, unique=True, default=new_feed_token)
    reset_at = models.DateTimeField(_("last reset at"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar subscription")
        verbose_name_plural = _("calendar subscriptions")

    def __str__(self):
        return str(self.user)

    def get_absolute_url(self):
        return reverse("activities:calendar_feed", args=[self.token])


class EventReminder(models.Model):
    """The reminder sent to a person the day before an event: one per person and event."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="reminders"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )
    email = models.EmailField(_("sent to"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("event reminder")
        verbose_name_plural = _("event reminders")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "person"], name="activities_eventreminder_once"
            ),
        ]

    def __str__(self):
        return f"{self.person.name} · {self.event.title}"
