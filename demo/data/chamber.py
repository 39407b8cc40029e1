"""The chamber itself: the seed every generator starts from, the founding date, the terms."""

import datetime
import random

SEED = "xujing-chamber-demo"
# A reserved top-level domain (RFC 2606): demo mail can never reach a real mailbox.
EMAIL_DOMAIN = "xujing-demo.example"

# The article (2020) says the chamber was founded 23 years earlier.
CHAMBER_FOUNDED = datetime.date(1997, 12, 18)
# Terms last five years; the eighth began on 1 January 2024.
TERM_YEARS = 5
ANCHOR_TERM = 8
ANCHOR_TERM_START_YEAR = 2024


def term_for(on: datetime.date) -> tuple[int, datetime.date, datetime.date]:
    """(number, start, end) of the term in force on a day, so the demo never runs out of term."""
    offset = (on.year - ANCHOR_TERM_START_YEAR) // TERM_YEARS
    start_year = ANCHOR_TERM_START_YEAR + offset * TERM_YEARS
    return (
        ANCHOR_TERM + offset,
        datetime.date(start_year, 1, 1),
        datetime.date(start_year + TERM_YEARS - 1, 12, 31),
    )


def _rng(*key) -> random.Random:
    # Seeded by the row's own key, so adding a row never changes the others.
    return random.Random(":".join([SEED, *map(str, key)]))
