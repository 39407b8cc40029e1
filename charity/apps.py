from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CharityConfig(AppConfig):
    name = "charity"
    verbose_name = _("Charity")

    def ready(self):
        from core.counts import track
        from core.sections import Section, register_section

        from . import rules  # noqa: F401  (registers the app's rules)
        from .views import overview_tables

        # /charity/'s figures are cached until one of these changes.
        track(*overview_tables())
        from .views import me_section_context

        register_section(
            Section(
                page="me",
                key="charity",
                order=40,
                template_name="charity/includes/_me_charity.html",
                get_context=me_section_context,
            )
        )
