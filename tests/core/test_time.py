"""The chamber's calendar: its zone, its midnights, months and years, and the year a page asks."""

import datetime

import pytest

from core.time import (
    SHANGHAI,
    add_months,
    local_midnight,
    month_end,
    month_start,
    parse_year,
    year_bounds,
)

UTC = datetime.UTC
PLUS_8 = datetime.timezone(datetime.timedelta(hours=8))


@pytest.mark.parametrize(
    "value", ["", "abc", "99999", "1999", "2101", "2026.5", "-2026", None, "9" * 5000]
)
def test_a_bad_or_missing_year_gives_the_default(value):
    assert parse_year(value, 2024) == 2024


@pytest.mark.parametrize("value", ["2026", " 2026 ", 2026])
def test_a_year_in_range_is_read(value):
    assert parse_year(value, 2024) == 2026


def test_the_range_is_the_callers():
    assert parse_year("1995", 2024, lo=1990, hi=2030) == 1995
    assert parse_year("2031", 2024, lo=1990, hi=2030) == 2024


def test_the_zone_is_the_projects(settings):
    assert str(SHANGHAI) == settings.TIME_ZONE == "Asia/Shanghai"


def test_midnight_in_shanghai_is_four_pm_utc_the_day_before_all_year_round():
    """No summer time: every day of the year starts at 16:00 UTC and lasts 24 hours."""
    day = datetime.date(2026, 1, 1)
    while day.year == 2026:
        start = local_midnight(day)
        assert start.astimezone(UTC) == datetime.datetime.combine(
            day - datetime.timedelta(days=1), datetime.time(16), tzinfo=UTC
        )
        following = local_midnight(day + datetime.timedelta(days=1))
        assert following - start == datetime.timedelta(hours=24)
        day += datetime.timedelta(days=1)


def test_the_metrics_year_bounds_are_those_of_the_fixed_plus_8_offset_they_used():
    from reports.metrics import year_bounds as metrics_year_bounds

    for year in (2000, 2016, 2026, 2099):
        expected = (
            datetime.datetime(year, 1, 1, tzinfo=PLUS_8),
            datetime.datetime(year + 1, 1, 1, tzinfo=PLUS_8),
        )
        assert metrics_year_bounds(year) == year_bounds(year) == expected


def test_a_months_first_and_last_day():
    assert month_start(datetime.date(2026, 3, 17)) == datetime.date(2026, 3, 1)
    assert month_end(datetime.date(2024, 2, 3)) == datetime.date(2024, 2, 29)
    assert month_end(datetime.date(2026, 2, 3)) == datetime.date(2026, 2, 28)
    assert month_end(datetime.date(2026, 12, 31)) == datetime.date(2026, 12, 31)


def test_adding_months_keeps_the_day_within_the_month_and_a_first_stays_a_first():
    assert add_months(datetime.date(2026, 3, 31), -1) == datetime.date(2026, 2, 28)
    assert add_months(datetime.date(2026, 11, 30), 2) == datetime.date(2027, 1, 30)
    # The calendar's previous and next month.
    assert add_months(datetime.date(2026, 1, 1), -1) == datetime.date(2025, 12, 1)
    assert add_months(datetime.date(2026, 12, 1), 1) == datetime.date(2027, 1, 1)
