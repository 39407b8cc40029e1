"""Writes for visits, problems, proposals and reminders.

Each function is keyword-only, runs in one transaction, checks the rule it is about and records
who acted (``acting_user``) in the history and in the problem's timeline. Who may call which
function is the views' business (the named rules in ``rules.py``); the rules of the data are here.
"""

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from chamber.models import SECRETARIAT_GROUP, Position, Term
from members.images import process_image
from members.models import Company, Person

from .compliance import companies_visited
from .models import (
    Assignment,
    Problem,
    ProblemEvent,
    Proposal,
    Visit,
    VisitPhoto,
    VisitReminder,
    leaders_in_term,
    month_end,
    month_start,
    visits_per_month,
)

logger = logging.getLogger(__name__)

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


def due_days() -> int:
    return getattr(settings, "CHAMBER_PROBLEM_DUE_DAYS", 30)


def reminder_after_day() -> int:
    return getattr(settings, "CHAMBER_VISIT_REMINDER_AFTER_DAY", 20)


@dataclass(frozen=True)
class ProblemDraft:
    """A problem heard on a visit, as the leader typed it."""

    category: str
    description: str


# --- Visits -------------------------------------------------------------------------------


def _check_visit(
    *,
    leader: Person,
    companions: Iterable[Person],
    visited_on: datetime.date,
    today: datetime.date,
) -> Term:
    errors = {}
    if visited_on > today:
        errors["visited_on"] = ValidationError(
            _("The date of a visit cannot be in the future."), code="future"
        )
    term = Term.objects.current(visited_on)
    leaders = set(leaders_in_term(term).values_list("pk", flat=True))
    if leader.pk not in leaders:
        errors["leader"] = ValidationError(
            _("%(name)s was not a leadership member on that date."),
            code="not_a_leader",
            params={"name": leader.name},
        )
    strangers = [person.name for person in companions if person.pk not in leaders]
    if strangers:
        errors["companions"] = ValidationError(
            _("Not leadership members on that date: %(names)s."),
            code="not_leaders",
            params={"names": "、".join(strangers)},
        )
    if errors:
        raise ValidationError(errors)
    return term


def _add_photo(visit: Visit, upload) -> VisitPhoto:
    """Store a photo, checked and scaled down like a logo (larger), and its thumbnail."""
    image = process_image(upload, max_side=VisitPhoto.MAX_SIDE)
    thumbnail = process_image(image, max_side=VisitPhoto.THUMBNAIL_SIDE)
    image.seek(0)
    photo = VisitPhoto(visit=visit)
    photo.image.save(image.name, image, save=False)
    photo.thumbnail.save(thumbnail.name, thumbnail, save=False)
    photo.save()
    return photo


def _create_problem(
    *,
    company: Company,
    category: str,
    description: str,
    acting_user,
    raised_on: datetime.date,
    owner: Person | None,
    visit: Visit | None = None,
    attachment=None,
) -> Problem:
    if category not in Problem.Category.values:
        raise ValidationError({"category": _("Choose a category.")})
    if not description.strip():
        raise ValidationError({"description": _("Describe the problem.")})
    problem = Problem(
        visit=visit,
        company=company,
        category=category,
        description=description.strip(),
        raised_on=raised_on,
        raised_by=acting_user,
        owner=owner,
        due_on=raised_on + datetime.timedelta(days=due_days()),
    )
    if attachment is not None:
        problem.attachment.save(attachment.name, attachment, save=False)
    problem._history_user = acting_user
    problem.save()
    ProblemEvent.objects.create(
        problem=problem, kind=ProblemEvent.Kind.RAISED, by=acting_user, to_status=Status.OPEN
    )
    return problem


def visit_record(
    *,
    acting_user,
    leader: Person,
    company: Company,
    visited_on: datetime.date,
    summary: str,
    companions: Iterable[Person] = (),
    with_economic_office: bool = False,
    with_community_centre: bool = False,
    other_partners: str = "",
    photos: Iterable = (),
    problems: Iterable[ProblemDraft] = (),
    today: datetime.date | None = None,
) -> Visit:
    """Log a visit with its photos and the problems heard, all or nothing.

    The problems are owned by the leader who heard them and due ``CHAMBER_PROBLEM_DUE_DAYS``
    after the visit.
    """
    today = today or timezone.localdate()
    companions = [person for person in companions if person.pk != leader.pk]
    _check_visit(leader=leader, companions=companions, visited_on=visited_on, today=today)
    with transaction.atomic():
        visit = Visit(
            company=company,
            visited_on=visited_on,
            leader=leader,
            with_economic_office=with_economic_office,
            with_community_centre=with_community_centre,
            other_partners=other_partners.strip(),
            summary=summary.strip(),
            created_by=acting_user,
        )
        visit._history_user = acting_user
        visit.save()
        visit.companions.set(companions)
        for upload in photos:
            _add_photo(visit, upload)
        for draft in problems:
            _create_problem(
                visit=visit,
                company=company,
                category=draft.category,
                description=draft.description,
                acting_user=acting_user,
                raised_on=visited_on,
                owner=leader,
            )
    return visit


def visit_update(
    *,
    visit: Visit,
    acting_user,
    company: Company,
    visited_on: datetime.date,
    summary: str,
    companions: Iterable[Person] = (),
    with_economic_office: bool = False,
    with_community_centre: bool = False,
    other_partners: str = "",
    add_photos: Iterable = (),
    remove_photos: Iterable[VisitPhoto] = (),
    problems: Iterable[ProblemDraft] = (),
    today: datetime.date | None = None,
) -> Visit:
    """Change a visit, add and remove photos, and add problems heard."""
    today = today or timezone.localdate()
    companions = [person for person in companions if person.pk != visit.leader_id]
    _check_visit(leader=visit.leader, companions=companions, visited_on=visited_on, today=today)
    with transaction.atomic():
        visit = Visit.objects.select_for_update().get(pk=visit.pk)
        company_changed = visit.company_id != company.pk
        visit.company = company
        visit.visited_on = visited_on
        visit.summary = summary.strip()
        visit.with_economic_office = with_economic_office
        visit.with_community_centre = with_community_centre
        visit.other_partners = other_partners.strip()
        visit._history_user = acting_user
        visit.save()
        visit.companions.set(companions)
        if company_changed:
            # The problems heard belong to the company visited.
            for problem in visit.problems.all():
                problem.company = company
                problem._history_user = acting_user
                problem.save(update_fields=["company", "updated_at"])
        for photo in remove_photos:
            if photo.visit_id == visit.pk:
                photo.image.delete(save=False)
                photo.thumbnail.delete(save=False)
                photo.delete()
        for upload in add_photos:
            _add_photo(visit, upload)
        for draft in problems:
            _create_problem(
                visit=visit,
                company=company,
                category=draft.category,
                description=draft.description,
                acting_user=acting_user,
                raised_on=visited_on,
                owner=visit.leader,
            )
    return visit


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


def _email_of(person: Person | None) -> str:
    if person is None:
        return ""
    user = getattr(person, "user", None)
    return (getattr(user, "email", "") or person.email or "").strip()


def _secretariat_emails() -> list[str]:
    group = Group.objects.filter(name=SECRETARIAT_GROUP).first()
    if group is None:
        return []
    return sorted(
        {email for email in group.user_set.filter(is_active=True).values_list("email", flat=True)}
        - {""}
    )


def _send(template: str, recipients: list[str], context: dict) -> None:
    """Send one email in the chamber's language; a mail server that fails is logged, not fatal:
    the ledger already holds what the email announces."""
    recipients = [address for address in recipients if address]
    if not recipients:
        return
    with translation.override(settings.LANGUAGE_CODE):
        context = {"chamber_name": settings.CHAMBER_NAME, **context}
        subject = render_to_string(f"activities/email/{template}_subject.txt", context)
        body = render_to_string(f"activities/email/{template}_message.txt", context)
    subject = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split())
    try:
        EmailMessage(subject, body, to=recipients).send()
    except OSError:
        logger.exception("could not email %s about %s", recipients, template)


def _link(path: str, request=None) -> str:
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.CHAMBER_SITE_URL.rstrip("/") + path


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
        problem = _create_problem(
            company=company,
            category=category,
            description=description,
            acting_user=acting_user,
            raised_on=today,
            owner=owner,
            attachment=attachment,
        )
    recipients = [_email_of(owner)]
    if not assigned:
        recipients += _secretariat_emails()
    context = {
        "problem": problem,
        "company": company,
        "owner": owner,
        "assigned": assigned,
        "raised_by": getattr(acting_user, "display_name", ""),
        "url": _link(problem.get_absolute_url(), request),
    }
    transaction.on_commit(
        lambda: _send("problem_raised", sorted(set(recipients)), context), robust=True
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
    recipients = set()
    contact = problem.company.people.filter(is_main_contact=True).select_related("user").first()
    recipients.add(_email_of(contact))
    raiser = problem.raised_by
    if problem.raised_by_company and raiser is not None and raiser.email:
        recipients.add(raiser.email)
    context = {
        "problem": problem,
        "company": problem.company,
        "url": _link(reverse("members:me"), request),
    }
    transaction.on_commit(
        lambda: _send("problem_solved", sorted(recipients - {""}), context), robust=True
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
) -> Problem:
    """Hand a problem to another owner, or give it another due date."""
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
        problem.owner = owner
        problem.due_on = due_on
        problem._history_user = acting_user
        problem.save()
        ProblemEvent.objects.create(
            problem=problem,
            kind=ProblemEvent.Kind.ASSIGNED,
            by=acting_user,
            note="；".join([*changes, note.strip()] if note.strip() else changes),
            is_internal=True,
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
            "url": _link(problem.get_absolute_url(), request),
        }
        recipients = [_email_of(problem.owner)] if problem.owner_id else _secretariat_emails()
        transaction.on_commit(lambda: _send("problem_reopened", recipients, context), robust=True)
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
    each problem becomes 转提案, linked to it."""
    problems = list(problems)
    if not problems:
        raise ValidationError({"problems": _("Choose at least one problem.")})
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


# --- Reminders ----------------------------------------------------------------------------


@dataclass
class ReminderOutcome:
    month: datetime.date
    too_early: bool = False
    sent: list = field(default_factory=list)
    already: list = field(default_factory=list)
    without_email: list = field(default_factory=list)
    failed: list = field(default_factory=list)


def leaders_below_quota(today: datetime.date, people=None) -> list[tuple[Person, int]]:
    """[(leader, companies visited this month)] for current leaders below the quota."""
    term = Term.objects.current(today)
    leaders = leaders_in_term(term).select_related("user").order_by("name")
    if people is not None:
        leaders = leaders.filter(pk__in=[person.pk for person in people])
    leaders = list(leaders)
    visited = companies_visited(
        month_start(today), month_end(today), [leader.pk for leader in leaders]
    )
    quota = visits_per_month()
    below = []
    for leader in leaders:
        done = visited.get(leader.pk, {}).get(month_start(today), 0)
        if done < quota:
            below.append((leader, done))
    return below


def send_visit_reminders(
    *, acting_user=None, today: datetime.date | None = None, people=None, request=None
) -> ReminderOutcome:
    """Email each current leader below this month's quota, after the 20th (the setting
    ``CHAMBER_VISIT_REMINDER_AFTER_DAY``), at most once a month: a ``VisitReminder`` row is
    written with each email, and a leader with one for this month is skipped. Safe to run
    daily, and twice at once (the row is unique per leader and month)."""
    today = today or timezone.localdate()
    outcome = ReminderOutcome(month=month_start(today))
    if today.day <= reminder_after_day():
        outcome.too_early = True
        return outcome
    quota = visits_per_month()
    reminded = set(
        VisitReminder.objects.filter(month=outcome.month).values_list("leader_id", flat=True)
    )
    for leader, done in leaders_below_quota(today, people):
        if leader.pk in reminded:
            outcome.already.append(leader)
            continue
        email = _email_of(leader)
        if not email:
            outcome.without_email.append(leader)
            continue
        context = {
            "leader": leader,
            "done": done,
            "quota": quota,
            "missing": quota - done,
            "month": outcome.month,
            "url": _link(reverse("activities:visit_list"), request),
        }
        try:
            with transaction.atomic():
                reminder, created = VisitReminder.objects.get_or_create(
                    leader=leader,
                    month=outcome.month,
                    defaults={"visits_done": done, "email": email, "sent_by": acting_user},
                )
                if not created:
                    outcome.already.append(leader)
                    continue
                # Sent inside the transaction: if the mail server refuses, no row is left
                # and tomorrow's run tries again.
                with translation.override(settings.LANGUAGE_CODE):
                    context["chamber_name"] = settings.CHAMBER_NAME
                    subject = render_to_string(
                        "activities/email/visit_reminder_subject.txt", context
                    )
                    body = render_to_string("activities/email/visit_reminder_message.txt", context)
                EmailMessage(
                    settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split()),
                    body,
                    to=[email],
                ).send()
        except IntegrityError:
            outcome.already.append(leader)
        except OSError:
            logger.exception("could not send a visit reminder to %s", email)
            outcome.failed.append(leader)
        else:
            outcome.sent.append(leader)
    return outcome
