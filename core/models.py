"""Abstract models for fields that many of the apps' models write the same way.

A model takes one of these only where its field is exactly this one (a different label or
default keeps its own field), so that no migration follows. The only tables core owns are the
notification service's (``core.notifications.models``, imported at the end of this module).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Created(models.Model):
    """A row that records when it was created."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        abstract = True


class CreatedBy(Created):
    """A row that records when it was created and by whom; the row stays when the account
    goes."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        abstract = True


from core.notifications.models import Delivery, Message, NotificationPreference  # noqa: E402,F401
