"""Enqueue the failed deliveries whose next attempt is due.

The database backend schedules each retry itself (``run_after``); this command is for a
backend that cannot wait (the immediate one, in development) and as a safety net after a
worker was down: a delivery already sent is skipped by the task, so running it too often
sends nothing twice. Cron: every 5 minutes."""

from django.core.management.base import BaseCommand

from core.notifications.tasks import deliver, due_for_retry


class Command(BaseCommand):
    help = "Enqueue the failed deliveries whose next attempt is due."

    def handle(self, *args, **options):
        due = list(due_for_retry())
        if due:
            deliver.enqueue(due)
        if options["verbosity"] > 1 or due:
            self.stdout.write(f"{len(due)} deliveries enqueued")
