from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "notices"
    verbose_name = _("Notices and journal")

    def ready(self):
        from . import checks, rules, sections  # noqa: F401  (registers the check and rules)

        sections.register()
