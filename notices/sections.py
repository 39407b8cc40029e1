"""What notices add to the home page: the person's current notices, pinned first, unread
marked. One query whatever the number of notices."""

from django.db.models import Case, Count, Sum, When, Window

from core.rules import allows
from core.sections import Section, register_section

from .models import Notice

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
    if not notices and not roles.sees_directory:
        return None
    total = notices[0].total if notices else 0
    marks_unread = roles.person is not None and not roles.is_secretariat
    return {
        "notices": notices,
        "total": total,
        "unread": notices[0].unread if notices and marks_unread else 0,
        "more": total > len(notices),
        "marks_unread": marks_unread,
    }


def register():
    register_section(
        Section(
            page="home",
            key="notices",
            order=40,  # after each role's duty (the leader's month, the member's problems)
            template_name="notices/includes/_home_notices.html",
            get_context=home_notices,
        )
    )
