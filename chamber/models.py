"""The organisation itself: accounts, terms, positions, working groups, rules and honors."""

import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.files import AttachmentField, UploadTo
from core.models import Created
from core.rules import allows
from members.models import MOBILE_TAKEN, Company, Person

SECRETARIAT_GROUP = "secretariat"
SUPERVISORS_GROUP = "supervisors"


class User(AbstractUser):
    """A login account. The person behind it is a ``members.Person``."""

    person = models.OneToOneField(
        Person,
        verbose_name=_("person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="user",
    )

    objects = UserManager()

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~Q(email=""),
                name="chamber_user_email_unique",
                violation_error_message=_("Another account already uses this email address."),
            ),
        ]

    def __str__(self):
        if self.person_id:
            return f"{self.person.name}（{self.username}）"
        return self.get_full_name() or self.username

    def clean(self):
        """A mobile logs in one account (chamber.adapters): the person linked here may not
        share theirs with another account's person (Person.clean checks the other way)."""
        super().clean()
        if not self.person_id:
            return
        mobile = Person.objects.filter(pk=self.person_id).values_list("mobile", flat=True).first()
        if mobile and (
            Person.objects.filter(mobile=mobile, user__isnull=False)
            .exclude(pk=self.person_id)
            .exclude(user__pk=self.pk)
            .exists()
        ):
            raise ValidationError(MOBILE_TAKEN, params={"mobile": mobile}, code="mobile_taken")

    @property
    def display_name(self) -> str:
        if self.person_id:
            return self.person.name
        return self.get_full_name() or self.username


class TermQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None):
        """The term in force on a day (today by default), or None."""
        on = on or timezone.localdate()
        return self.filter(starts_on__lte=on, ends_on__gte=on).order_by("-starts_on").first()


class Term(models.Model):
    """A term (届) of the chamber's leadership."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    objects = TermQuerySet.as_manager()

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")),
                name="chamber_term_ends_after_start",
                violation_error_message=_("A term must end after it starts."),
            ),
        ]

    def __str__(self):
        return _("Term %(number)s (%(start)s–%(end)s)") % {
            "number": self.number,
            "start": self.starts_on.year,
            "end": self.ends_on.year,
        }


class Position(models.Model):
    """A seat (职务) a person holds in a term: 会长, 副会长, 执委, 秘书长, 监事 …"""

    class Title(models.TextChoices):
        PRESIDENT = "president", _("President")
        EXECUTIVE_VICE_PRESIDENT = "executive_vice_president", _("Executive vice-president")
        VICE_PRESIDENT = "vice_president", _("Vice-president")
        EXECUTIVE = "executive", _("Executive member")
        SECRETARY_GENERAL = "secretary_general", _("Secretary-general")
        CHIEF_SUPERVISOR = "chief_supervisor", _("Chief supervisor")
        SUPERVISOR = "supervisor", _("Supervisor")

    # The leadership (班子成员) who visit companies; 会长 among them.
    LEADERSHIP_TITLES = (
        Title.PRESIDENT,
        Title.EXECUTIVE_VICE_PRESIDENT,
        Title.VICE_PRESIDENT,
        Title.EXECUTIVE,
    )
    SUPERVISORY_TITLES = (Title.CHIEF_SUPERVISOR, Title.SUPERVISOR)
    # Order of seats on the org chart.
    TITLE_RANK = {title: rank for rank, title in enumerate(Title)}

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="positions"
    )
    term = models.ForeignKey(
        Term, verbose_name=_("term"), on_delete=models.PROTECT, related_name="positions"
    )
    title = models.CharField(_("position title"), max_length=30, choices=Title.choices)
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Order among people with the same title.")
    )
    portfolio = models.CharField(
        _("responsibilities"),
        max_length=200,
        blank=True,
        help_text=_("E.g. 分管会员发展 or 分管公益慈善."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["term", "title", "order", "person__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "term", "title"],
                name="chamber_position_unique_seat",
                violation_error_message=_("This person already holds this title in this term."),
            ),
            models.UniqueConstraint(
                fields=["term"],
                condition=Q(title="president"),
                name="chamber_position_one_president",
                violation_error_message=_("A term has only one president."),
            ),
        ]

    def __str__(self):
        return f"{self.get_title_display()} {self.person.name}"

    @property
    def is_leadership(self) -> bool:
        return self.title in self.LEADERSHIP_TITLES


class WorkingGroup(models.Model):
    """A standing group of the chamber: 商会工作领导小组, 会员发展工作小组, 监事会 …"""

    class Kind(models.TextChoices):
        LEADERSHIP = "leadership", _("Leadership group")
        MEMBERSHIP = "membership", _("Membership development group")
        SUPERVISORY = "supervisory", _("Board of supervisors")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    description = models.TextField(_("remit"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class GroupMembership(models.Model):
    """A person's seat in a working group for a term."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Leader")
        DEPUTY = "deputy", _("Deputy leader")
        MEMBER = "member", _("Member")

    group = models.ForeignKey(
        WorkingGroup,
        verbose_name=_("working group"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="group_memberships",
    )
    term = models.ForeignKey(
        Term, verbose_name=_("term"), on_delete=models.PROTECT, related_name="group_memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        verbose_name = _("working group member")
        verbose_name_plural = _("working group members")
        ordering = ["group", "term", "role", "person__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "person", "term"],
                name="chamber_groupmembership_unique",
                violation_error_message=_("This person is already in this group for this term."),
            ),
        ]

    def __str__(self):
        return f"{self.group} · {self.get_role_display()} {self.person.name}"


# A rule's file: PDF, Word, Excel or a scan, checked by its content (core.files); never HTML,
# SVG or a script, which a browser would run.
RULE_FILE_KINDS = ("pdf", "doc", "docx", "xls", "xlsx", "jpg", "jpeg", "png")


class DocumentQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def visible_to(self, roles, today: datetime.date | None = None):
        """The rules a person may read: the published ones; drafts put out for comment also
        for the people who may comment (those who see the member directory), from the day
        comments open; every rule for the secretariat."""
        if allows("chamber.publish_rules", roles):
            return self
        if not roles.sees_directory:
            return self.published()
        consulted = DocumentVersion.objects.filter(
            document=OuterRef("pk"),
            published_at__isnull=True,
            comment_starts_on__lte=today or timezone.localdate(),
        )
        return self.filter(Q(is_published=True) | Exists(consulted))


class Document(models.Model):
    """A rule of the chamber (制度): its charter and the rules it works by."""

    class Kind(models.TextChoices):
        CHARTER = "charter", _("Charter")
        WORK = "work", _("Work rules")
        MEETING = "meeting", _("Meeting rules")
        LIAISON = "liaison", _("Liaison rules")
        FINANCE = "finance", _("Finance rules")
        OTHER = "other", _("Other rules")

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    body = models.TextField(_("text"), blank=True)
    file = AttachmentField(
        _("file"),
        upload_to=UploadTo("documents", private=True),
        kinds=RULE_FILE_KINDS,
        blank=True,
        help_text=_(
            "Optional: the signed file: PDF, Word, Excel or a scanned image, at most 20 MB."
        ),
    )
    is_published = models.BooleanField(
        _("published"), default=False, help_text=_("Published rules are visible to every member.")
    )
    effective_on = models.DateField(_("effective from"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("rule")
        verbose_name_plural = _("rules")
        ordering = ["order", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_published=False) | ~Q(body="") | ~Q(file=""),
                name="chamber_document_published_has_content",
                violation_error_message=_("A published rule needs its text or a file."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("chamber:rule_detail", args=[self.pk])

    def private_file_url(self, field_name: str) -> str:
        return reverse("chamber:rule_file", args=[self.pk])


class DocumentVersion(Created):
    """A text of a rule with its dates: a draft put out for comment (征求意见稿), or a version
    that came into force. Publishing a version makes its text the rule's."""

    document = models.ForeignKey(
        Document, verbose_name=_("rule"), on_delete=models.CASCADE, related_name="versions"
    )
    label = models.CharField(
        _("version"), max_length=100, help_text=_("E.g. 2026年修订征求意见稿 or 2019年版.")
    )
    body = models.TextField(_("text"), blank=True)
    file = AttachmentField(
        _("file"),
        upload_to=UploadTo("documents", private=True),
        kinds=RULE_FILE_KINDS,
        blank=True,
        help_text=_(
            "Optional: the draft or signed file: PDF, Word, Excel or a scanned image, at most "
            "20 MB."
        ),
    )
    change_note = models.TextField(
        _("what changed"), blank=True, help_text=_("A few lines for members: what is new.")
    )
    comment_starts_on = models.DateField(
        _("comments open on"),
        null=True,
        blank=True,
        help_text=_("Leave both dates empty for a version not put out for comment."),
    )
    comment_ends_on = models.DateField(
        _("comments close on"),
        null=True,
        blank=True,
        help_text=_("Comments are accepted until the end of this day."),
    )
    effective_on = models.DateField(_("in force from"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        verbose_name = _("rule version")
        verbose_name_plural = _("rule versions")
        ordering = ["document", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(comment_starts_on__isnull=True, comment_ends_on__isnull=True)
                | Q(
                    comment_starts_on__isnull=False,
                    comment_ends_on__isnull=False,
                    comment_ends_on__gte=F("comment_starts_on"),
                ),
                name="chamber_documentversion_comment_period",
                violation_error_message=_(
                    "Give both dates of the comment period, the closing date on or after the "
                    "opening date."
                ),
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | ~Q(body="") | ~Q(file=""),
                name="chamber_documentversion_published_has_content",
                violation_error_message=_("A published version needs its text or a file."),
            ),
        ]

    def __str__(self):
        return f"{self.document.title} · {self.label}"

    def private_file_url(self, field_name: str) -> str:
        return reverse("chamber:rule_version_file", args=[self.document_id, self.pk])

    @property
    def is_draft(self) -> bool:
        return self.published_at is None

    @property
    def has_comment_period(self) -> bool:
        return self.comment_starts_on is not None and self.comment_ends_on is not None

    def comment_state(self, today: datetime.date | None = None) -> str:
        """'none' (not put out for comment), 'upcoming', 'open' or 'closed'."""
        if not self.has_comment_period:
            return "none"
        today = today or timezone.localdate()
        if not self.is_draft or today > self.comment_ends_on:
            return "closed"
        if today < self.comment_starts_on:
            return "upcoming"
        return "open"

    def is_open_for_comment(self, now: datetime.datetime | None = None) -> bool:
        """Comments are taken from the start of the opening day to the end of the closing day
        (Shanghai time), and only on a draft."""
        return self.comment_state(timezone.localdate(now)) == "open"


class DocumentComment(models.Model):
    """A person's comment on a draft rule, made during its comment period."""

    version = models.ForeignKey(
        DocumentVersion,
        verbose_name=_("rule version"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="rule_comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    body = models.TextField(_("comment"), max_length=2000)
    created_at = models.DateTimeField(_("made at"), default=timezone.now)

    class Meta:
        verbose_name = _("comment on a rule")
        verbose_name_plural = _("comments on rules")
        ordering = ["version", "created_at", "pk"]

    def __str__(self):
        return f"{self.person.name} · {self.version}"


class Honor(models.Model):
    """An honor awarded to the chamber, or to a member company."""

    year = models.PositiveSmallIntegerField(_("year"))
    year_end = models.PositiveSmallIntegerField(
        _("to year"), null=True, blank=True, help_text=_("For an honor covering several years.")
    )
    title = models.CharField(_("title"), max_length=200)
    awarded_by = models.CharField(_("awarded by"), max_length=100, blank=True)
    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="honors",
        help_text=_("Leave empty for an honor of the chamber itself."),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("honor")
        verbose_name_plural = _("honors")
        ordering = ["-year", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year_end__isnull=True) | Q(year_end__gt=F("year")),
                name="chamber_honor_year_range",
                violation_error_message=_("The end year must come after the start year."),
            ),
        ]

    def __str__(self):
        return f"{self.years} {self.title}"

    @property
    def years(self) -> str:
        if self.year_end:
            return f"{self.year}–{self.year_end}"
        return str(self.year)
