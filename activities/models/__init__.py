"""What the chamber does on a date, one module per area.

``visits``: the leadership's enterprise visits, the problems heard and the proposals made of
them. Events (活动) and sign-ups get a module of their own.
"""

from .events import (
    CalendarFeed,
    Event,
    EventPhoto,
    EventReminder,
    Registration,
    Talk,
)
from .visits import (
    Assignment,
    Problem,
    ProblemEvent,
    Proposal,
    Visit,
    VisitPhoto,
    VisitReminder,
    leaders_in_term,
    ledger_order,
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
