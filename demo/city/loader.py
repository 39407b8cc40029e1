"""The city load: its sizes, the tables it writes, and the stages in order, in one transaction."""

import time

from django.db import connection, transaction

from activities.models import (
    Assignment,
    Event,
    Problem,
    ProblemEvent,
    Proposal,
    Registration,
    Talk,
    Visit,
)
from activities.visits.rollups import rebuild_visit_months
from chamber.models import Position
from charity.models import (
    Beneficiary,
    Campaign,
    Consent,
    ContributorPreference,
    Donation,
    Pairing,
    Project,
)
from core.counts import bump
from members.models import Company, Person

from .charity import CharityStages
from .companies import CompanyStages
from .events import EventStages
from .visits import VisitStages
from .writer import Report

KEYS = "indexes and foreign keys put back"
COMMIT = "commit"
ANALYZE = "ANALYZE"

# Every table the load writes to.
WRITTEN = [
    Company,
    Company.tags.through,
    Person,
    Position,
    Assignment,
    Visit,
    Visit.companions.through,
    Proposal,
    Problem,
    ProblemEvent,
    Event,
    Talk,
    Registration,
    Campaign,
    Beneficiary,
    Consent,
    Pairing,
    Pairing.companies.through,
    Project,
    Donation,
    ContributorPreference,
]
# Sizes at factor 1.
FULL = {
    "companies": 20_000,
    "people": 40_000,
    "leaders": 400,
    "visits": 200_000,
    "problems": 300_000,
    "events": 20_000,
    "registrations": 500_000,
    "donations": 100_000,
    "campaigns": 60,
    "beneficiaries": 1_000,
    "proposals": 40,
    "member_problems": 60,
    "member_registrations": 150,
    "member_donations": 30,
}
# The least of each, however small the factor, so that every page has something to show.
LEAST = {
    "companies": 20,
    "people": 40,
    "leaders": 2,
    "visits": 40,
    "problems": 60,
    "events": 20,
    "registrations": 200,
    "donations": 40,
    "campaigns": 2,
    "beneficiaries": 4,
    "proposals": 1,
    "member_problems": 2,
    "member_registrations": 3,
    "member_donations": 2,
}


def scaled_sizes(factor: float) -> dict[str, int]:
    """Every count at a scale (1: the city; 0.002: a few hundred rows for a test)."""
    sizes = {name: max(LEAST[name], round(full * factor)) for name, full in FULL.items()}
    # Each company has its main contact and each leader is a person of their own.
    sizes["leaders"] = min(sizes["leaders"], sizes["companies"] // 2)
    sizes["people"] = max(sizes["people"], sizes["companies"] + sizes["leaders"])
    return sizes


class CityLoader(CompanyStages, VisitStages, EventStages, CharityStages):
    """Writes the city on top of a ``Seed`` of the demo, one stage after another."""

    def run(self) -> Report:
        started = time.perf_counter()
        self.names = self.company_names()
        found = Company.objects.filter(name=self.names[0][0]).exists()
        if found:
            self.report.already_loaded = Company.objects.count()
            return self.report
        with transaction.atomic():
            with self.writer.keys_and_indexes_built_once(WRITTEN):
                for step in (
                    self.load_companies,
                    self.load_people,
                    self.load_leadership,
                    self.load_visits,
                    self.load_problems,
                    self.load_events,
                    self.load_registrations,
                    self.load_charity,
                ):
                    step()
                checking = time.perf_counter()
            self.report.seconds[KEYS] = time.perf_counter() - checking
            self.writer.reset_sequences()
            committing = time.perf_counter()
        self.report.seconds[COMMIT] = time.perf_counter() - committing
        with self.timing(ANALYZE):
            self.analyze()
        self.report.total_seconds = time.perf_counter() - started
        return self.report

    def analyze(self):
        """Let the query planner see the new sizes now rather than after autovacuum."""
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                tables = ", ".join(f'"{model._meta.db_table}"' for model in WRITTEN)
                cursor.execute(f"ANALYZE {tables}")
            else:
                cursor.execute("ANALYZE")


def load_city(seed, *, factor: float = 1.0) -> Report:
    """Write the city on top of the demo ``seed`` (see the package's docstring)."""
    report = CityLoader(seed, scaled_sizes(factor)).run()
    if not report.already_loaded:
        # The visits were written by COPY: the roll-up of companies visited per month is
        # counted once from all of them.
        rebuild_visit_months()
    # Bulk writes send no signals: counts cached for the pages must be recomputed.
    for model in (Company, Assignment, Visit, Visit.companions.through, Problem):
        bump(model)
    return report
