"""Campaigns: fundraisers, relief drives and the yearly festive visits."""

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..money import money_field


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
