from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CharityConfig(AppConfig):
    name = "charity"
    verbose_name = _("Charity")

    def ready(self):
        from core.counts import track
        from core.sections import Section, register_section

        from . import rules  # noqa: F401  (registers the app's rules)
        from .services import overview

        # /charity/'s figures are cached until a table they read changes.
        track(*overview.tables)
        from .views import me_section_context

        register_section(
            Section(
                page="me",
                key="charity",
                order=40,
                template_name="charity/includes/_me_charity.html",
                get_context=me_section_context,
                tables=overview.tables,  # kept rendered until a donation or pairing changes
            )
        )
