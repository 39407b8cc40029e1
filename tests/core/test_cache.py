"""The shared cache's table (core/cache.py): Django's database cache, each write one statement
and the table counted only every so many writes; what it keeps and answers is Django's."""

import datetime

import pytest
import time_machine
from django.core.cache import cache as shared_cache
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.cache import BATCH, DatabaseCache
from members.models import Company

from ..factories import CompanyFactory

pytestmark = pytest.mark.django_db


def table_cache(max_entries=1000, cull_every=100, backend=DatabaseCache, table="chamber_cache"):
    options = {"MAX_ENTRIES": max_entries, "CULL_EVERY": cull_every}
    return backend(table, {"OPTIONS": options, "KEY_PREFIX": "test-cache"})


def rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM chamber_cache")
        return cursor.fetchone()[0]


def statements(context) -> list[str]:
    """The cache's own statements (not the savepoints around them)."""
    return [q["sql"] for q in context.captured_queries if "chamber_cache" in q["sql"]]


def test_the_app_uses_it():
    assert type(caches["default"]) is DatabaseCache


def test_set_get_and_overwrite():
    cache = table_cache()
    assert cache.get("missing") is None
    assert cache.get("missing", "default") == "default"
    cache.set("figures", {"visits": 3, "names": ["甲", "乙"]})
    assert cache.get("figures") == {"visits": 3, "names": ["甲", "乙"]}
    cache.set("figures", [1, 2])
    assert cache.get("figures") == [1, 2]
    cache.set("none", None)
    assert cache.get("none", "default") is None
    assert cache.has_key("figures") and not cache.has_key("missing")


def test_a_write_is_one_statement_and_no_count():
    cache = table_cache()
    with CaptureQueriesContext(connection) as context:
        cache.set("one", 1)
    assert len(statements(context)) == 1 and "COUNT(" not in statements(context)[0]

    with CaptureQueriesContext(connection) as context:
        assert cache.set_many({f"key-{n}": n for n in range(20)}) == []
    assert len(statements(context)) == 1
    assert cache.get_many([f"key-{n}" for n in range(20)]) == {f"key-{n}": n for n in range(20)}

    # Django's own backend: a count, a read and a write per key.
    with CaptureQueriesContext(connection) as context:
        table_cache(backend=DjangoDatabaseCache).set("two", 2)
    assert len(statements(context)) == 3


def test_set_many_overwrites_and_spans_batches():
    cache = table_cache(max_entries=10 * BATCH, cull_every=10 * BATCH)
    cache.set("key-1", "old")
    data = {f"key-{n}": n for n in range(BATCH + 7)}
    with CaptureQueriesContext(connection) as context:
        assert cache.set_many(data, 60) == []
    assert len(statements(context)) == 2
    assert cache.get_many(list(data)) == data
    assert cache.get("key-1") == 1
    assert cache.set_many({}) == []


def test_add_writes_only_a_missing_or_expired_key():
    cache = table_cache()
    assert cache.add("seat", "first") is True
    assert cache.add("seat", "second") is False
    assert cache.get("seat") == "first"

    cache.set("short", "old", 10)
    assert cache.add("short", "new") is False
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=30)):
        assert cache.add("short", "new", 60) is True
        assert cache.get("short") == "new"


def test_timeouts():
    cache = table_cache()
    cache.set("for-ever", 1, None)
    cache.set("a-minute", 2, 60)
    cache.set("at-once", 3, 0)
    cache.set("default", 4)  # Django's 300 seconds
    assert cache.get("at-once") is None
    assert cache.get_many(["for-ever", "a-minute", "default"]) == {
        "for-ever": 1,
        "a-minute": 2,
        "default": 4,
    }
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=2)):
        assert cache.get("a-minute") is None
        assert cache.get_many(["for-ever", "default"]) == {"for-ever": 1, "default": 4}
    with time_machine.travel(timezone.now() + datetime.timedelta(days=3650)):
        assert cache.get("for-ever") == 1
        assert cache.get("default") is None
    assert cache.set_many({"gone": 1}, 0) == []
    assert cache.get("gone") is None


def test_touch_extends_a_live_key_only():
    cache = table_cache()
    cache.set("live", 1, 10)
    assert cache.touch("live", 120) is True
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=60)):
        assert cache.get("live") == 1
    assert cache.touch("missing") is False

    cache.set("stale", 1, 10)
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=30)):
        assert cache.touch("stale", 120) is False
        assert cache.get("stale") is None
    assert cache.touch("live", None) is True
    with time_machine.travel(timezone.now() + datetime.timedelta(days=3650)):
        assert cache.get("live") == 1


def test_delete_incr_decr_and_clear():
    cache = table_cache()
    cache.set_many({"a": 1, "b": 2, "c": 3})
    assert cache.delete("a") is True
    assert cache.delete("a") is False
    cache.delete_many(["b", "missing"])
    assert cache.get_many(["a", "b", "c"]) == {"c": 3}
    assert cache.incr("c") == 4 and cache.decr("c", 2) == 2 and cache.get("c") == 2
    with pytest.raises(ValueError):
        cache.incr("missing")
    cache.clear()
    assert cache.get("c") is None and rows() == 0


def test_versions_and_prefixes_keep_keys_apart():
    cache = table_cache()
    cache.set("key", "one", version=1)
    cache.set("key", "two", version=2)
    assert cache.get("key", version=1) == "one" and cache.get("key", version=2) == "two"
    assert shared_cache.get("key") is None  # another prefix


def test_the_table_is_counted_every_so_many_writes_and_culled_past_its_bound():
    cache = table_cache(max_entries=30, cull_every=10)
    cache.clear()
    counts = 0
    for n in range(200):
        with CaptureQueriesContext(connection) as context:
            cache.set(f"key-{n}", n)
        counts += sum("COUNT(" in sql for sql in statements(context))
        assert rows() <= 30 + 10
    assert counts == 20
    # The newest keys survive a cull (Django's culls the first keys in the key order).
    assert cache.get("key-199") == 199


def test_a_failed_write_is_silent_and_leaves_the_transaction_usable():
    company = CompanyFactory()
    cache = table_cache(table="no_such_table")
    cache.set("key", 1)
    assert cache.add("key", 1) is False
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert cache.touch("key") is False
    assert Company.objects.filter(pk=company.pk).exists()
