"""What the chamber does on a date, one module per area.

``visits``: the leadership's enterprise visits; ``problems``: the problems heard and the
proposals made of them; ``events``: events (活动), sign-ups and talks; ``subscriptions``: calendar
feeds and the day-before reminders.
"""

# The month helpers live in core (the chamber's calendar); imported here for the apps that
# count visits by month.
from core.time import month_end, month_start

from .events import Event, EventPhoto, Registration, Talk
from .problems import Problem, ProblemEvent, Proposal, ledger_order
from .subscriptions import CalendarFeed, EventReminder
from .visits import (
    Assignment,
    CompanyLastVisit,
    Visit,
    VisitMonth,
    VisitPhoto,
    VisitReminder,
    leaders_in_term,
    visits_per_month,
)

__all__ = [
    "Assignment",
    "CalendarFeed",
    "CompanyLastVisit",
    "Event",
    "EventPhoto",
    "EventReminder",
    "Problem",
    "ProblemEvent",
    "Proposal",
    "Registration",
    "Talk",
    "Visit",
    "VisitMonth",
    "VisitPhoto",
    "VisitReminder",
    "leaders_in_term",
    "ledger_order",
    "month_end",
    "month_start",
    "visits_per_month",
]
