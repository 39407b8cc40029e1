"""The home page's reminder for the 会员发展工作小组: their prospects' next steps."""

from django.utils import timezone

from chamber.models import GroupMembership, Term, WorkingGroup
from core.rules import allows
from core.sections import Section, register_section
from members.models import Prospect

from .views import OPEN_STAGES


def home_context(request):
    roles = getattr(request, "roles", None)
    if roles is None or roles.person is None or roles.is_secretariat:
        return None
    if not allows("development.work_pipeline", roles):
        return None
    prospects = list(
        Prospect.objects.filter(owner=roles.person, stage__in=OPEN_STAGES).order_by(
            "next_step_on", "-updated_at"
        )[:5]
    )
    return {"prospects": prospects, "today": timezone.localdate()}


def register():
    register_section(
        Section(
            page="home",
            key="development",
            order=35,
            template_name="development/includes/_home.html",
            get_context=home_context,
            # Kept rendered until a prospect or the group's seats change.
            tables=(Prospect, GroupMembership, WorkingGroup, Term),
        )
    )
