"""The roll-ups of the visits, kept on write: the companies each person visited per month
(``VisitMonth``) and each company's last visit (``CompanyLastVisit``).

Counting who visited how many companies in which month from the raw visits takes PostgreSQL
most of a second at a city federation (100,000 visits a year, a UNION ALL of the visits led
and those joined, each company counted once per person and month), and a visit is logged
about every minute. So the answer is kept in ``VisitMonth``, one row per person and month,
and every write of a visit recomputes the rows it touches **from the visits themselves**:
never by adding or subtracting one, which a second visit to the same company in the month, a
companion who also led, or a lost write would silently get wrong. The coverage lists (the
companies longest without a visit) likewise read each company's last visit from
``CompanyLastVisit``, recomputed from the visits of the companies a write touches.

What touches which rows:

- saving a visit: its month and its old month (the date may move), for its leader, its old
  leader and its companions (the company may change, which changes the count of everyone
  who went); the last visit of its company and its old company;
- deleting a visit: its month, for its leader and companions (read before the delete), and
  its company's last visit;
- adding, removing or clearing companions, from either side: those people in the visit's
  month (``pre_clear`` reads who is about to go);
- deleting a person or a company: their rows go with them (``on_delete=CASCADE``).

Writes that send no signals (``QuerySet.update()``, ``bulk_create()``, raw SQL: the demo
seed, the city load) must call ``refresh_visit_months()`` with the (person, date) pairs they
touched and ``refresh_last_visits()`` with the companies, or ``rebuild_visit_months()`` (both
tables; also the command ``rebuild_visit_months``).
"""

import datetime
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import F, Max
from django.db.models.functions import TruncMonth
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from core.counts import bumps_held, written
from core.time import month_end, month_start
from members.models import Company, Person

from ..models import CompanyLastVisit, Visit, VisitMonth


def visited_rows(visit_model, start=None, end=None, person_ids=None):
    """[(person id, first day of month, number of companies)] counted from the raw visits
    between two dates (all when None), for some people (all when None). One query.

    Takes the Visit model so that the migration filling the table can pass its own."""
    through = visit_model.companions.through
    led = visit_model.objects.all()
    joined = through.objects.all()
    if start is not None:
        led = led.filter(visited_on__gte=start)
        joined = joined.filter(visit__visited_on__gte=start)
    if end is not None:
        led = led.filter(visited_on__lte=end)
        joined = joined.filter(visit__visited_on__lte=end)
    if person_ids is not None:
        led = led.filter(leader_id__in=person_ids)
        joined = joined.filter(person_id__in=person_ids)
    led = (
        led.annotate(p=F("leader_id"), c=F("company_id"), m=TruncMonth("visited_on"))
        .order_by()
        .values_list("p", "c", "m")
    )
    joined = (
        joined.annotate(
            p=F("person_id"), c=F("visit__company_id"), m=TruncMonth("visit__visited_on")
        )
        .order_by()
        .values_list("p", "c", "m")
    )
    sql, params = led.union(joined, all=True).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT p, m, COUNT(DISTINCT c) FROM ({sql}) visited GROUP BY p, m", params)
        return [(person, as_date(month), count) for person, month, count in cursor.fetchall()]


def as_date(value) -> datetime.date:
    """A truncated month as the database returns it outside the ORM (a date, a datetime, or
    on SQLite a string)."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, str):
        return datetime.date.fromisoformat(value[:10])
    return value


def last_visit_rows(visit_model, company_ids=None):
    """[(company id, date of its last visit)] from the raw visits, for some companies (all
    when None): one query, an index probe each (``activities_visit_company_idx``)."""
    visits = visit_model.objects.all()
    if company_ids is not None:
        visits = visits.filter(company_id__in=company_ids)
    return list(
        visits.order_by()
        .values("company_id")
        .annotate(last=Max("visited_on"))
        .values_list("company_id", "last")
    )


def from_scratch() -> dict:
    """{(person id, month): companies} as the raw visits have it now: what ``VisitMonth``
    must hold (the tests compare the two after every kind of write)."""
    return {(person, month): count for person, month, count in visited_rows(Visit)}


def last_visits_from_scratch() -> dict:
    """{company id: last visit} as the raw visits have it now: what ``CompanyLastVisit``
    must hold."""
    return dict(last_visit_rows(Visit))


def refresh_visit_months(pairs: Iterable[tuple[int, datetime.date]]) -> None:
    """Recompute the ``VisitMonth`` rows of (person id, any day of the month) pairs from the
    visits. Five queries, whatever the number of pairs (and the cache's, once, for the
    table's generation): the people's rows are locked (two transactions logging visits for
    the same leader would each count without the other's visit, and the last to write would
    win), their months counted, the old rows read and deleted, the new ones written.

    The rows of every person named in every month named are recomputed: a few more than
    asked when several months and people are mixed, all of them right."""
    people, months = set(), set()
    for person_id, day in pairs:
        if person_id is not None and day is not None:
            people.add(person_id)
            months.add(month_start(day))
    if not people:
        return
    with transaction.atomic(), bumps_held():
        # NO KEY UPDATE: a visit being inserted holds KEY SHARE on its leader, which this
        # must not wait for (or two writers would deadlock); two refreshes do wait.
        list(
            Person.objects.select_for_update(no_key=True)
            .filter(pk__in=people)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        counted = visited_rows(Visit, min(months), month_end(max(months)), people)
        VisitMonth.objects.filter(person_id__in=people, month__in=months).delete()
        VisitMonth.objects.bulk_create(
            VisitMonth(person_id=person, month=month, companies=count)
            for person, month, count in counted
            if month in months
        )
        written(VisitMonth)


def refresh_last_visits(company_ids: Iterable[int]) -> None:
    """Recompute the ``CompanyLastVisit`` rows of some companies from their visits: five
    queries, as ``refresh_visit_months()``. The companies' rows are locked first, as the
    people's are for ``VisitMonth``: two transactions logging visits of one company would
    otherwise each write the row without the other's visit (and the second insert would
    fail)."""
    company_ids = {pk for pk in company_ids if pk is not None}
    if not company_ids:
        return
    with transaction.atomic(), bumps_held():
        list(
            Company.objects.select_for_update(no_key=True)
            .filter(pk__in=company_ids)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        rows = last_visit_rows(Visit, company_ids)
        CompanyLastVisit.objects.filter(company_id__in=company_ids).delete()
        CompanyLastVisit.objects.bulk_create(
            CompanyLastVisit(company_id=company, visited_on=last) for company, last in rows
        )
        written(CompanyLastVisit)


def rebuild_visit_months() -> int:
    """Recompute both roll-ups from the visits (after a bulk load, or to check): a few
    statements and bulk inserts. Returns the number of ``VisitMonth`` rows."""
    rows = visited_rows(Visit)
    last_visits = last_visit_rows(Visit)
    with transaction.atomic():
        with connection.cursor() as cursor:
            for model in (VisitMonth, CompanyLastVisit):
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
        VisitMonth.objects.bulk_create(
            (
                VisitMonth(person_id=person, month=month, companies=count)
                for person, month, count in rows
            ),
            batch_size=5000,
        )
        CompanyLastVisit.objects.bulk_create(
            (
                CompanyLastVisit(company_id=company, visited_on=last)
                for company, last in last_visits
            ),
            batch_size=5000,
        )
        written(VisitMonth)
        written(CompanyLastVisit)
    return len(rows)


# --- Keeping it on write ----------------------------------------------------------------------


def _before_save(sender, instance, raw=False, **kwargs):
    """Remember the leader, the company and the date the visit had, which the save may
    change."""
    if raw or instance._state.adding or instance.pk is None:
        instance._rollup_before = None
        return
    instance._rollup_before = (
        Visit.objects.filter(pk=instance.pk)
        .values_list("leader_id", "visited_on", "company_id")
        .first()
    )


def _after_save(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    before = getattr(instance, "_rollup_before", None)
    people = {instance.leader_id}
    if not created:
        people.update(instance.companions.values_list("pk", flat=True))
    days = {instance.visited_on}
    companies = {instance.company_id}
    if before is not None:
        people.add(before[0])
        days.add(before[1])
        companies.add(before[2])
    refresh_visit_months((person, day) for person in people for day in days)
    refresh_last_visits(companies)


def _before_delete(sender, instance, **kwargs):
    """Who went, read before the companions' links are deleted with the visit."""
    instance._rollup_people = {
        instance.leader_id,
        *instance.companions.values_list("pk", flat=True),
    }


def _after_delete(sender, instance, **kwargs):
    people = getattr(instance, "_rollup_people", {instance.leader_id})
    refresh_visit_months((person, instance.visited_on) for person in people)
    refresh_last_visits([instance.company_id])


def _companions_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action == "pre_clear":
        # Who is about to be cleared: the post_clear signal does not say.
        if reverse:  # person.visits_joined.clear()
            instance._rollup_cleared = set(instance.visits_joined.values_list("pk", flat=True))
        else:
            instance._rollup_cleared = set(instance.companions.values_list("pk", flat=True))
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    keys = getattr(instance, "_rollup_cleared", set()) if action == "post_clear" else pk_set
    if not keys:
        return
    if reverse:  # the instance is a person, the keys are visits
        days = Visit.objects.filter(pk__in=keys).values_list("visited_on", flat=True)
        refresh_visit_months((instance.pk, day) for day in set(days))
    else:
        refresh_visit_months((person, instance.visited_on) for person in keys)


def connect() -> None:
    """Keep the roll-ups on every write of a visit or its companions (from the app's
    ``ready()``)."""
    uid = "activities.rollups"
    pre_save.connect(_before_save, sender=Visit, dispatch_uid=f"{uid}:pre_save")
    post_save.connect(_after_save, sender=Visit, dispatch_uid=f"{uid}:post_save")
    pre_delete.connect(_before_delete, sender=Visit, dispatch_uid=f"{uid}:pre_delete")
    post_delete.connect(_after_delete, sender=Visit, dispatch_uid=f"{uid}:post_delete")
    m2m_changed.connect(
        _companions_changed, sender=Visit.companions.through, dispatch_uid=f"{uid}:m2m"
    )
