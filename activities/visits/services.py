"""Writes for visits (and the problems heard on them) and the monthly visit reminders.

Each function is keyword-only, runs in one transaction, checks the rule it is about and records
who acted (``acting_user``) in the history. Who may call which function is the views' business
(the named rules in ``rules.py``); the rules of the data are here. Problems after they are heard
and proposals are in ``problems.py``.
"""

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chamber.models import Term
from core import mail
from core.images import process_image
from core.notifications import notify, reachable
from members.models import Company, Person

from ..models import (
    Problem,
    ProblemEvent,
    Visit,
    VisitPhoto,
    VisitReminder,
    leaders_in_term,
    month_end,
    month_start,
    visits_per_month,
)
from .compliance import companies_visited

logger = logging.getLogger(__name__)

Status = Problem.Status


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


def create_problem(
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
            create_problem(
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
            create_problem(
                visit=visit,
                company=company,
                category=draft.category,
                description=draft.description,
                acting_user=acting_user,
                raised_on=visited_on,
                owner=visit.leader,
            )
    return visit


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
    """Remind each current leader below this month's quota (inbox, email, WeChat: their
    channels), after the 20th (the setting ``CHAMBER_VISIT_REMINDER_AFTER_DAY``), at most once a
    month: a ``VisitReminder`` row is written with each message, and a leader with one for this
    month is skipped. Safe to run daily, and twice at once (the row is unique per leader and
    month). Leaders with neither an account nor an email address cannot be reached:
    ``without_email``."""
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
        email = mail.address_of(leader)
        if not email and not reachable(leader):
            outcome.without_email.append(leader)
            continue
        context = {
            "leader": leader,
            "done": done,
            "quota": quota,
            "missing": quota - done,
            "month": outcome.month,
            "url": mail.absolute_url(reverse("activities:visit_list"), request),
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
                # Written with the row; the task queue sends it (and tries again if a channel
                # fails, which the secretariat sees among the deliveries).
                notify([leader], "visit_reminder", context)
        except IntegrityError:
            outcome.already.append(leader)
        else:
            outcome.sent.append(leader)
    return outcome
