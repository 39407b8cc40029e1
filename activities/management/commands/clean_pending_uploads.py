"""``manage.py clean_pending_uploads``: remove files kept for forms that were never sent again.

A visit or problem form that comes back with an error keeps its files under ``pending/``
(activities/visits/uploads.py) for a day. For an hourly cron job: without it a pending file stays
until the same person uploads again.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from activities.visits import uploads


class Command(BaseCommand):
    help = "Remove pending uploads (files kept for forms sent back) older than --hours (24)."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=float, default=24, help="Age in hours (default 24).")

    def handle(self, *args, hours=24, verbosity=1, **options):
        if hours < 0:
            raise CommandError("--hours must be 0 or more.")
        count, size = uploads.remove_older_than(datetime.timedelta(hours=hours))
        if verbosity:
            self.stdout.write(f"Removed {count} pending files ({size} bytes).")
