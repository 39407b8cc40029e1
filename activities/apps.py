from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("Activities")

    def ready(self):
        from .events import sections as event_sections
        from .visits import sections as visit_sections

        visit_sections.register()
        event_sections.register()

        from core.counts import track
        from members.models import Company

        from .models import Assignment, Problem, Visit

        # The problem ledger's counts and the coverage lists are cached until these change.
        track(Problem, Visit, Assignment, Visit.companions.through, Company)

        from . import rules  # noqa: F401  (registers the app's rules)
