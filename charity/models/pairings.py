"""Pairings (结对帮扶) of member companies with a beneficiary, and the projects they pay for."""

from django.db import models
from django.db.models import Case, Count, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.rules import allows
from members.models import Company

from ..money import money_field
from .beneficiaries import Beneficiary
from .campaigns import Campaign


class PairingKind(models.TextChoices):
    """The kind of a pairing, which follows from its beneficiary and its companies."""

    ONE_COMPANY_ONE_VILLAGE = "one_company_one_village", _("One company, one village")
    COMPANIES_ONE_VILLAGE = "companies_one_village", _("Several companies, one village")
    STUDENT_AID = "student_aid", _("Student aid")
    AID = "aid", _("Help for those in need")


class PairingQuerySet(models.QuerySet):
    def visible_to(self, roles):
        """The pairings a person may open: those the lists name (with no student or person in
        need, whom the lists only count) for everyone, and a member company's own (shown
        masked on /me/); every pairing for those who may see protected names (the
        secretariat, whose reads are logged)."""
        if allows("charity.see_protected_names", roles):
            return self
        visible = Q(beneficiary__is_sensitive=False)
        if roles.is_member and roles.company is not None:
            own = Pairing.companies.through.objects.filter(company=roles.company)
            visible |= Q(pk__in=own.values("pairing"))
        return self.filter(visible)

    def with_kind(self):
        """Annotate ``company_count`` and the derived ``kind_code`` in the query."""
        counts = (
            Pairing.companies.through.objects.filter(pairing=OuterRef("pk"))
            .order_by()
            .values("pairing")
            .annotate(n=Count("company"))
            .values("n")
        )
        Kind = Beneficiary.Kind
        return self.annotate(
            company_count=Coalesce(Subquery(counts), Value(0)),
        ).annotate(
            kind_code=Case(
                When(
                    beneficiary__kind=Kind.VILLAGE,
                    company_count__gt=1,
                    then=Value(PairingKind.COMPANIES_ONE_VILLAGE),
                ),
                When(
                    beneficiary__kind=Kind.VILLAGE,
                    then=Value(PairingKind.ONE_COMPANY_ONE_VILLAGE),
                ),
                When(
                    beneficiary__kind__in=[Kind.STUDENT, Kind.SCHOOL],
                    then=Value(PairingKind.STUDENT_AID),
                ),
                default=Value(PairingKind.AID),
                output_field=models.CharField(),
            )
        )


class Pairing(models.Model):
    """One or more member companies paired with one beneficiary (结对帮扶)."""

    beneficiary = models.ForeignKey(
        Beneficiary,
        verbose_name=_("beneficiary"),
        on_delete=models.PROTECT,
        related_name="pairings",
    )
    companies = models.ManyToManyField(
        Company, verbose_name=_("companies"), related_name="charity_pairings"
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("formed in campaign"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pairings",
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    goal = models.CharField(
        _("goal"), max_length=200, help_text=_("E.g. repair the village roads and the river banks.")
    )
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords(m2m_fields=[companies])
    objects = PairingQuerySet.as_manager()

    class Meta:
        verbose_name = _("pairing")
        verbose_name_plural = _("pairings")
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="charity_pairing_ends_after_start",
                violation_error_message=_("A pairing cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return gettext("Pairing with %(beneficiary)s") % {"beneficiary": self.beneficiary}

    def get_absolute_url(self):
        return reverse("charity:pairing_detail", args=[self.pk])

    @property
    def kind(self) -> str:
        """一企一村, 多企一村, 助学结对 or 帮困结对: from the beneficiary and the companies."""
        code = getattr(self, "kind_code", None)
        if code is not None:
            return code
        return derive_pairing_kind(self.beneficiary.kind, self.companies.count())

    def get_kind_display(self) -> str:
        return PairingKind(self.kind).label


def derive_pairing_kind(beneficiary_kind: str, company_count: int) -> str:
    """The rule ``PairingQuerySet.with_kind`` applies in the database, for one pairing."""
    Kind = Beneficiary.Kind
    if beneficiary_kind == Kind.VILLAGE:
        if company_count > 1:
            return PairingKind.COMPANIES_ONE_VILLAGE
        return PairingKind.ONE_COMPANY_ONE_VILLAGE
    if beneficiary_kind in (Kind.STUDENT, Kind.SCHOOL):
        return PairingKind.STUDENT_AID
    return PairingKind.AID


class Project(models.Model):
    """A piece of work a pairing pays for: a road, a river bank, a playground, a stipend."""

    class Kind(models.TextChoices):
        ROAD = "road", _("Road repair")
        RIVER = "river", _("River works")
        FACILITIES = "facilities", _("Public facilities")
        GREENING = "greening", _("Greening")
        STIPEND = "stipend", _("Living allowance")
        BOOKS = "books", _("Book donation")
        WISHES = "wishes", _("Micro-wishes")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    pairing = models.ForeignKey(
        Pairing, verbose_name=_("pairing"), on_delete=models.CASCADE, related_name="projects"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=100)
    budget = money_field(_("budget (yuan)"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["pairing", "completed_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | Q(completed_on__isnull=False),
                name="charity_project_done_has_date",
                violation_error_message=_("A completed project needs its completion date."),
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0),
                name="charity_project_budget_not_negative",
                violation_error_message=_("The budget cannot be negative."),
            ),
        ]

    def __str__(self):
        return self.title
