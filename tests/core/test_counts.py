"""Cached counts (core.counts): a count declares the tables it reads, every one of them tracked,
and (with CHAMBER_CHECK_COUNTS, on in the tests) the SQL it runs reads no other table."""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from activities.models import CalendarFeed, Problem, Visit
from core.counts import Expiring, _key, bumps_held, count_of, counted, counted_all, tables_in
from members.models import Company

from ..activities.visits.factories import ProblemFactory, VisitFactory

pytestmark = pytest.mark.django_db


def tables_read(context) -> set:
    return set().union(*(tables_in(query["sql"]) for query in context.captured_queries))


@count_of(Problem)
def problems():
    return Problem.objects.count()


@count_of(Problem)
def problems_of_companies_named(name):
    return Problem.objects.filter(company__name__contains=name).count()


@count_of(Visit)
def visits_with_companions():
    return Visit.objects.filter(companions__isnull=False).distinct().count()


def test_a_count_of_an_untracked_model_is_refused():
    @count_of(Problem, CalendarFeed)  # nothing tracks the calendar subscriptions
    def feeds():
        return CalendarFeed.objects.count()

    with pytest.raises(ImproperlyConfigured, match=r"reads activities\.CalendarFeed, which no app"):
        counted(feeds, "test:feeds")


def test_a_count_that_does_not_declare_its_tables_is_refused():
    with pytest.raises(ImproperlyConfigured, match="declare them with @count_of"):
        counted(lambda: Problem.objects.count(), "test:undeclared")


def test_a_count_that_reads_an_undeclared_table_is_caught():
    ProblemFactory()
    with pytest.raises(ImproperlyConfigured, match=r"reads members\.Company but does not declare"):
        counted(problems_of_companies_named, "test:by-company-name", "实业")


def test_an_undeclared_many_to_many_table_is_named_by_its_through_model():
    with pytest.raises(ImproperlyConfigured, match=r"reads Visit\.companions\.through but"):
        counted(visits_with_companions, "test:visits-with-companions")


def test_the_check_is_off_unless_asked_for(settings):
    """Production runs without it: the count is computed as it stands, unchecked."""
    settings.CHAMBER_CHECK_COUNTS = False
    ProblemFactory(visit__company__name="徐泾物流有限公司")
    assert counted(problems_of_companies_named, "test:by-company-name", "物流") == 1


def test_a_count_is_read_from_the_cache_until_its_table_changes():
    ProblemFactory()
    with CaptureQueriesContext(connection) as first:
        assert counted(problems, "test:problems") == 1
    with CaptureQueriesContext(connection) as second:
        assert counted(problems, "test:problems") == 1
    assert Problem in tables_read(first)
    assert Problem not in tables_read(second)
    assert len(second) < len(first)
    ProblemFactory()
    with CaptureQueriesContext(connection) as after_a_write:
        assert counted(problems, "test:problems") == 2
    assert Problem in tables_read(after_a_write)


def test_a_count_declaring_its_tables_passes_the_check():
    ProblemFactory(visit__company__name="徐泾物流有限公司")
    declared = count_of(Problem, Company)(problems_of_companies_named.compute)
    assert counted(declared, "test:declared:物流", "物流") == 1
    VisitFactory().companions.add(ProblemFactory().owner)
    declared = count_of(Visit, Visit.companions.through)(visits_with_companions.compute)
    assert counted(declared, "test:declared:companions") == 1


def test_writes_inside_bumps_held_bump_each_model_once_at_the_end():
    """An import of 10,000 rows bumps the generation once, not at every row's save; a count
    is still out of date after it."""
    ProblemFactory()
    assert counted(problems, "test:problems") == 1
    before = cache.get(_key(Problem))
    with bumps_held():
        ProblemFactory()
        ProblemFactory()
        assert cache.get(_key(Problem)) == before
    assert cache.get(_key(Problem)) == before + 1
    assert counted(problems, "test:problems") == 3


@count_of(Visit)
def visits():
    return Visit.objects.count()


def test_counted_all_reads_several_counts_in_one_query_and_recomputes_only_the_changed():
    ProblemFactory(visit=None)
    VisitFactory()
    first = [Problem.objects.count(), Visit.objects.count()]
    assert counted_all((problems, "test:all:problems"), (visits, "test:all:visits")) == first
    with CaptureQueriesContext(connection) as cached:
        assert counted_all((problems, "test:all:problems"), (visits, "test:all:visits")) == first
    assert len(cached) == 1
    VisitFactory()
    expected = [Problem.objects.count(), Visit.objects.count()]
    with CaptureQueriesContext(connection) as after_a_visit:
        assert counted_all((problems, "test:all:problems"), (visits, "test:all:visits")) == expected
    assert Visit in tables_read(after_a_visit)
    assert Problem not in tables_read(after_a_visit)


def test_an_expiring_count_is_recomputed_once_its_moment_has_passed():
    now = timezone.now()
    computed = []

    @count_of(Problem)
    def until_a_minute_from_now():
        computed.append(timezone.now())
        return Expiring(len(computed), now + datetime.timedelta(minutes=1))

    assert counted_all((until_a_minute_from_now, "test:expiring")) == [1]
    assert counted_all((until_a_minute_from_now, "test:expiring")) == [1]
    with time_machine.travel(now + datetime.timedelta(minutes=2), tick=False):
        assert counted_all((until_a_minute_from_now, "test:expiring")) == [2]


def test_counted_all_refuses_what_counted_refuses():
    with pytest.raises(ImproperlyConfigured, match="declare them with @count_of"):
        counted_all((lambda: 1, "test:undeclared"))
    ProblemFactory()
    with pytest.raises(ImproperlyConfigured, match=r"reads members\.Company but does not declare"):
        counted_all((problems_of_companies_named, "test:all:by-company-name", "实业"))


@pytest.mark.parametrize("read", ["counted", "counted_all"])
def test_a_generation_evicted_from_the_cache_never_brings_back_an_old_value(read):
    """The database cache culls a third of its entries when full, generations included: a
    count must not match a value stamped before the eviction, whatever happened since."""

    def ask():
        if read == "counted":
            return counted(problems, "test:evicted")
        return counted_all((problems, "test:evicted"))[0]

    assert ask() == 0
    cache.delete(_key(Problem))  # evicted
    ProblemFactory()  # bumps: the generation starts again
    assert ask() == 1
    cache.delete(_key(Problem))  # evicted again, before the next write
    ProblemFactory.create_batch(2)
    cache.delete(_key(Problem))
    assert ask() == 3
    # And with the generation missing at the read, not only at the write.
    Problem.objects.filter(pk=Problem.objects.first().pk).delete()
    cache.delete(_key(Problem))
    assert ask() == 2


def test_a_generation_is_kept_for_good_after_a_write():
    """The database cache's incr() stored the new generation for the default five minutes."""
    ProblemFactory()  # sets the generation
    ProblemFactory()  # increments it
    assert counted(problems, "test:kept") == 2
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=1)):
        assert _key(Problem) in cache
