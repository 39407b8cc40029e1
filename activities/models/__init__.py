"""What the chamber does on a date, one module per area.

``visits``: the leadership's enterprise visits; ``problems``: the problems heard and the
proposals made of them; ``events``: events (活动), sign-ups, talks and calendar feeds.
"""

from .events import (
    CalendarFeed,
    Event,
    EventPhoto,
    EventReminder,
    Registration,
    Talk,
)
from .problems import Problem, ProblemEvent, Proposal, ledger_order
from .visits import (
    Assignment,
    Visit,
    VisitPhoto,
    VisitReminder,
    leaders_in_term,
    month_end,
    month_start,
    visits_per_month,
)

__all__ = [
    "Assignment",
    "CalendarFeed",
    "Event",
    "EventPhoto",
    "EventReminder",
    "Problem",
    "ProblemEvent",
    "Proposal",
    "Registration",
    "Talk",
    "Visit",
    "VisitPhoto",
    "VisitReminder",
    "leaders_in_term",
    "ledger_order",
    "month_end",
    "month_start",
    "visits_per_month",
]
