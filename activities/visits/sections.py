"""What this app adds to pages it cannot own: the member's page ``/me/`` and the home page.

Registered from ``ActivitiesConfig.ready()`` through ``core.sections``; each costs one or
two queries whatever the data.
"""

from django.db.models import Case, IntegerField, OuterRef, Q, Subquery, Value, When
from django.utils import timezone

from chamber.models import Position, Term
from core.rules import allows
from core.sections import Section, register_section
from members.models import Person

from ..models import Assignment, Problem, Proposal, Visit, VisitMonth, visits_per_month
from .compliance import month_count
from .forms import ConfirmForm, ProblemRaiseForm
from .ledger import ledger_summary


def me_problems(request):
    """A member's company's problems with their status (never the internal notes), a
    confirmation form for each solved one, and the form to raise a new one."""
    roles = request.roles
    if not allows("activities.follow_company_problems", roles) or roles.company is None:
        return None
    problems = list(
        Problem.objects.filter(company=roles.company)
        .select_related("owner", "proposal")
        .order_by("-raised_on", "-pk")[:30]
    )
    for problem in problems:
        if problem.awaits_confirmation:
            problem.confirm_form = ConfirmForm(prefix=f"confirm-{problem.pk}")
    return {
        "problems": problems,
        "awaiting": sum(1 for problem in problems if problem.awaits_confirmation),
        "raise_form": ProblemRaiseForm(prefix="raise"),
    }


def home_problems(request):
    """A member's waiting problems on their home: the solved ones awaiting their 销号 first,
    then the open ones. One query."""
    roles = request.roles
    if not allows("activities.follow_company_problems", roles) or roles.company is None:
        return None
    if roles.sees_everything:
        return None  # their home leads with the board, whose problems include their company's
    waiting = list(
        Problem.objects.filter(company=roles.company)
        .filter(
            Q(status__in=Problem.OPEN_STATUSES)
            | Q(status=Problem.Status.SOLVED, confirmed_at__isnull=True)
        )
        .only("category", "description", "status", "confirmed_at", "raised_on", "due_on")
        .order_by("-raised_on", "-pk")[:20]
    )
    if not waiting and roles.is_leader:
        return None  # a leader's home leads with their visits; this card only when needed
    waiting.sort(key=lambda problem: not problem.awaits_confirmation)
    return {
        "problems": waiting[:5],
        "awaiting": sum(1 for problem in waiting if problem.awaits_confirmation),
        "open": sum(1 for problem in waiting if problem.is_open),
    }


def me_liaison(request):
    """The leader(s) responsible for the member's company this term (联系服务表), with their
    seat in the chamber, and how to reach them: their own assigned companies need their
    mobile and email. One query."""
    roles = request.roles
    if not allows("members.see_own_company", roles) or roles.company is None:
        return None
    # The seat they hold in the chamber that term (副会长, 执委 …), the highest if several: a
    # member asks the chamber's vice-president, not their company's general manager.
    rank = Case(
        *[When(title=title, then=Value(n)) for title, n in Position.TITLE_RANK.items()],
        default=Value(99),
        output_field=IntegerField(),
    )
    seat = (
        Position.objects.filter(person=OuterRef("leader"), term=OuterRef("term"))
        .order_by(rank, "order")
        .values("title")[:1]
    )
    assignments = (
        Assignment.objects.current()
        .filter(company=roles.company)
        .select_related("leader")
        .annotate(seat=Subquery(seat))
        .order_by("leader__name")
    )
    titles = dict(Position.Title.choices)
    leaders = []
    for assignment in assignments:
        leader = assignment.leader
        leader.chamber_title = titles.get(assignment.seat, "")
        leaders.append(leader)
    return {"leaders": leaders}


def home_visits(request):
    """This month's visits against the quota for a leader; the open and overdue problems for
    the president, the secretariat and supervisors."""
    roles = request.roles
    if not allows("activities.see_visits", roles):
        return None
    today = timezone.localdate()
    context = {"today": today}
    # The president's home shows every leader's month in the dashboard section instead.
    if roles.is_leader and not roles.sees_everything and roles.person is not None:
        done = month_count(roles.person, today)
        quota = visits_per_month()
        context.update(
            done=done,
            quota=quota,
            missing=max(quota - done, 0),
        )
    if roles.sees_everything:
        context["counts"] = ledger_summary(roles, today)  # cached, shared with the ledger
    return context


def register():
    register_section(
        Section(
            page="me",
            key="problems",
            order=5,  # first: raising a problem and confirming a solved one
            template_name="activities/visits/includes/_me_problems.html",
            get_context=me_problems,
            # A city member's company may have dozens of problems, each solved one with its
            # confirmation form: kept rendered until a problem (or its owner, or its
            # proposal) changes.
            tables=(Problem, Person, Proposal),
        )
    )
    register_section(
        Section(
            page="me",
            key="liaison",
            order=5,
            template_name="activities/visits/includes/_me_liaison.html",
            get_context=me_liaison,
            tables=(Assignment, Person, Position, Term),  # kept rendered until one changes
        )
    )
    register_section(
        Section(
            page="home",
            key="visits",
            order=2,  # the leader's duty comes first, above the notices
            template_name="activities/visits/includes/_home_visits.html",
            get_context=home_visits,
            # The leader's month and the ledger's figures: kept rendered until one changes.
            tables=(Visit, Visit.companions.through, VisitMonth, Problem, Assignment, Term),
        )
    )
    register_section(
        Section(
            page="home",
            key="problems",
            order=3,
            template_name="activities/visits/includes/_home_problems.html",
            get_context=home_problems,
            tables=(Problem,),  # the company's waiting problems: kept rendered until one changes
        )
    )
