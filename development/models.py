"""Applications to join (入会申请) and the membership development group's notes on its pipeline.

The pipeline itself is ``members.Prospect``: a company the group courts, and every application
sent from /join/ once its contact is confirmed, in one list. An application follows the
charter's steps (第八条): sent, recommended by the 会员发展工作小组, checked by the secretariat,
decided by the executive committee; an approved one becomes a member company.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.files import UploadTo
from core.images import ValidatedImageField
from core.models import Created
from members.models import Company, Industry, Prospect
from members.validators import validate_credit_code, validate_mobile


class Application(Created):
    """An application to join the chamber, sent by a company from the public page /join/."""

    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("Waiting for the contact to confirm")
        SUBMITTED = "submitted", _("Submitted")
        RECOMMENDED = "recommended", _("Recommended by the development group")
        CHECKED = "checked", _("Checked by the secretariat")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Not approved")

    # The steps in the charter's order, for the tracking page and the pipeline.
    STEPS = [Status.SUBMITTED, Status.RECOMMENDED, Status.CHECKED, Status.APPROVED]
    OPEN = [Status.SUBMITTED, Status.RECOMMENDED, Status.CHECKED]

    company_name = models.CharField(_("company name"), max_length=200)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, validators=[validate_credit_code]
    )
    industry = models.CharField(
        _("industry"), max_length=30, choices=Industry.choices, default=Industry.OTHER
    )
    industry_text = models.CharField(_("industry as written"), max_length=50, blank=True)
    address = models.CharField(_("address"), max_length=255)
    contact_name = models.CharField(_("contact person"), max_length=50)
    contact_title = models.CharField(_("contact's job title"), max_length=50, blank=True)
    contact_mobile = models.CharField(_("mobile"), max_length=11, validators=[validate_mobile])
    contact_email = models.EmailField(_("email"), blank=True)
    tier = models.CharField(
        _("tier applied for"),
        max_length=20,
        choices=Company.Tier.choices,
        default=Company.Tier.MEMBER,
    )
    profile = models.TextField(_("short profile"), max_length=1000, blank=True)
    licence = ValidatedImageField(
        _("business licence"),
        upload_to=UploadTo("licences", private=True),
        max_side=1600,
        blank=True,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.UNCONFIRMED
    )
    confirmed_at = models.DateTimeField(_("contact confirmed at"), null=True, blank=True)
    # A code sent by SMS, stored hashed (django.contrib.auth.hashers), and the tries used.
    code_hash = models.CharField(max_length=200, blank=True, editable=False)
    code_tries = models.PositiveSmallIntegerField(default=0, editable=False)
    prospect = models.OneToOneField(
        Prospect,
        verbose_name=_("prospective member"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="application",
    )
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recommended by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recommended_at = models.DateTimeField(_("recommended at"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    # The executive committee's decision (执行委员会讨论通过), as the secretariat records it.
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_note = models.TextField(_("decision"), max_length=1000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decision recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decision_recorded_at = models.DateTimeField(_("decision recorded at"), null=True, blank=True)
    company = models.OneToOneField(
        Company,
        verbose_name=_("member company"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="application",
    )

    # Who moved it on and when (the secretariat's admin shows it); never the code's hash.
    history = HistoricalRecords(excluded_fields=["code_hash", "code_tries"])

    class Meta:
        verbose_name = _("application to join")
        verbose_name_plural = _("applications to join")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "declined"])
                | (Q(decided_on__isnull=False) & Q(decided_by__isnull=False)),
                name="development_application_decision_recorded",
                violation_error_message=_("A decision needs its date and who recorded it."),
            ),
        ]

    def __str__(self):
        return self.company_name

    def get_absolute_url(self):
        if self.prospect_id is None:
            return None
        return reverse("development:prospect_detail", args=[self.prospect_id])

    def private_file_url(self, field_name: str) -> str:
        return reverse("development:licence", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def is_decided(self) -> bool:
        return self.status in (self.Status.APPROVED, self.Status.DECLINED)


class Note(models.Model):
    """A line the group or the secretariat wrote on a prospect: a call, a visit, what comes next."""

    prospect = models.ForeignKey(
        Prospect,
        verbose_name=_("prospective member"),
        on_delete=models.CASCADE,
        related_name="pipeline_notes",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("note"), max_length=2000)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.text[:50]
