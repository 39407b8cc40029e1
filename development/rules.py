"""Who works the membership development pipeline (see core.rules)."""

from django.utils import timezone

from chamber.models import GroupMembership, WorkingGroup
from core.rules import rule


def in_development_group(roles) -> bool:
    """Whether the person holds a seat in the 会员发展工作小组 this term; asked once a request
    (kept on the account, as ``roles_for`` keeps the roles)."""
    person, user = roles.person, roles.user
    if person is None:
        return False
    cached = getattr(user, "_in_development_group", None)
    if cached is not None:
        return cached
    today = timezone.localdate()
    seated = GroupMembership.objects.filter(
        person=person,
        group__kind=WorkingGroup.Kind.MEMBERSHIP,
        term__starts_on__lte=today,
        term__ends_on__gte=today,
    ).exists()
    if user is not None:
        user._in_development_group = seated
    return seated


@rule("development.work_pipeline")
def work_pipeline(roles) -> bool:
    """/development/: the prospects and applications to join, their notes, owners and next
    steps, and recommending an application: the 会员发展工作小组 and the secretariat."""
    return roles.is_secretariat or in_development_group(roles)


@rule("development.decide_applications")
def decide_applications(roles) -> bool:
    """Check an application (秘书处审核) and record the executive committee's decision, which
    makes an approved applicant a member company: the secretariat."""
    return roles.is_secretariat


@rule("development.see_applications")
def see_applications(roles) -> bool:
    """The record of the applications to join in the back office, read only for the
    supervisors (监事会 read everything, change nothing), without the applicant's mobile,
    email and licence, which only those who work the pipeline see. The pipeline itself,
    /development/, is the group's and the secretariat's working page, not the supervisors'
    (design.md's pages): they get 403 there."""
    return roles.is_secretariat or roles.is_supervisor
