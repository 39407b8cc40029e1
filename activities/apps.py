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

        from chamber.models import Position, Term
        from core.counts import track
        from members.models import Company, Person

        from .models import (
            Assignment,
            CompanyLastVisit,
            Event,
            EventPhoto,
            Problem,
            Proposal,
            Registration,
            Talk,
            Visit,
            VisitMonth,
        )

        # The problem ledger's counts, the visits counted, the compliance board and the coverage
        # lists are cached until a table they read changes (each declares its tables with
        # core.counts.count_of); so are the calendar's months, until an event or a sign-up changes,
        # and an event page's account of the event, until it, a sign-up, a talk or a photo does.
        track(Problem, Visit, Assignment, Term, Position, Visit.companions.through, Company, Person)
        track(VisitMonth, CompanyLastVisit)
        track(Event, Registration, Proposal, Talk, EventPhoto)

        # Each person's companies visited per month, recomputed on every write of a visit.
        from .visits import rollups

        rollups.connect()

        from . import rules  # noqa: F401  (registers the app's rules)
        from .notifications import register_kinds

        register_kinds()
