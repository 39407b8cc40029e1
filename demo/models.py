"""Whether the demo data is loaded here: ``seed_demo`` writes the one row; the pages show a
demo banner while it is there (``demo.flag``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DemoLoad(models.Model):
    """The demo data was loaded into this database (by ``seed_demo``)."""

    loaded_at = models.DateTimeField(_("loaded at"))

    class Meta:
        verbose_name = _("demo data load")
        verbose_name_plural = _("demo data loads")

    def __str__(self):
        return str(self.loaded_at)
