"""``manage.py rebuild_visit_months``: count every person's companies visited per month and
every company's last visit again from the visits (the roll-ups ``VisitMonth`` and
``CompanyLastVisit``).

Every write through the application keeps the roll-up; this is for data written around it
(SQL by hand, a restore of the visits alone), and ``--check`` says whether it is needed.
"""

from django.core.management.base import BaseCommand, CommandError

from activities.models import CompanyLastVisit, VisitMonth
from activities.visits.rollups import (
    from_scratch,
    last_visits_from_scratch,
    rebuild_visit_months,
)


class Command(BaseCommand):
    help = (
        "Recompute the companies each person visited per month, and last visits, from the visits."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only compare the tables with the visits; exit 1 if they differ.",
        )

    def handle(self, *args, check=False, verbosity=1, **options):
        if check:
            stored = {
                (person, month): count
                for person, month, count in VisitMonth.objects.values_list(
                    "person_id", "month", "companies"
                )
            }
            expected = from_scratch()
            differing = {
                key
                for key in stored.keys() | expected.keys()
                if stored.get(key) != expected.get(key)
            }
            last_visits = dict(CompanyLastVisit.objects.values_list("company_id", "visited_on"))
            if last_visits != last_visits_from_scratch():
                differing.add("last visits")
            if differing:
                raise CommandError(f"{len(differing)} rows differ from the visits.")
            if verbosity:
                self.stdout.write(f"{len(stored)} rows, all as the visits have them.")
            return
        rows = rebuild_visit_months()
        if verbosity:
            self.stdout.write(f"{rows} rows counted from the visits.")
