"""The shared cache in a table of the database, written in one statement a key.

Django's ``DatabaseCache`` counts the whole table before every write (``SELECT COUNT(*)``, to
cull it past ``MAX_ENTRIES``), then reads the key and inserts or updates it: five queries a
write, and a cold page of this app writes ten or twenty cached parts. This one

- writes a key in one ``INSERT … ON CONFLICT`` (PostgreSQL and SQLite alike), and every key
  of ``set_many`` in one statement;
- counts the table only once every ``CULL_EVERY`` writes of a process (an option; by default
  a hundredth of ``MAX_ENTRIES``), so the bound holds within the writes the processes make
  between two counts (a few hundred rows past 50,000), and culls then as Django does.

Everything else is Django's: the same table (``createcachetable``), keys, pickled values,
timeouts, ``add`` only over a missing or expired key, failures kept silent (a savepoint
inside a transaction, so a failed write leaves the request's transaction usable). A ``touch``
of an expired key answers False, as the other backends do (Django's revives it).
"""

import base64
import contextlib
import pickle
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import DatabaseError, connections, router, transaction
from django.utils.timezone import now as tz_now

# Rows of one INSERT of set_many: 3 parameters each, far under SQLite's and PostgreSQL's limits.
BATCH = 500


class DatabaseCache(DjangoDatabaseCache):
    def __init__(self, table, params):
        super().__init__(table, params)
        options = params.get("OPTIONS", {})
        self._cull_every = max(1, int(options.get("CULL_EVERY", self._max_entries // 100)))
        self._writes = 0  # rows written by this process (thread) since the table was counted

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        self._upsert({key: value}, timeout)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        return bool(self._upsert({key: value}, timeout, only_expired=True))

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        keys = {self.make_and_validate_key(key, version=version): key for key in data}
        values = {made: data[key] for made, key in keys.items()}
        failed = []
        # In the keys' order, so two writers of the same keys never wait on each other.
        made = sorted(values)
        for start in range(0, len(made), BATCH):
            batch = made[start : start + BATCH]
            if self._upsert({key: values[key] for key in batch}, timeout) is None:
                failed += [keys[key] for key in batch]
        return failed

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        connection, table, quote_name = self._writer()
        now = connection.ops.adapt_datetimefield_value(self._now())
        key_column, expires_column = quote_name("cache_key"), quote_name("expires")
        sql = (
            f"UPDATE {table} SET {expires_column} = %s "
            f"WHERE {key_column} = %s AND {expires_column} >= %s"
        )
        expires = connection.ops.adapt_datetimefield_value(self._expires(timeout))
        return bool(self._execute(connection, sql, [expires, key, now], rows=0))

    def clear(self):
        super().clear()
        self.restart_cull_schedule()

    def restart_cull_schedule(self):
        """Count the table again only after ``CULL_EVERY`` more writes of this process (the
        tests start each test so, whatever the tests before it wrote)."""
        self._writes = 0

    @staticmethod
    def _now():
        return tz_now().replace(microsecond=0)

    def _expires(self, timeout):
        """The expiry time of a write, as Django's backend computes it."""
        timeout = self.get_backend_timeout(timeout)
        if timeout is None:
            expires = datetime.max  # noqa: DTZ901 (Django's: the adapter makes it the column's)
        else:
            expires = datetime.fromtimestamp(timeout, tz=UTC if settings.USE_TZ else None)
        return expires.replace(microsecond=0)

    def _writer(self):
        connection = connections[router.db_for_write(self.cache_model_class)]
        quote_name = connection.ops.quote_name
        return connection, quote_name(self._table), quote_name

    def _upsert(self, values: dict, timeout, only_expired=False):
        """Insert the keys or overwrite them (``only_expired``: only those past their time),
        in one statement. The number of rows written, or None when the write failed."""
        connection, table, quote_name = self._writer()
        expires = connection.ops.adapt_datetimefield_value(self._expires(timeout))
        params = []
        for key, value in values.items():
            pickled = pickle.dumps(value, self.pickle_protocol)
            # The column is text (Django's createcachetable): the pickle in base64, as Django's.
            params += [key, base64.b64encode(pickled).decode("latin1"), expires]
        key_column, value_column, expires_column = (
            quote_name(name) for name in ("cache_key", "value", "expires")
        )
        rows = ", ".join(["(%s, %s, %s)"] * len(values))
        sql = (
            f"INSERT INTO {table} ({key_column}, {value_column}, {expires_column}) VALUES {rows} "
            f"ON CONFLICT ({key_column}) DO UPDATE SET {value_column} = excluded.{value_column}, "
            f"{expires_column} = excluded.{expires_column}"
        )
        if only_expired:
            sql += f" WHERE {table}.{expires_column} < %s"
            params.append(connection.ops.adapt_datetimefield_value(self._now()))
        return self._execute(connection, sql, params, rows=len(values))

    def _execute(self, connection, sql, params, rows):
        """Run one write (after culling, when this process has written enough since the
        table was last counted); its row count, or None when it failed. Inside a transaction
        it runs in a savepoint, so a failure is silent there too; outside, one statement is
        its own transaction."""
        in_transaction = connection.in_atomic_block
        scope = (
            transaction.atomic(using=connection.alias)
            if in_transaction
            else contextlib.nullcontext()
        )
        try:
            with scope, connection.cursor() as cursor:
                self._writes += rows
                if self._writes >= self._cull_every:
                    self._writes = 0
                    cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(self._table)}")
                    count = cursor.fetchone()[0]
                    if count > self._max_entries:
                        self._cull(connection.alias, cursor, self._now(), count)
                cursor.execute(sql, params)
                return cursor.rowcount
        except DatabaseError:
            # As Django's: a cache write that fails (a lost race, a busy table) is no error.
            return None
