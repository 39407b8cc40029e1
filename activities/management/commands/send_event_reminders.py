"""``manage.py send_event_reminders``: email everyone with a place at tomorrow's events.

For a daily cron job (say at 09:00). Each reminder is recorded (``EventReminder``), so a person
is never mailed twice for one event, however often it runs.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from activities.events.services import send_reminders


class Command(BaseCommand):
    help = "Email the people signed up for tomorrow's events (once per person and event)."

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
        outcome = send_reminders(today=today)
        day = f"{outcome.day:%Y-%m-%d}"
        for label, registrations in [
            ("reminded", outcome.sent),
            ("already reminded", outcome.already),
            ("no email address", outcome.without_email),
            ("sending failed", outcome.failed),
        ]:
            if registrations and verbosity:
                names = ", ".join(f"{r.person.name} ({r.event.title})" for r in registrations)
                self.stdout.write(f"{day}: {label}: {names}")
        if verbosity > 1 and not (outcome.sent or outcome.already or outcome.without_email):
            self.stdout.write(f"{day}: nobody to remind.")
        if outcome.failed:
            raise CommandError(f"{len(outcome.failed)} reminders could not be sent.")
