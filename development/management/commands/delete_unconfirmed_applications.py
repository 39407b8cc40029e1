"""``manage.py delete_unconfirmed_applications``: delete the applications to join whose contact
never confirmed, after --days (7), each with its licence photo. For a daily cron job; nothing
in the chamber has seen them, and the applicant's data is kept no longer than it serves."""

from django.core.management.base import BaseCommand, CommandError

from development import services


class Command(BaseCommand):
    help = (
        "Delete applications to join never confirmed by their contact, older than --days "
        f"({services.UNCONFIRMED_DAYS}), with their licence photos."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=services.UNCONFIRMED_DAYS,
            help=f"Age in days (default {services.UNCONFIRMED_DAYS}).",
        )

    def handle(self, *args, days=services.UNCONFIRMED_DAYS, verbosity=1, **options):
        if days < 1:
            raise CommandError("--days must be 1 or more.")
        count = services.delete_unconfirmed_applications(days=days)
        if verbosity:
            self.stdout.write(f"Deleted {count} unconfirmed applications.")
