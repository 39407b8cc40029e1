"""``manage.py generate_dues_bills [--year YYYY]``: bill every active member company for a year
(this year by default). Safe to run again: only companies without a bill are billed."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.time import parse_year
from dues.services import generate_bills


class Command(BaseCommand):
    help = "Generate the year's dues bills for every active member company that has none yet."

    def add_arguments(self, parser):
        parser.add_argument("--year", help="The year to bill (default: this year).")

    def handle(self, *args, year=None, verbosity=1, **options):
        this_year = timezone.localdate().year
        chosen = parse_year(year, default=0) if year is not None else this_year
        if not chosen:
            raise CommandError(f"Not a year: {year!r}")
        outcome = generate_bills(year=chosen)
        if verbosity:
            self.stdout.write(
                f"{chosen}: {len(outcome.created)} bills generated, "
                f"{outcome.already} companies already billed."
            )
            for company in outcome.without_standard:
                self.stdout.write(f"  no standard for the tier of {company.name}: not billed")
