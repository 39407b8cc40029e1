from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DevelopmentConfig(AppConfig):
    name = "development"
    verbose_name = _("Membership development")

    def ready(self):
        from core.counts import track
        from core.notifications import Kind, register
        from members.models import Prospect

        from . import rules, sections  # noqa: F401  (registers the app's rules)
        from .models import Application

        # The pipeline and the home page's section are kept rendered until a prospect or an
        # application changes.
        track(Prospect, Application)

        register(
            Kind(
                "new_application",
                "development/email/new_application",
                _("a company applied to join"),
            )
        )

        sections.register()
