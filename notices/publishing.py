"""Publishing a notice from the back office: to whom it goes, said before it goes, and the
one write that publishes it."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Company

from .models import Notice


def audience_summary(notice: Notice) -> str:
    """Whom the notice is for, counted: "全体会员（146 家）", "班子成员（23 人）"."""
    if notice.audience == Notice.Audience.MEMBERS:
        return _("%(audience)s (%(count)s companies)") % {
            "audience": notice.audience_label(),
            "count": Company.objects.active().count(),
        }
    return _("%(audience)s (%(count)s people)") % {
        "audience": notice.audience_label(),
        "count": notice.recipients().count(),
    }


def notice_publish(*, notice: Notice, acting_user) -> Notice:
    """Publish the notice now, or keep the later time it was given (scheduled); a notice
    already out is left as it is."""
    with transaction.atomic():
        notice = Notice.objects.select_for_update().get(pk=notice.pk)
        if notice.publish_at is None:
            notice.publish_at = timezone.now()
            if notice.expires_at is not None and notice.expires_at <= notice.publish_at:
                notice.expires_at = None
            notice._change_reason = "published"
            notice.save(update_fields=["publish_at", "expires_at", "updated_at"])
    return notice
