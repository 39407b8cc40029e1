"""Photos of a project or of a campaign, private files served to those who may see them."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.files import UploadTo
from core.images import ValidatedImageField

from .campaigns import Campaign
from .pairings import Project


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
