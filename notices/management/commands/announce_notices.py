"""Tell people about the notices published since the last run (those scheduled for later
than they were saved). Run every few minutes from cron; a notice is announced once."""

from django.core.management.base import BaseCommand

from notices.notifications import announce, due_for_announcement


class Command(BaseCommand):
    help = "Announce the notices whose publication time has come (once each)."

    def handle(self, *args, **options):
        for notice_id in list(due_for_announcement().values_list("pk", flat=True)):
            told = announce(notice_id)
            if options["verbosity"] > 1:
                self.stdout.write(f"notice {notice_id}: {told} people")
