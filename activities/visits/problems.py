"""Writes for the problem ledger and proposals: raising, moving a problem through its statuses,
assigning, notes, the company's confirmation (销号), and proposals made of problems.

Each function is keyword-only, runs in one transaction, checks the rule it is about and records
who acted (``acting_user``) in the history and in the problem's timeline.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chamber.models import Position
from chamber.roles import roles_for, secretariat_accounts
from core import mail
from core.notifications import notify
from core.rules import allows
from members.models import Company, Person

from ..models import (
    Assignment,
    Problem,
    ProblemEvent,
    Proposal,
)
from .services import create_problem

Status = Problem.Status


# Which status a problem may move to from which. Reopening (back to 处理中) is how a settled
# problem comes back: the company was not satisfied, or the proposal came to nothing.
TRANSITIONS = {
    Status.OPEN: (Status.IN_PROGRESS, Status.SOLVED, Status.PROPOSAL, Status.DECLINED),
    Status.IN_PROGRESS: (Status.SOLVED, Status.PROPOSAL, Status.DECLINED),
    Status.SOLVED: (Status.IN_PROGRESS,),
    Status.PROPOSAL: (Status.IN_PROGRESS, Status.SOLVED),
    Status.DECLINED: (Status.IN_PROGRESS,),
}


# --- Problems -----------------------------------------------------------------------------


def responsible_leader(company: Company, on: datetime.date | None = None) -> Person | None:
    """The leader responsible for a company in the term in force (the first assigned)."""
    assignment = (
        Assignment.objects.current(on)
        .filter(company=company)
        .select_related("leader")
        .order_by("pk")
        .first()
    )
    return assignment.leader if assignment else None


def secretary_general(on: datetime.date | None = None) -> Person | None:
    position = (
        Position.objects.filter(
            title=Position.Title.SECRETARY_GENERAL,
            term__starts_on__lte=on or timezone.localdate(),
            term__ends_on__gte=on or timezone.localdate(),
        )
        .select_related("person")
        .order_by("order")
        .first()
    )
    return position.person if position else None


def problem_raise_by_company(
    *,
    acting_user,
    company: Company,
    category: str,
    description: str,
    attachment=None,
    request=None,
) -> Problem:
    """A member company raises a problem itself (企业诉求直通车).

    It is owned by the leader responsible for the company in the current term, who is emailed.
    A company nobody is responsible for goes to the secretary-general, and the secretariat is
    emailed so that someone takes it up (or nobody owns it, when there is no secretary-general
    seat either).
    """
    today = timezone.localdate()
    owner = responsible_leader(company, today)
    assigned = owner is not None
    if owner is None:
        owner = secretary_general(today)
    with transaction.atomic():
        problem = create_problem(
            company=company,
            category=category,
            description=description,
            acting_user=acting_user,
            raised_on=today,
            owner=owner,
            attachment=attachment,
        )
    recipients = [owner] if owner is not None else []
    if not assigned:
        recipients += secretariat_accounts()
    context = {
        "problem": problem,
        "company": company,
        "owner": owner,
        "assigned": assigned,
        "raised_by": getattr(acting_user, "display_name", ""),
        "url": mail.absolute_url(problem.get_absolute_url(), request),
    }
    transaction.on_commit(
        lambda: notify(recipients, "problem_raised", context, key=f"problem_raised:{problem.pk}"),
        robust=True,
    )
    return problem


def _locked(problem: Problem) -> Problem:
    return Problem.objects.select_for_update().select_related("company").get(pk=problem.pk)


def check_transition(
    problem: Problem,
    to_status: str,
    *,
    resolution: str = "",
    resolved_on: datetime.date | None = None,
    decline_reason: str = "",
    proposal: Proposal | None = None,
    note: str = "",
    today: datetime.date | None = None,
) -> None:
    """Raise ValidationError, by field, if the problem may not move to ``to_status`` so."""
    today = today or timezone.localdate()
    if to_status not in TRANSITIONS.get(problem.status, ()):
        raise ValidationError(
            _("A problem that is “%(current)s” cannot become “%(new)s”."),
            code="transition",
            params={
                "current": Status(problem.status).label,
                "new": Status(to_status).label if to_status in Status.values else to_status,
            },
        )
    errors = {}
    if to_status == Status.SOLVED:
        if not resolution.strip():
            errors["resolution"] = _("Say how the problem was solved.")
        if resolved_on is None:
            errors["resolved_on"] = _("Give the date it was solved.")
        elif resolved_on > today:
            errors["resolved_on"] = _("The date it was solved cannot be in the future.")
        elif resolved_on < problem.raised_on:
            errors["resolved_on"] = _("The date it was solved cannot come before it was raised.")
    elif to_status == Status.DECLINED and not decline_reason.strip():
        errors["decline_reason"] = _("Give the reason, for the company to read.")
    elif to_status == Status.PROPOSAL and proposal is None:
        errors["proposal"] = _("Choose the proposal.")
    elif to_status == Status.IN_PROGRESS and problem.status != Status.OPEN and not note.strip():
        errors["note"] = _("Say why the problem is reopened.")
    if errors:
        raise ValidationError(errors)


def problem_transition(
    *,
    problem: Problem,
    acting_user,
    to_status: str,
    note: str = "",
    resolution: str = "",
    resolved_on: datetime.date | None = None,
    decline_reason: str = "",
    proposal: Proposal | None = None,
    request=None,
    today: datetime.date | None = None,
) -> Problem:
    """Move a problem to another status, with what that status requires, and write it in the
    timeline: 已解决 needs the resolution and its date, 不予处理 the reason, 转提案 the proposal,
    and reopening a settled problem a note saying why."""
    with transaction.atomic():
        problem = _locked(problem)
        check_transition(
            problem,
            to_status,
            resolution=resolution,
            resolved_on=resolved_on,
            decline_reason=decline_reason,
            proposal=proposal,
            note=note,
            today=today,
        )
        from_status = problem.status
        problem.status = to_status
        if from_status == Status.SOLVED:
            problem.confirmed_at = None
            problem.satisfaction = ""
        if to_status == Status.SOLVED:
            problem.resolution = resolution.strip()
            problem.resolved_on = resolved_on
        elif to_status == Status.DECLINED:
            problem.decline_reason = decline_reason.strip()
        elif to_status == Status.PROPOSAL:
            problem.proposal = proposal
        if to_status != Status.SOLVED:
            problem.resolved_on = None
        problem._history_user = acting_user
        problem.save()
        ProblemEvent.objects.create(
            problem=problem,
            kind=ProblemEvent.Kind.STATUS,
            by=acting_user,
            from_status=from_status,
            to_status=to_status,
            note=note.strip(),
        )
        if to_status == Status.SOLVED:
            _notify_company_of_solution(problem, request)
    return problem


def _notify_company_of_solution(problem: Problem, request=None) -> None:
    """Ask the company (its main contact, and whoever raised the problem from the company)
    to confirm the solution."""
    recipients = []
    contact = problem.company.people.filter(is_main_contact=True).select_related("user").first()
    if contact is not None:
        recipients.append(contact)
    raiser = problem.raised_by
    if problem.raised_by_company and raiser is not None:
        recipients.append(raiser)
    context = {
        "problem": problem,
        "company": problem.company,
        "url": mail.absolute_url(reverse("members:me"), request),
    }
    # Solved again after a reopening is news again: the key counts the problem's events.
    key = f"problem_solved:{problem.pk}:{problem.events.count()}"
    transaction.on_commit(
        lambda: notify(recipients, "problem_solved", context, key=key), robust=True
    )


def problem_add_note(
    *, problem: Problem, acting_user, note: str, is_internal: bool = True
) -> ProblemEvent:
    """Add a note to a problem's timeline; internal notes are not shown to the company."""
    if not note.strip():
        raise ValidationError({"note": _("Write the note.")})
    with transaction.atomic():
        return ProblemEvent.objects.create(
            problem=problem,
            kind=ProblemEvent.Kind.NOTE,
            by=acting_user,
            note=note.strip(),
            is_internal=is_internal,
        )


def problem_assign(
    *,
    problem: Problem,
    acting_user,
    owner: Person | None,
    due_on: datetime.date,
    note: str = "",
    request=None,
) -> Problem:
    """Hand a problem to another owner (who is told), or give it another due date."""
    if due_on < problem.raised_on:
        raise ValidationError(
            {"due_on": _("The due date cannot come before the problem was raised.")}
        )
    with transaction.atomic():
        problem = _locked(problem)
        changes = []
        if problem.owner_id != (owner.pk if owner else None):
            changes.append(
                str(_("Owner: %(name)s")) % {"name": owner.name if owner else str(_("nobody"))}
            )
        if problem.due_on != due_on:
            changes.append(str(_("Due by %(date)s")) % {"date": due_on.isoformat()})
        if not changes:
            return problem
        handed_over = owner is not None and problem.owner_id != owner.pk
        problem.owner = owner
        problem.due_on = due_on
        problem._history_user = acting_user
        problem.save()
        event = ProblemEvent.objects.create(
            problem=problem,
            kind=ProblemEvent.Kind.ASSIGNED,
            by=acting_user,
            note="；".join([*changes, note.strip()] if note.strip() else changes),
            is_internal=True,
        )
        if handed_over and owner.pk != getattr(acting_user, "person_id", None):
            context = {
                "problem": problem,
                "company": problem.company,
                "owner": owner,
                "assigned_by": getattr(acting_user, "display_name", ""),
                "url": mail.absolute_url(problem.get_absolute_url(), request),
            }
            key = f"problem_assigned:{problem.pk}:{event.pk}"
            transaction.on_commit(
                lambda: notify([owner], "problem_assigned", context, key=key), robust=True
            )
    return problem


def problem_confirm(
    *, problem: Problem, acting_user, satisfaction: str, note: str = "", request=None
) -> Problem:
    """The company confirms a solved problem (销号) with its satisfaction. Unsatisfied, the
    problem is reopened (处理中) and its owner is emailed."""
    if satisfaction not in Problem.Satisfaction.values:
        raise ValidationError({"satisfaction": _("Choose how satisfied you are.")})
    with transaction.atomic():
        problem = _locked(problem)
        if not problem.awaits_confirmation:
            raise ValidationError(
                _("Only a solved problem not yet confirmed can be confirmed."), code="state"
            )
        event = ProblemEvent(
            problem=problem,
            kind=ProblemEvent.Kind.CONFIRMED,
            by=acting_user,
            satisfaction=satisfaction,
            note=note.strip(),
        )
        if satisfaction == Problem.Satisfaction.UNSATISFIED:
            event.from_status, event.to_status = Status.SOLVED, Status.IN_PROGRESS
            problem.status = Status.IN_PROGRESS
            problem.resolved_on = None
        else:
            problem.confirmed_at = timezone.now()
            problem.satisfaction = satisfaction
        problem._history_user = acting_user
        problem.save()
        event.save()
    if satisfaction == Problem.Satisfaction.UNSATISFIED:
        context = {
            "problem": problem,
            "company": problem.company,
            "note": note.strip(),
            "url": mail.absolute_url(problem.get_absolute_url(), request),
        }
        recipients = [problem.owner] if problem.owner_id else secretariat_accounts()
        key = f"problem_reopened:{problem.pk}:{event.pk}"
        transaction.on_commit(
            lambda: notify(recipients, "problem_reopened", context, key=key), robust=True
        )
    return problem


# --- Proposals ----------------------------------------------------------------------------


def check_carrier(carrier: Person, kind: str) -> None:
    if kind == Proposal.Kind.PROPOSAL and not carrier.is_cppcc_member:
        raise ValidationError(
            {"kind": _("A CPPCC proposal (提案) is carried by a CPPCC member.")}, code="carrier"
        )
    if kind == Proposal.Kind.MOTION and not carrier.is_npc_deputy:
        raise ValidationError(
            {"kind": _("A People's Congress motion (议案) is carried by a deputy.")},
            code="carrier",
        )


def _check_dates(status: str, submitted_on: datetime.date | None) -> datetime.date | None:
    if status != Proposal.Status.DRAFT and submitted_on is None:
        return timezone.localdate()
    return submitted_on


def proposal_create_from_problems(
    *,
    acting_user,
    carrier: Person,
    title: str,
    body: str,
    session: str,
    kind: str,
    problems: Iterable[Problem],
    status: str = Proposal.Status.DRAFT,
    submitted_on: datetime.date | None = None,
) -> Proposal:
    """A leader who sits in the CPPCC or the People's Congress turns problems into a proposal;
    each problem becomes 转提案, linked to it. Only problems the leader may move on
    (the rule ``activities.act_on_problem``) and whose status allows it."""
    problems = list(problems)
    if not problems:
        raise ValidationError({"problems": _("Choose at least one problem.")})
    roles = roles_for(acting_user)
    for problem in problems:
        if not allows("activities.act_on_problem", roles, problem):
            raise ValidationError(
                {
                    "problems": _(
                        "The problem of %(company)s is not yours to move on: ask its owner "
                        "or the secretariat."
                    )
                    % {"company": problem.company.name}
                },
                code="not_allowed",
            )
    check_carrier(carrier, kind)
    with transaction.atomic():
        proposal = Proposal(
            title=title.strip(),
            body=body.strip(),
            session=session.strip(),
            kind=kind,
            carrier=carrier,
            status=status,
            submitted_on=_check_dates(status, submitted_on),
            created_by=acting_user,
        )
        proposal.full_clean(exclude=["carrier", "created_by"])
        proposal._history_user = acting_user
        proposal.save()
        note = str(_("Turned into the proposal “%(title)s” (%(session)s).")) % {
            "title": proposal.title,
            "session": proposal.session,
        }
        for problem in problems:
            try:
                problem_transition(
                    problem=problem,
                    acting_user=acting_user,
                    to_status=Status.PROPOSAL,
                    proposal=proposal,
                    note=note,
                )
            except ValidationError:
                raise ValidationError(
                    {
                        "problems": _(
                            "The problem of %(company)s is settled already and cannot be "
                            "turned into a proposal."
                        )
                        % {"company": problem.company.name}
                    }
                ) from None
    return proposal


def proposal_update(
    *,
    proposal: Proposal,
    acting_user,
    title: str,
    body: str,
    session: str,
    kind: str,
    status: str,
    submitted_on: datetime.date | None = None,
    response: str = "",
) -> Proposal:
    check_carrier(proposal.carrier, kind)
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        proposal.title = title.strip()
        proposal.body = body.strip()
        proposal.session = session.strip()
        proposal.kind = kind
        proposal.status = status
        proposal.submitted_on = _check_dates(status, submitted_on)
        proposal.response = response.strip()
        proposal.full_clean(exclude=["carrier", "created_by"])
        proposal._history_user = acting_user
        proposal.save()
    return proposal
