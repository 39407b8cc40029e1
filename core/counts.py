"""Counts over big tables, kept in the shared cache until one of the tables changes.

Counting a city federation's 300,000 problems takes PostgreSQL 60–90 ms, and the problem
ledger shows four such counts on every page. ``counted()`` keeps a count in the shared cache
(so every worker and every server agrees) with the *generation* of each table it read; saving
or deleting a row of a tracked model bumps its generation, so a count is never served stale:
it is recomputed after a change, and only then.

A count names the tables it reads where it reads them, on the function that computes it
(``@count_of(Problem, Company)``), and every one of those tables must be tracked (``track()``
in the app's ``ready()``): ``counted()`` refuses a count that reads an untracked table, and
with ``CHAMBER_CHECK_COUNTS`` on (in development and in the tests) checks the SQL a count runs
against the tables it declares, so a table left out is an error rather than a stale number.

The generation is bumped at once (the same request sees its own change) and again when the
transaction commits, so a count computed by another request between the save and the commit,
which could not see the new row, is dropped too. ``QuerySet.update()`` and ``bulk_create()``
send no signals: code that writes tracked models that way must call ``bump()`` itself.

A page with several cached figures reads them all in one cache query with ``counted_all()``;
a figure that also changes with the clock (events *held* so far) returns an ``Expiring``
value, which ``counted_all()`` recomputes once its moment has passed.
"""

import contextlib
import dataclasses
import datetime
import functools
import hashlib
import re
import threading
import time

from django.apps import apps
from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.cache.backends.base import BaseCache
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

TIMEOUT = 10 * 60  # a bound on what a lost increment of the database cache could keep stale

_tracked = set()  # the models passed to track()
_held = threading.local()  # the models written inside bumps_held(), bumped at its end


def _key(model) -> str:
    return f"generation:{model._meta.label_lower}"


# Generations and the epoch. A table's generation is a number in the cache, bumped by every
# write. A table never written since the cache was emptied has none: its part of a stamp is
# the *epoch* instead, one number for all such tables. Writing such a table (its generation
# missing: never written, or evicted by the cache) starts its generation from the clock and
# starts a new epoch, so nothing stamped while it had no generation matches again. The
# database cache culls a third of its entries when full, generations included: an evicted
# table's part becomes the epoch, which no value computed before its last write carries.
# Reading never writes, except a new epoch when the epoch itself is missing.
EPOCH = "generation:*epoch"


def _new_generation() -> int:
    """A number no generation or epoch has had before: the clock in nanoseconds."""
    return time.time_ns()


def bump(model) -> None:
    """Make every cached count that reads ``model`` out of date."""
    key = _key(model)
    if _incr_keeps_timeout():
        try:
            cache.incr(key)
            return
        except ValueError:  # never written since the cache was emptied, or evicted
            pass
    else:
        # Django's own incr() (the database cache's) stores the new number for the default
        # five minutes, after which every value reading the table would be recomputed: the
        # same read and write, kept for good.
        generation = cache.get(key)
        if generation is not None:
            cache.set(key, generation + 1, None)
            return
    cache.set_many({key: _new_generation(), EPOCH: _new_generation()}, None)


def _incr_keeps_timeout() -> bool:
    """Whether the cache increments in place (Redis, memcached, local memory) rather than by
    Django's get-and-set, which stores the number with the default timeout."""
    return type(caches[DEFAULT_CACHE_ALIAS]).incr is not BaseCache.incr


def _generations(found: dict, generation_keys) -> None:
    """Fill in ``found`` (read with ``EPOCH``) the part of a stamp of each table without a
    generation: the epoch, started now if the cache has none."""
    epoch = found.get(EPOCH)
    if epoch is None:
        epoch = _new_generation()
        # When two workers race, each stamps with its own: a value one stored is recomputed
        # once by the other, never served stale.
        cache.add(EPOCH, epoch, None)
    for key in generation_keys:
        if key not in found:
            found[key] = ("epoch", epoch)


def _bump_now_and_on_commit(model) -> None:
    bump(model)
    transaction.on_commit(lambda: bump(model))


def track(*models) -> None:
    """Bump a model's generation whenever a row is saved or deleted (and, for a many-to-many
    ``through`` model, whenever links are added or removed)."""
    for model in models:
        uid = f"core.counts:{model._meta.label_lower}"
        for signal in (post_save, post_delete):
            signal.connect(_on_write, sender=model, weak=False, dispatch_uid=f"{uid}:{signal}")
        if model._meta.auto_created:  # an automatic many-to-many table
            m2m_changed.connect(_on_m2m, sender=model, weak=False, dispatch_uid=f"{uid}:m2m")
        _tracked.add(model)


def is_tracked(model) -> bool:
    """Whether an app tracks the model (``track()``): a value cached over its table sees
    every write of it."""
    return model in _tracked


def written(model) -> None:
    """Say that rows of ``model`` were written without signals (``bulk_create()``,
    ``bulk_update()``, ``QuerySet.update()``): bumped as a save would bump it, now and at the
    commit, or once at the end of ``bumps_held()``. Nothing for a model no app tracks."""
    if model in _tracked:
        _bump_or_hold(model)


def _on_write(sender, **kwargs):
    _bump_or_hold(sender)


def _on_m2m(sender, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        _bump_or_hold(sender)


def _bump_or_hold(model) -> None:
    held = getattr(_held, "models", None)
    if held is None:
        _bump_now_and_on_commit(model)
    else:
        held.add(model)


@contextlib.contextmanager
def bumps_held():
    """Bump each tracked model written inside once, at the end, rather than at every save:
    an import of 10,000 rows would otherwise bump (a few cache queries) 10,000 times, and as
    many again at the commit. Nothing inside may rely on a count seeing its own writes."""
    if getattr(_held, "models", None) is not None:  # already held by an outer block
        yield
        return
    _held.models = set()
    try:
        yield
    finally:
        models, _held.models = _held.models, None
        for model in models:
            _bump_now_and_on_commit(model)


class DeclaredCount:
    """A function that computes a count, with the tables it reads (made by ``count_of``).
    Called directly, it computes afresh; ``counted()`` caches it."""

    def __init__(self, compute, tables):
        functools.update_wrapper(self, compute)
        self.compute = compute
        self.tables = tables
        self.tracked = False  # every table was tracked when last asked (tracking is for good)

    def __call__(self, *args, **kwargs):
        return self.compute(*args, **kwargs)

    def __str__(self):
        return f"{self.__module__}.{self.__qualname__}"


def count_of(*models):
    """Declare the tables a count reads, on the function that reads them::

        @count_of(Problem, Visit, Assignment, Visit.companions.through, Company)
        def found(problems):
            return problems.count()

    A many-to-many table the count joins is declared as its ``through`` model."""
    if not models:
        raise ImproperlyConfigured("count_of() needs the models whose tables the count reads.")

    def declare(compute) -> DeclaredCount:
        return DeclaredCount(compute, tuple(models))

    return declare


def counted(count: DeclaredCount, name: str, /, *args, **kwargs):
    """``count(*args, **kwargs)``, cached until one of the tables it declares changes.

    One cache read when the value is cached: the generations of the tables and the value, which
    is stored with the generations it was computed at and used only while they still hold.
    ``name`` must say everything the value depends on besides those tables (the viewer's
    scope, filters, the day, the arguments).
    """
    if not isinstance(count, DeclaredCount):
        raise ImproperlyConfigured(
            f"{count!r} does not say which tables it reads: declare them with @count_of(...)."
        )
    if not count.tracked:
        _require_tracked(count)
    digest = hashlib.md5(name.encode(), usedforsecurity=False).hexdigest()
    key = f"count:{digest}"
    generation_keys = [_key(model) for model in count.tables]
    found = cache.get_many([*generation_keys, EPOCH, key])
    _generations(found, generation_keys)
    stamp = tuple(found[generation_key] for generation_key in generation_keys)
    cached = found.get(key)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    if getattr(settings, "CHAMBER_CHECK_COUNTS", False):
        value = _checked(count, args, kwargs)
    else:
        value = count(*args, **kwargs)
    cache.set(key, (stamp, value), TIMEOUT)
    return value


@dataclasses.dataclass(frozen=True)
class Expiring:
    """What a count returns when its value also changes with the clock, not only with its
    tables: the value, and the moment it goes out of date by itself (``until``, an aware
    datetime; None: never). "Events held this year" changes when the next event starts, with
    no row written. Read such a count with ``counted_all()``, which recomputes it from then on;
    ``counted()`` would return the ``Expiring`` itself."""

    value: object
    until: datetime.datetime | None = None


def counted_all(*calls) -> list:
    """Several cached counts for the price of one cache read: each call is
    ``(count, name, *args)`` as ``counted(count, name, *args)`` would take it, and the values
    come back in the same order. Each count is recomputed alone, when one of its own tables
    changed (or, for a count that returns an ``Expiring``, once its moment has passed), so a
    page can split its figures by the tables they read and pay for a change only in the part
    that reads it."""
    plans = []
    keys = set()
    for count, name, *args in calls:
        if not isinstance(count, DeclaredCount):
            raise ImproperlyConfigured(
                f"{count!r} does not say which tables it reads: declare them with @count_of(...)."
            )
        if not count.tracked:
            _require_tracked(count)
        digest = hashlib.md5(name.encode(), usedforsecurity=False).hexdigest()
        key = f"count:{digest}"
        generation_keys = [_key(model) for model in count.tables]
        plans.append((count, args, key, generation_keys))
        keys.update(generation_keys)
        keys.add(key)
    found = cache.get_many([*sorted(keys), EPOCH])
    _generations(found, sorted(key for key in keys if key.startswith("generation:")))
    now = timezone.now()
    values, fresh = [], {}
    for count, args, key, generation_keys in plans:
        stamp = tuple(found[generation_key] for generation_key in generation_keys)
        cached = fresh.get(key) or found.get(key)
        if cached is not None and cached[0] == stamp and _still_true(cached[1], now):
            value = cached[1]
        else:
            if getattr(settings, "CHAMBER_CHECK_COUNTS", False):
                value = _checked(count, args, {})
            else:
                value = count(*args)
            fresh[key] = (stamp, value)
        values.append(value.value if isinstance(value, Expiring) else value)
    if fresh:
        cache.set_many(fresh, TIMEOUT)
    return values


def _still_true(value, now: datetime.datetime) -> bool:
    return not isinstance(value, Expiring) or value.until is None or now < value.until


def _require_tracked(count: DeclaredCount) -> None:
    untracked = [model for model in count.tables if model not in _tracked]
    if untracked:
        raise ImproperlyConfigured(
            f"The count {count} reads {_names(untracked)}, which no app tracks: its cached value "
            "would never see a change there. Pass them to core.counts.track() in the ready() "
            "of the app that owns the count."
        )
    count.tracked = True


# --- The check: the tables a count reads are the tables it declares ---------------------------


@functools.cache
def _models_by_table() -> dict:
    return {model._meta.db_table: model for model in apps.get_models(include_auto_created=True)}


_QUOTED = re.compile(r'"([^"]+)"|`([^`]+)`')


def tables_in(sql: str) -> set:
    """The models whose tables ``sql`` names (as quoted identifiers, as Django writes them)."""
    by_table = _models_by_table()
    names = {double or back for double, back in _QUOTED.findall(sql)}
    return {by_table[name] for name in names if name in by_table}


def _checked(count: DeclaredCount, args, kwargs):
    """``count()``, with every query it runs checked against the tables it declares."""
    statements = []

    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        value = count(*args, **kwargs)
    read = set().union(*map(tables_in, statements))
    undeclared = read - set(count.tables)
    if undeclared:
        raise ImproperlyConfigured(
            f"The count {count} reads {_names(undeclared)} but does not declare it: add it to "
            f"its @count_of(...), or a change there would leave the cached count stale."
        )
    return value


def _names(models) -> str:
    return ", ".join(sorted(_name(model) for model in models))


def _name(model) -> str:
    """``members.Company``; an automatic many-to-many table as ``Visit.companions.through``."""
    owner = model._meta.auto_created
    if owner:
        for field in owner._meta.many_to_many:
            if field.remote_field.through is model:
                return f"{owner.__name__}.{field.name}.through"
    return model._meta.label


# --- Counts of any queryset (the admin's change lists) ----------------------------------------


def counted_queryset(queryset) -> int:
    """``queryset.count()``, cached until one of the tables its SQL reads changes.

    The tables are read off the query itself (its joins, subqueries and filters), so nothing
    needs declaring: the admin's change lists count 200,000 visits or 300,000 problems on
    every page, whatever the filter or search, and the same count is asked again and again
    until a row changes. The name is the query's SQL and parameters, so that two filters
    never share a value. A query reading a table no app tracks is counted afresh every time.
    """
    queryset = queryset.order_by()
    sql, params = queryset.query.sql_with_params()
    models = tables_in(sql)
    if not models or any(model not in _tracked for model in models):
        return queryset.count()
    count = DeclaredCount(queryset.count, tuple(sorted(models, key=_name)))
    count.tracked = True
    return counted(count, f"queryset:{queryset.db}:{sql}:{params!r}")


def counted_list(queryset) -> list:
    """``list(queryset)``, cached like ``counted_queryset()``: for small answers read off big
    tables, such as the years a change list's date hierarchy offers (a scan of every row)."""
    sql, params = queryset.query.sql_with_params()
    models = tables_in(sql)
    if not models or any(model not in _tracked for model in models):
        return list(queryset)
    rows = DeclaredCount(lambda: list(queryset), tuple(sorted(models, key=_name)))
    rows.tracked = True
    return counted(rows, f"list:{queryset.db}:{sql}:{params!r}")
