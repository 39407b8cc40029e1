"""Trigram indexes for the directory's search on PostgreSQL (pg_trgm); nothing elsewhere.

``LIKE '%…%'`` cannot use a b-tree index, so at a city federation's 20,000 companies every
search read the whole table. A GIN trigram index serves a contained string of three characters
or more: on ``UPPER(name)`` for ``icontains`` (Latin letters), on ``name`` for Chinese
(``contains``), on ``name_initials`` (stored in lower case). Creating the extension needs a
role allowed to (the database owner on PostgreSQL 13+ for this trusted extension).
"""

from django.db import migrations

INDEXES = {
    "members_company_name_trgm": 'UPPER("name"::text) gin_trgm_ops',
    "members_company_name_cn_trgm": '"name" gin_trgm_ops',
    "members_company_initials_trgm": '"name_initials" gin_trgm_ops',
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "members_company" USING gin ({expression})'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
