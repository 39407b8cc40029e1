"""What notices add to the home page: the person's current notices, pinned first, unread
marked. One query whatever the number of notices."""

from django.db.models import Case, Count, Min, Q, Sum, When, Window
from django.utils import timezone

from chamber.models import GroupMembership, Term, WorkingGroup
from core.counts import Expiring
from core.rules import allows
from core.sections import Section, register_section

from .models import Notice, NoticeRead

HOME_LIMIT = 6


def home_notices(request):
    roles = request.roles
    visible = Notice.objects.visible_to(roles).current()
    if not allows("notices.publish", roles) and not (
        roles.sees_directory or roles.titles or roles.person
    ):
        return None
    # The first few, each carrying the totals over all of them (window functions), so that
    # the section costs one query.
    notices = list(
        visible.with_read_by(roles.person)
        .annotate(
            total=Window(Count("pk")),
            unread=Window(Sum(Case(When(is_read=False, then=1), default=0))),
        )
        .select_related("group")
        .order_by("-is_pinned", "-publish_at", "-pk")[:HOME_LIMIT]
    )
    # Kept rendered until a notice, a reading or a group's seats change, or the clock
    # publishes or expires a notice (one more query, only when rendered afresh).
    until = _next_change(timezone.now())
    if not notices and not roles.sees_directory:
        return Expiring(None, until)
    total = notices[0].total if notices else 0
    marks_unread = roles.person is not None and not roles.is_secretariat
    context = {
        "notices": notices,
        "total": total,
        "unread": notices[0].unread if notices and marks_unread else 0,
        "more": total > len(notices),
        "marks_unread": marks_unread,
    }
    return Expiring(context, until)


def _next_change(now):
    """The next moment a notice is published or expires (None: none will), over every notice
    whoever may read it: at worst the section is rendered again for nothing."""
    moments = Notice.objects.aggregate(
        published=Min("publish_at", filter=Q(publish_at__gt=now)),
        expires=Min("expires_at", filter=Q(expires_at__gt=now)),
    )
    return min((moment for moment in moments.values() if moment is not None), default=None)


def register():
    register_section(
        Section(
            page="home",
            key="notices",
            order=40,  # after each role's duty (the leader's month, the member's problems)
            template_name="notices/includes/_home_notices.html",
            get_context=home_notices,
            tables=(Notice, NoticeRead, WorkingGroup, GroupMembership, Term),
        )
    )
