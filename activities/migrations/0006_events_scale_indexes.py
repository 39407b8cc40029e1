"""A GiST index on each event's time as a range, for the calendar's "which events overlap
these days" (``EventQuerySet.in_range``), on PostgreSQL only.

A B-tree on (starts_at, ends_at) answers "starts before the end" by reading every event that
started before it, the whole past; the range index reads only the events in the range. It
carries the columns the month grid counts and ranks with (INCLUDE), so PostgreSQL answers
those from the index alone. SQLite has no GiST: there the calendar compares the two times.
The index is made here, outside the models' state, so that SQLite never sees it.
"""

from django.db import migrations

SPAN_INDEX = "activities_event_span_idx"


def create_span_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {SPAN_INDEX} ON activities_event "
            "USING gist (tstzrange(starts_at, ends_at)) "
            "INCLUDE (id, starts_at, ends_at, audience, kind)"
        )


def drop_span_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {SPAN_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0005_problem_ledger_index"),
    ]

    operations = [
        migrations.RunPython(create_span_index, drop_span_index),
    ]
