"""``manage.py remind_visits``: email the leaders below this month's visit quota.

For a daily cron job. It sends nothing until after the 20th of the month
(``CHAMBER_VISIT_REMINDER_AFTER_DAY``), and never mails a leader twice for the same month: each
reminder is recorded (``VisitReminder``), also those the secretariat sent from the back office.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from activities.visits.services import send_visit_reminders


class Command(BaseCommand):
    help = "Email the leaders below this month's visit quota (after the 20th; once a month)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            help="Act as if today were this date (YYYY-MM-DD), e.g. to test the schedule.",
        )

    def handle(self, *args, date=None, verbosity=1, **options):
        today = None
        if date:
            try:
                today = datetime.date.fromisoformat(date)
            except ValueError:
                raise CommandError(f"--date must be YYYY-MM-DD, not {date!r}.") from None
        outcome = send_visit_reminders(today=today)
        month = f"{outcome.month:%Y-%m}"
        if outcome.too_early:
            if verbosity > 1:
                self.stdout.write(f"{month}: too early in the month, nothing sent.")
            return
        for label, people in [
            ("reminded", outcome.sent),
            ("already reminded", outcome.already),
            ("no email address", outcome.without_email),
            ("sending failed", outcome.failed),
        ]:
            if people and verbosity:
                names = ", ".join(person.name for person in people)
                self.stdout.write(f"{month}: {label}: {names}")
        if outcome.failed:
            raise CommandError(f"{len(outcome.failed)} reminders could not be sent.")
