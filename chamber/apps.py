from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChamberConfig(AppConfig):
    name = "chamber"
    verbose_name = _("Chamber")

    def ready(self):
        from . import rules  # noqa: F401  (registers the app's rules)
