"""The messages notices sends (``core.notifications``): a notice published, and a reminder to
those who have not read it. Both reach the inbox, email and WeChat, never SMS."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import mail
from core.notifications import EMAIL, INAPP, WECHAT, Kind, notify, register

# A notice published longer ago than this is not announced any more (one published before
# the service existed, or the demo's): the people have seen it on their pages by then.
ANNOUNCE_WITHIN = datetime.timedelta(days=1)


def register_kinds() -> None:
    register(
        Kind(
            "notice_published",
            "notices/email/published",
            _("a notice published"),
            (INAPP, EMAIL, WECHAT),
        )
    )
    register(
        Kind(
            "notice_unread",
            "notices/email/unread",
            _("a notice not yet read"),
            (INAPP, EMAIL, WECHAT),
        )
    )


def due_for_announcement(now=None):
    """Published notices not yet announced, published within ``ANNOUNCE_WITHIN``."""
    from .models import Notice

    now = now or timezone.now()
    return Notice.objects.current(now).filter(
        announced_at__isnull=True, publish_at__gte=now - ANNOUNCE_WITHIN
    )


def announce(notice_id: int, now=None) -> int:
    """Tell the notice's recipients it is published (once: the notice keeps when); how many
    were told."""
    from .models import Notice

    now = now or timezone.now()
    with transaction.atomic():
        notice = due_for_announcement(now).select_for_update().filter(pk=notice_id).first()
        if notice is None:
            return 0
        people = notice.recipients().select_related("user")
        context = {"notice": notice, "url": mail.absolute_url(notice.get_absolute_url())}
        told = notify(people, "notice_published", context, key=f"notice_published:{notice.pk}")
        Notice.objects.filter(pk=notice.pk).update(announced_at=now)
    return len(told)


def on_notice_saved(sender, instance, raw=False, **kwargs):
    """A notice saved published (now, not later): announce it once the save commits, off the
    request. Scheduled ones are announced by ``manage.py announce_notices`` (cron)."""
    if raw or instance.announced_at is not None or instance.publish_at is None:
        return
    now = timezone.now()
    if not (now - ANNOUNCE_WITHIN <= instance.publish_at <= now):
        return
    from .tasks import announce_notice

    transaction.on_commit(lambda: announce_notice.enqueue(instance.pk), robust=True)
