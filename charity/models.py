"""Giving back: beneficiaries and their consents, pairings and their projects, campaigns,
donations, and the log of who saw a protected name.

Money is ``Decimal`` in 元 throughout (``max_digits=14, decimal_places=2``). Students, disabled
people and poor families are sensitive personal information (PIPL): such a beneficiary's name
is shown masked (张*) everywhere except to the secretariat, and every time the secretariat
sees it unmasked an ``UnmaskLog`` row says who, when and where. ``str()`` of a beneficiary is
always the masked form, so admin lists, history and exports never leak it by accident.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Count, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.files import UploadTo
from core.images import ValidatedImageField
from core.rules import allows
from members.models import Company


def money_field(verbose_name, **kwargs):
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, **kwargs)


def mask_name(name: str) -> str:
    """A name with every character but the first hidden: 张三 → 张*, 欧阳娜娜 → 欧***."""
    name = (name or "").strip()
    if not name:
        return ""
    return name[0] + "*" * max(1, len(name) - 1)


class Beneficiary(models.Model):
    """Someone the chamber's companies help: a village, a school, a student or a group."""

    class Kind(models.TextChoices):
        VILLAGE = "village", _("Village")
        SCHOOL = "school", _("School")
        STUDENT = "student", _("Student")
        GROUP = "group", _("Group")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    area = models.CharField(
        _("area"), max_length=50, blank=True, help_text=_("The town or district, e.g. 练塘镇.")
    )
    organisation = models.CharField(
        _("school or organisation"),
        max_length=100,
        blank=True,
        help_text=_("For a student, the school; for a person in a group, e.g. 阳光之家."),
    )
    is_sensitive = models.BooleanField(
        _("sensitive personal information"),
        default=False,
        help_text=_(
            "Students, disabled people and poor families: the name and details are shown to "
            "the secretariat alone, masked (张*) to everyone else."
        ),
    )
    is_under_14 = models.BooleanField(
        _("under 14"),
        default=False,
        help_text=_("A child under 14: only a parent or guardian can give consent."),
    )
    details = models.TextField(
        _("situation"),
        blank=True,
        help_text=_(
            "Only what the aid needs, e.g. grade and the family's difficulty. No ID numbers."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("beneficiary")
        verbose_name_plural = _("beneficiaries")
        ordering = ["kind", "area", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="student") | Q(is_sensitive=True),
                name="charity_beneficiary_students_are_sensitive",
                violation_error_message=_("A student's data is always sensitive."),
            ),
            models.CheckConstraint(
                condition=Q(is_under_14=False) | Q(is_sensitive=True),
                name="charity_beneficiary_children_are_sensitive",
                violation_error_message=_("A child's data is always sensitive."),
            ),
        ]

    def __str__(self):
        name = self.masked_name
        place = self.organisation or self.area
        return f"{name}（{place}）" if place else name

    @property
    def masked_name(self) -> str:
        """The name as everyone but the secretariat sees it."""
        return mask_name(self.name) if self.is_sensitive else self.name


class Consent(models.Model):
    """A record that a beneficiary (or, for a child, a guardian) agreed to the use of their
    personal information under a given version of the privacy notice."""

    class Relation(models.TextChoices):
        SELF = "self", _("The person themselves")
        PARENT = "parent", _("Parent")
        GUARDIAN = "guardian", _("Other guardian")
        ORGANISATION = "organisation", _("Organisation in charge")

    beneficiary = models.ForeignKey(
        Beneficiary,
        verbose_name=_("beneficiary"),
        on_delete=models.CASCADE,
        related_name="consents",
    )
    given_by = models.CharField(_("consent given by"), max_length=50)
    relation = models.CharField(
        _("relation to the beneficiary"), max_length=20, choices=Relation.choices
    )
    given_on = models.DateField(_("date of consent"))
    notice_version = models.CharField(
        _("privacy notice version"), max_length=20, help_text=_("E.g. 2024-01.")
    )
    publish_name = models.BooleanField(
        _("may publish the name"),
        default=False,
        help_text=_("In thank-you lists and the journal. Without it the name is never published."),
    )
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["beneficiary", "-given_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=F("given_on")),
                name="charity_consent_withdrawn_after_given",
                violation_error_message=_("A consent cannot be withdrawn before it was given."),
            ),
        ]

    def __str__(self):
        return gettext("Consent of %(date)s (notice %(version)s)") % {
            "date": self.given_on.isoformat(),
            "version": self.notice_version,
        }

    def clean(self):
        if (
            self.beneficiary_id
            and self.beneficiary.is_under_14
            and self.relation in (self.Relation.SELF, "")
        ):
            raise ValidationError(
                {"relation": _("For a child under 14, a parent or guardian must consent.")}
            )

    @property
    def is_current(self) -> bool:
        return self.withdrawn_on is None or self.withdrawn_on > timezone.localdate()


class Campaign(models.Model):
    """A fundraising drive or a yearly visit, e.g. the 2017 “缘聚徐练 商续慈善” event."""

    class Kind(models.TextChoices):
        FUNDRAISER = "fundraiser", _("Charity fundraiser")
        EPIDEMIC = "epidemic", _("Epidemic and disaster relief")
        POVERTY = "poverty", _("Poverty alleviation")
        VISIT = "visit", _("Festive and seasonal visits")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.FUNDRAISER)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    goal = money_field(_("goal (yuan)"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="charity_campaign_ends_after_start",
                violation_error_message=_("A campaign cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(goal__isnull=True) | Q(goal__gt=0),
                name="charity_campaign_goal_positive",
                violation_error_message=_("The goal must be more than zero."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("charity:campaign_detail", args=[self.pk])


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


class Photo(models.Model):
    """A photo of a project or of a campaign."""

    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="photos",
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="photos",
    )
    image = ValidatedImageField(
        _("photo"), upload_to=UploadTo("charity", private=True), max_side=1600
    )
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    taken_on = models.DateField(_("taken on"), null=True, blank=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["taken_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(project__isnull=False, campaign__isnull=True)
                | Q(project__isnull=True, campaign__isnull=False),
                name="charity_photo_of_project_or_campaign",
                violation_error_message=_("A photo belongs to a project or to a campaign."),
            ),
        ]

    def __str__(self):
        return self.caption or self.image.name.rsplit("/", 1)[-1]

    def get_absolute_url(self):
        """The photo, through the view that checks who may see it (charity.see_photo)."""
        return reverse("charity:photo", args=[self.pk])

    def private_file_url(self, field_name: str) -> str:
        return self.get_absolute_url()


class DonationQuerySet(models.QuerySet):
    def received(self):
        return self.filter(status=Donation.Status.RECEIVED)

    def pledged(self):
        return self.filter(status=Donation.Status.PLEDGED)


class Donation(models.Model):
    """A member company's gift to a campaign or to a pairing, in money or in kind."""

    class Form(models.TextChoices):
        CASH = "cash", _("Money")
        IN_KIND = "in_kind", _("In kind")

    class Status(models.TextChoices):
        PLEDGED = "pledged", _("Pledged")
        RECEIVED = "received", _("Received")

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.PROTECT, related_name="donations"
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="donations",
    )
    pairing = models.ForeignKey(
        Pairing,
        verbose_name=_("pairing"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="donations",
    )
    form = models.CharField(_("form"), max_length=20, choices=Form.choices, default=Form.CASH)
    amount = money_field(
        _("amount (yuan)"),
        help_text=_("The money given or, for a gift in kind, its valuation in yuan."),
    )
    goods = models.CharField(
        _("goods"),
        max_length=200,
        blank=True,
        help_text=_("For a gift in kind: what was given, e.g. 200 cases of mineral water."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    donated_on = models.DateField(
        _("date"), help_text=_("When it was pledged or, once received, when it arrived.")
    )
    receipt_number = models.CharField(_("receipt number"), max_length=40, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = DonationQuerySet.as_manager()

    class Meta:
        verbose_name = _("donation")
        verbose_name_plural = _("donations")
        ordering = ["-donated_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(campaign__isnull=False, pairing__isnull=True)
                | Q(campaign__isnull=True, pairing__isnull=False),
                name="charity_donation_campaign_or_pairing",
                violation_error_message=_("A donation goes to a campaign or to a pairing."),
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="charity_donation_amount_positive",
                violation_error_message=_("The amount must be more than zero."),
            ),
            models.CheckConstraint(
                condition=~Q(form="in_kind") | ~Q(goods=""),
                name="charity_donation_in_kind_names_goods",
                violation_error_message=_("Say what was given in kind."),
            ),
            models.UniqueConstraint(
                fields=["receipt_number"],
                condition=~Q(receipt_number=""),
                name="charity_donation_receipt_number_unique",
                violation_error_message=_("Another donation already has this receipt number."),
            ),
        ]
        indexes = [
            models.Index(
                fields=["status", "donated_on", "company", "amount"],
                name="charity_donation_status_idx",
            ),
            # The newest first, a page at a time (the back office's list).
            models.Index(fields=["donated_on", "id"], name="charity_donation_date_idx"),
            # What a campaign, a pairing or a company received, summed from the index alone
            # (an index-only scan): the totals on /charity/ and in the back office.
            models.Index(
                fields=["campaign", "status", "company", "amount"],
                name="charity_donation_campaign_idx",
            ),
            models.Index(
                fields=["pairing", "status", "amount"], name="charity_donation_pairing_idx"
            ),
            models.Index(
                fields=["company", "status", "amount"], name="charity_donation_company_idx"
            ),
        ]

    def __str__(self):
        return f"{self.company} · {self.amount:,.2f} · {self.donated_on.isoformat()}"

    @property
    def is_received(self) -> bool:
        return self.status == self.Status.RECEIVED

    @property
    def target(self):
        return self.campaign if self.campaign_id else self.pairing


class ContributorPreference(models.Model):
    """Whether a member company wants to be named among the contributors on /charity/.

    Kept here rather than on Company so that the member registry need not know about
    charity. A company without a row is not listed.
    """

    company = models.OneToOneField(
        Company,
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="contributor_preference",
    )
    listed = models.BooleanField(
        _("listed among contributors"),
        default=False,
        help_text=_("Named, with what it gave, on the charity page all members see."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("contributor listing")
        verbose_name_plural = _("contributor listings")
        ordering = ["company__name_pinyin"]

    def __str__(self):
        return str(self.company)


class UnmaskLog(models.Model):
    """One time a member of the secretariat saw a sensitive beneficiary's name unmasked."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    beneficiary = models.ForeignKey(
        Beneficiary,
        verbose_name=_("beneficiary"),
        on_delete=models.CASCADE,
        related_name="unmask_logs",
    )
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    where = models.CharField(_("where"), max_length=255)

    class Meta:
        verbose_name = _("unmasked view")
        verbose_name_plural = _("unmasked views")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.user_id} · {self.beneficiary} · {self.at:%Y-%m-%d %H:%M}"
