"""Problems (诉求) and proposals (建议).

A leader hears a company's problems on a visit (or the company raises one itself): each
``Problem`` has a timeline of ``ProblemEvent`` and the chamber follows it until it is settled,
some of them as a ``Proposal`` to the district's CPPCC or People's Congress.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Case, DateField, F, IntegerField, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.files import UploadTo
from core.models import Created
from core.rules import allows
from members.models import Company, Person

from .visits import Assignment, Visit, _ids


class ProblemQuerySet(models.QuerySet):
    def open(self):
        """Problems still being worked on (待办 and 处理中)."""
        return self.filter(status__in=Problem.OPEN_STATUSES)

    def overdue(self, today: datetime.date | None = None):
        return self.open().filter(due_on__lt=today or timezone.localdate())

    def followed_by(self, person, *, unsettled=False):
        """The problems a leader follows: those they own, those heard on visits they led or
        joined, and those of the companies they are responsible for.

        ``unsettled`` keeps the open ones (待办, 处理中) in each branch, where the indexes of
        unsettled problems find them, rather than after the union of everything the leader
        ever followed (thousands of rows after a few years)."""
        joined = Visit.companions.through.objects.filter(person=person).values("visit_id")
        assigned = Assignment.objects.current().filter(leader=person).values("company_id")
        problems = Problem.objects.open() if unsettled else Problem.objects.all()
        return self.filter(
            pk__in=_ids(
                problems.filter(owner=person).values("pk"),
                problems.filter(visit__leader=person).values("pk"),
                problems.filter(visit_id__in=joined).values("pk"),
                problems.filter(company_id__in=assigned).values("pk"),
            )
        )

    def visible_to(self, roles):
        """The president, the secretariat and supervisors see every problem; a leader those
        they follow; a member those of their own company (through ``/me/`` only)."""
        if allows("activities.see_all_problems", roles):
            return self
        if roles.is_leader and roles.person is not None:
            return self.followed_by(roles.person)
        return self.none()

    def acted_on_by(self, roles):
        """The problems ``roles`` may move on: the queryset twin of
        the rule ``activities.act_on_problem`` (its owner, the leader who heard it on
        their visit; the secretariat and the president every problem)."""
        # rule: activities.permissions.acts_on_problem
        if roles.is_secretariat or roles.is_president:
            return self
        if roles.is_leader and roles.person is not None:
            return self.filter(Q(owner=roles.person) | Q(visit__leader=roles.person))
        return self.none()


UNSETTLED = ("open", "in_progress")  # Problem.OPEN_STATUSES, which Meta cannot name


def ledger_order():
    """The ledger's order: unsettled problems first, soonest due first, then the newest.

    Used by the page's ORDER BY and by the index that serves it
    (``activities_problem_ledger_idx``): the expressions must stay the same in both, or
    PostgreSQL sorts all 300,000 problems of a city federation for every page.
    """
    unsettled_first = Case(
        When(status__in=UNSETTLED, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    due_if_open = Case(When(status__in=UNSETTLED, then=F("due_on")), output_field=DateField())
    return unsettled_first, due_if_open


class Problem(Created):
    """A problem or request (诉求) of a member company, followed until it is settled.

    It is heard on a visit or raised by the company itself (企业诉求直通车, ``visit`` empty).
    """

    class Category(models.TextChoices):
        FINANCING = "financing", _("Financing")
        STAFFING = "staffing", _("Staffing and talent")
        POLICY = "policy", _("Policy")
        LEGAL = "legal", _("Legal")
        PREMISES = "premises", _("Premises")
        APPROVALS = "approvals", _("Approvals")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        # Labels chosen not to clash with other apps' "In progress" or "Declined".
        OPEN = "open", _("To do")
        IN_PROGRESS = "in_progress", _("Being handled")
        SOLVED = "solved", _("Solved")
        PROPOSAL = "proposal", _("Turned into a proposal")
        DECLINED = "declined", _("Not taken up")

    class Satisfaction(models.TextChoices):
        SATISFIED = "satisfied", _("Satisfied")
        FAIRLY_SATISFIED = "fairly_satisfied", _("Fairly satisfied")
        UNSATISFIED = "unsatisfied", _("Unsatisfied")

    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS)

    visit = models.ForeignKey(
        Visit,
        verbose_name=_("visit"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="problems",
        help_text=_("Empty when the company raised the problem itself."),
    )
    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.PROTECT, related_name="problems"
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    description = models.TextField(_("problem"), max_length=4000)
    attachment = models.FileField(
        _("attachment"),
        upload_to=UploadTo("problems", private=True),
        blank=True,
        help_text=_("A file the company sent with the problem."),
    )
    raised_on = models.DateField(_("raised on"), default=timezone.localdate)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    owner = models.ForeignKey(
        Person,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="problems_owned",
        help_text=_("Who follows the problem up."),
    )
    due_on = models.DateField(_("due by"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    proposal = models.ForeignKey(
        "Proposal",
        verbose_name=_("proposal"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="problems",
    )
    internal_notes = models.TextField(
        _("internal notes"), blank=True, help_text=_("Never shown to the company.")
    )
    confirmed_at = models.DateTimeField(_("confirmed by the company at"), null=True, blank=True)
    satisfaction = models.CharField(
        _("satisfaction"), max_length=20, choices=Satisfaction.choices, blank=True
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ProblemQuerySet.as_manager()

    class Meta:
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        ordering = ["-raised_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="solved") | (~Q(resolution="") & Q(resolved_on__isnull=False)),
                name="activities_problem_solved_has_resolution",
                violation_error_message=_("A solved problem needs its resolution and its date."),
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                name="activities_problem_declined_has_reason",
                violation_error_message=_("A declined problem needs the reason."),
            ),
            models.CheckConstraint(
                condition=~Q(status="proposal") | Q(proposal__isnull=False),
                name="activities_problem_proposal_has_link",
                violation_error_message=_(
                    "A problem turned into a proposal must name the proposal."
                ),
            ),
            models.CheckConstraint(
                condition=(Q(confirmed_at__isnull=True) & Q(satisfaction=""))
                | (
                    Q(confirmed_at__isnull=False, status="solved")
                    & Q(satisfaction__in=["satisfied", "fairly_satisfied"])
                ),
                name="activities_problem_confirmed_when_solved",
                violation_error_message=_(
                    "Only a solved problem is confirmed, with a satisfaction mark."
                ),
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=F("raised_on")),
                name="activities_problem_due_after_raised",
                violation_error_message=_(
                    "The due date cannot come before the problem was raised."
                ),
            ),
        ]
        indexes = [
            # Open and overdue counts by category, and the 四好 year's outcomes, from the indexes.
            models.Index(
                fields=["status", "due_on", "category", "raised_on"],
                name="activities_problem_status_idx",
            ),
            models.Index(
                fields=["raised_on", "status", "due_on", "resolved_on"],
                name="activities_problem_raised_idx",
            ),
            models.Index(
                *ledger_order(),
                F("raised_on").desc(),
                F("id").desc(),
                name="activities_problem_ledger_idx",
            ),
            # A leader's unsettled problems (``followed_by(unsettled=True)``), one index per
            # branch, each holding the tenth of the problems that are unsettled. The visits'
            # one carries the id, so that probing it for each of a leader's visits reads the
            # index alone (without it PostgreSQL prefers to read the whole index in order).
            *(
                models.Index(
                    fields=fields,
                    condition=Q(status__in=UNSETTLED),
                    name=f"activities_unsettled_{fields[0]}",
                )
                for fields in (["owner"], ["visit", "id"], ["company"])
            ),
        ]

    def __str__(self):
        return f"{self.company.name} · {self.get_category_display()}"

    def get_absolute_url(self):
        return reverse("activities:problem_detail", args=[self.pk])

    def private_file_url(self, field_name: str) -> str:
        return reverse("activities:problem_attachment", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_on < timezone.localdate()

    @property
    def age_days(self) -> int:
        """Days since the problem was raised."""
        return (timezone.localdate() - self.raised_on).days

    @property
    def raised_by_company(self) -> bool:
        return self.visit_id is None

    @property
    def awaits_confirmation(self) -> bool:
        return self.status == self.Status.SOLVED and self.confirmed_at is None


class ProblemEvent(models.Model):
    """An entry in a problem's timeline: raised, a change of status, a note, a confirmation."""

    class Kind(models.TextChoices):
        RAISED = "raised", _("Raised")
        STATUS = "status", _("Status changed")
        NOTE = "note", _("Note")
        ASSIGNED = "assigned", _("Owner or due date changed")
        CONFIRMED = "confirmed", _("Confirmed by the company")

    problem = models.ForeignKey(
        Problem, verbose_name=_("problem"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    from_status = models.CharField(
        _("from status"), max_length=20, choices=Problem.Status.choices, blank=True
    )
    to_status = models.CharField(
        _("to status"), max_length=20, choices=Problem.Status.choices, blank=True
    )
    satisfaction = models.CharField(
        _("satisfaction"), max_length=20, choices=Problem.Satisfaction.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    is_internal = models.BooleanField(
        _("internal"), default=False, help_text=_("Internal entries are not shown to the company.")
    )

    class Meta:
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.problem_id} · {self.get_kind_display()} · {self.at:%Y-%m-%d}"


class ProposalQuerySet(models.QuerySet):
    def visible_to(self, roles):
        """Proposals are for the leadership, the secretariat and supervisors."""
        if allows("activities.see_proposals", roles):
            return self
        return self.none()

    def editable_by(self, roles):
        """The proposals the rule "activities.edit_proposal" lets the person edit: every one
        for the secretariat and the president, a leader those they carry."""
        if allows("activities.edit_all_records", roles):
            return self
        if roles.is_leader and roles.person is not None:
            return self.filter(carrier=roles.person)
        return self.none()


class Proposal(Created):
    """A proposal (提案, to the CPPCC) or a motion (议案, to the People's Congress) carried by a
    leader who sits there, so that enterprise voices reach the district."""

    class Kind(models.TextChoices):
        PROPOSAL = "proposal", _("CPPCC proposal")
        MOTION = "motion", _("People's Congress motion")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")
        ANSWERED = "answered", _("Answered")
        NOT_ACCEPTED = "not_accepted", _("Not accepted")

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PROPOSAL)
    session = models.CharField(
        _("session"), max_length=100, help_text=_("E.g. 青浦区政协十五届三次会议")
    )
    body = models.TextField(_("text"))
    carrier = models.ForeignKey(
        Person,
        verbose_name=_("carried by"),
        on_delete=models.PROTECT,
        related_name="proposals",
        help_text=_("A CPPCC member or People's Congress deputy among the leadership."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    response = models.TextField(_("response"), blank=True, help_text=_("The answer received."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_on__isnull=False),
                name="activities_proposal_submitted_has_date",
                violation_error_message=_("A proposal past the draft needs its submission date."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("activities:proposal_detail", args=[self.pk])
