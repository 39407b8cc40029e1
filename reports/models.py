"""The 四好商会 indicator framework, kept as data and versioned by its wording, and the
secretary's self-score per indicator and year.

The figures themselves are never stored: each ``Indicator`` names the computed metric it shows
(``reports.metrics``), and the page computes it from the records every time.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Metric(models.TextChoices):
    """The figures ``reports.metrics.compute`` knows how to compute from the records."""

    LEADERSHIP_MEETINGS = "leadership_meetings", _("Leadership meetings held")
    SHARING_MEETINGS = "sharing_meetings", _("Quarterly sharing meetings held")
    VISITS = "visits", _("Visits done against required")
    PROBLEMS = "problems", _("Problems solved and on time")
    PROPOSALS = "proposals", _("Proposals and motions submitted")
    PARTY_EVENTS = "party_events", _("Party-building classes and attendance")
    TRAINING_EVENTS = "training_events", _("Trainings and attendance")
    POLICY_EVENTS = "policy_events", _("Policy briefings and attendance")
    ALL_EVENTS = "all_events", _("All events and attendance")
    NEW_MEMBERS = "new_members", _("New member companies")
    DEVELOPMENT_GROUP = "development_group", _("New members from the development group")
    CHARITY = "charity", _("Charity received")
    RULES = "rules", _("Rules published")
    HONORS = "honors", _("Honors received")
    DUES = "dues", _("Membership dues collected against billed")


class Framework(models.Model):
    """A wording of the 四好商会 criteria (the 2017 one, the current one)."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    version = models.CharField(_("version"), max_length=30)
    is_current = models.BooleanField(_("current wording"), default=False)

    class Meta:
        verbose_name = _("assessment framework")
        verbose_name_plural = _("assessment frameworks")
        ordering = ["-is_current", "code"]

    def __str__(self):
        return f"{self.name}（{self.version}）"


class Heading(models.Model):
    framework = models.ForeignKey(
        Framework, verbose_name=_("framework"), on_delete=models.CASCADE, related_name="headings"
    )
    title = models.CharField(_("heading"), max_length=50)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("heading")
        verbose_name_plural = _("headings")
        ordering = ["framework", "order", "pk"]

    def __str__(self):
        return self.title


class Indicator(models.Model):
    heading = models.ForeignKey(
        Heading, verbose_name=_("heading"), on_delete=models.CASCADE, related_name="indicators"
    )
    code = models.CharField(_("code"), max_length=10)
    text = models.CharField(_("indicator"), max_length=300)
    metric = models.CharField(_("computed figure"), max_length=30, choices=Metric.choices)
    full_marks = models.DecimalField(
        _("full marks"),
        max_digits=4,
        decimal_places=1,
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("The highest self-score the indicator can be given."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["heading__order", "order", "pk"]

    def __str__(self):
        return f"{self.code} {self.text}"


class IndicatorScore(models.Model):
    """The secretary's self-score and comment for an indicator in a year."""

    year = models.PositiveSmallIntegerField(_("year"))
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="scores"
    )
    score = models.DecimalField(
        _("self-score"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("self-score")
        verbose_name_plural = _("self-scores")
        ordering = ["-year", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "indicator"], name="reports_indicatorscore_once_a_year"
            ),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__gte=0, score__lte=100),
                name="reports_indicatorscore_score_range",
                violation_error_message=_("A score is between 0 and 100."),
            ),
        ]

    def __str__(self):
        return f"{self.year} · {self.indicator}"
