"""The chamber's calendar: its time zone, where its days, months and years begin, and the year
a page is asked for.

China keeps no summer time, so a day in the chamber's zone is always 24 hours and midnight
always exists: a range of days is two midnights, with no ambiguity to resolve.
"""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings

# The chamber's zone (``TIME_ZONE``, Asia/Shanghai): the days, months and years pages count in.
SHANGHAI = ZoneInfo(settings.TIME_ZONE)


def local_midnight(day: datetime.date) -> datetime.datetime:
    """The moment ``day`` begins in the chamber's zone (the lower bound of a range of days)."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=SHANGHAI)


def year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    """The year's first moment and the next year's, in the chamber's zone: ``[start, end)``."""
    return local_midnight(datetime.date(year, 1, 1)), local_midnight(datetime.date(year + 1, 1, 1))


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def month_end(day: datetime.date) -> datetime.date:
    """The last day of ``day``'s month."""
    next_month = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return next_month - datetime.timedelta(days=1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later (or earlier), kept within the target month: a month's
    first day gives the first day of the other month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    first = datetime.date(year, month + 1, 1)
    return first.replace(day=min(day.day, month_end(first).day))


def parse_year(value, default: int, lo: int = 2000, hi: int = 2100) -> int:
    """The year in ``value`` (a query string's ``?year=``), or ``default`` when it is missing,
    not a whole number, or outside ``lo``–``hi``. Never raises: a year typed into the
    address bar shows a page, not an error."""
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):  # None, "", "abc", or more digits than int() reads
        return default
    return year if lo <= year <= hi else default
