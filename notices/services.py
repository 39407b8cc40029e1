"""Writes about notices: a read receipt, reminding the people who have not read one, and the
pictures uploaded into a text."""

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from core import mail
from core.counts import written
from core.notifications import notify, reachable
from members.models import Person

from .models import EditorImage, Notice, NoticeRead, Spotlight


def record_read(*, notice: Notice, person: Person | None) -> None:
    """Count the notice as read by the person (once: a second opening changes nothing)."""
    if person is None:
        return
    NoticeRead.objects.bulk_create(
        [NoticeRead(notice=notice, person=person, read_at=timezone.now())], ignore_conflicts=True
    )
    written(NoticeRead)  # the home page's notices mark it read


@dataclass
class Reading:
    """Who among the people a notice is addressed to has read it, and who has not."""

    read: list = field(default_factory=list)
    unread: list = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.read) + len(self.unread)

    @property
    def percent(self) -> int:
        return round(100 * len(self.read) / self.total) if self.total else 0


def reading_of(notice: Notice) -> Reading:
    """The notice's recipients, each with ``read_at`` (None if unread), in one query."""
    people = (
        notice.recipients()
        .annotate(
            read_at=Subquery(
                NoticeRead.objects.filter(notice=notice, person=OuterRef("pk")).values("read_at")[
                    :1
                ]
            )
        )
        .select_related("company", "user")
        .order_by("company__name_pinyin", "name", "pk")
    )
    reading = Reading()
    for person in people:
        (reading.read if person.read_at else reading.unread).append(person)
    reading.read.sort(key=lambda p: p.read_at, reverse=True)
    return reading


def email_unread(*, notice: Notice, acting_user, request=None) -> tuple[list, list]:
    """Remind every recipient who has not read the notice (inbox, email, WeChat: their
    channels), with a link to it.

    Returns (people reminded, people who cannot be reached: neither an account nor an email
    address; none so far, as a notice's recipients have accounts). The messages are written here
    and sent by the task queue; the time is kept on the notice and the action in the admin's
    log.
    """
    unread = reading_of(notice).unread
    reached = [person for person in unread if reachable(person)]
    unreachable = [person for person in unread if not reachable(person)]
    url = mail.absolute_url(notice.get_absolute_url(), request)
    # The log is in the chamber's language whatever language the staff member uses.
    with translation.override(settings.LANGUAGE_CODE):
        change_message = gettext("Reminded %(count)s people who had not read it.") % {
            "count": len(reached)
        }
    if reached:
        notify(reached, "notice_unread", {"notice": notice, "url": url})
        now = timezone.now()
        Notice.objects.filter(pk=notice.pk).update(reminded_at=now)
        notice.reminded_at = now
        LogEntry.objects.log_actions(
            user_id=acting_user.pk,
            queryset=[notice],
            action_flag=CHANGE,
            change_message=change_message,
            single_object=True,
        )
    return reached, unreachable


# --- Pictures in a text ---------------------------------------------------------------------


def editor_image_upload(*, upload: UploadedFile, acting_user) -> EditorImage:
    """Store a picture uploaded from the editor (already checked and scaled down by its form
    field, ``core.images``), privately, until a saved text links it."""
    return EditorImage.objects.create(image=upload, created_by=acting_user)


def _picture_ids(html: str) -> set[int]:
    prefix = re.escape(reverse("notices:editor_image", args=[0]).removesuffix("0/"))
    return {int(pk) for pk in re.findall(rf'src="{prefix}(\d+)/"', html or "")}


@transaction.atomic
def link_editor_images(obj: Notice | Spotlight) -> None:
    """Record which uploaded pictures a saved notice's or spotlight's text shows: those are
    served to whoever may read it (``EditorImage.objects.visible_to``), the others only to
    the secretariat."""
    html = obj.body if isinstance(obj, Notice) else obj.story
    obj.images.set(EditorImage.objects.filter(pk__in=_picture_ids(html)))
