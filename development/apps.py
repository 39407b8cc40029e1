from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DevelopmentConfig(AppConfig):
    name = "development"
    verbose_name = _("Membership development")

    def ready(self):
        from . import rules, sections  # noqa: F401  (registers the app's rules)

        sections.register()
