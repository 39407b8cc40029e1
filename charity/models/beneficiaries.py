"""Who the chamber's companies help, their consents, and the log of who saw a protected name.

Students, disabled people and poor families are sensitive personal information (PIPL): such a
beneficiary's name is shown masked (张*) everywhere except to the secretariat, and every time the
secretariat sees it unmasked an ``UnmaskLog`` row says who, when and where. ``str()`` of a
beneficiary is always the masked form, so admin lists, history and exports never leak it by
accident.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import Created


def mask_name(name: str) -> str:
    """A name with every character but the first hidden: 张三 → 张*, 欧阳娜娜 → 欧***."""
    name = (name or "").strip()
    if not name:
        return ""
    return name[0] + "*" * max(1, len(name) - 1)


class Beneficiary(Created):
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
