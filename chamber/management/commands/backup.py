"""Write the database and the uploaded files into one archive, for ``restore`` to bring back.

The archive (``backups/chamber-YYYYmmdd-HHMMSS.tar.gz`` by default) holds:

- ``manifest.json``: the database engine, the migrations applied, the rows in every table;
- ``database.pgdump`` (PostgreSQL: ``pg_dump --format=custom``) or ``database.sqlite3``
  (SQLite: a copy made with SQLite's online backup API);
- ``media/``: every file under ``MEDIA_ROOT`` (logos, photos, attachments).

Both database copies are consistent while the app keeps serving: on PostgreSQL the row counts
are read in the very snapshot ``pg_dump`` dumps, on SQLite from the copy itself.
"""

import json
import os
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA = "media"
DUMPS = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
# libpq settings a DATABASE_URL may carry in OPTIONS (e.g. ?sslmode=require).
LIBPQ_OPTIONS = {"sslmode", "sslrootcert", "sslcert", "sslkey", "connect_timeout", "passfile"}


def libpq(settings_dict: dict) -> tuple[str, dict]:
    """A connection string for pg_dump/pg_restore and the environment carrying the password,
    which must not appear in the process list."""
    params = {
        "dbname": settings_dict["NAME"],
        "host": settings_dict.get("HOST") or "",
        "port": str(settings_dict.get("PORT") or ""),
        "user": settings_dict.get("USER") or "",
    }
    params.update(
        {k: str(v) for k, v in settings_dict.get("OPTIONS", {}).items() if k in LIBPQ_OPTIONS}
    )
    conninfo = " ".join(
        "{}='{}'".format(k, v.replace("\\", "\\\\").replace("'", "\\'"))
        for k, v in params.items()
        if v
    )
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    return conninfo, env


def table_counts(cursor, tables) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
        counts[table] = cursor.fetchone()[0]
    return counts


def applied_migrations() -> dict[str, list[str]]:
    applied = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def dump_postgresql(path: Path) -> dict[str, int]:
    """pg_dump in a snapshot this connection exports, and the row counts in that snapshot."""
    conninfo, env = libpq(connection.settings_dict)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        result = subprocess.run(
            [
                "pg_dump",
                "--format=custom",
                f"--snapshot={snapshot}",
                f"--file={path}",
                f"--dbname={conninfo}",
            ],
            env=env,
            capture_output=True,
            text=True,
        )
        if result.returncode:
            raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
        return table_counts(cursor, connection.introspection.table_names(cursor))


def dump_sqlite(path: Path) -> dict[str, int]:
    """A copy by SQLite's online backup API, and the row counts read from the copy."""
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    try:
        connection.connection.backup(copy)
        cursor = copy.cursor()
        tables = [
            name
            for (name,) in cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return table_counts(cursor, tables)
    finally:
        copy.close()


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into one .tar.gz archive."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output-dir",
            default=str(settings.BASE_DIR / "backups"),
            help="Folder for the archive (default: backups/).",
        )

    def handle(self, *args, output_dir, **options):
        vendor = connection.vendor
        if vendor not in DUMPS:
            raise CommandError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
        if connection.in_atomic_block:
            raise CommandError("Run the backup outside a transaction.")
        output_dir = Path(output_dir)
        output_dir.mkdir(parents=True, exist_ok=True)
        name = f"chamber-{timezone.localtime():%Y%m%d-%H%M%S}.tar.gz"
        archive = output_dir / name
        with tempfile.TemporaryDirectory() as work:
            dump = Path(work) / DUMPS[vendor]
            counts = dump_postgresql(dump) if vendor == "postgresql" else dump_sqlite(dump)
            media_root = Path(settings.MEDIA_ROOT)
            media = sorted(p for p in media_root.rglob("*") if p.is_file())
            manifest = {
                "format": FORMAT,
                "created_at": timezone.localtime().isoformat(timespec="seconds"),
                "engine": vendor,
                "database": DUMPS[vendor],
                "migrations": applied_migrations(),
                "counts": counts,
                "media_files": len(media),
            }
            (Path(work) / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
            # Written under a temporary name, so an interrupted backup never looks complete.
            partial = archive.with_name(f".{name}.partial")
            with tarfile.open(partial, "w:gz") as tar:
                tar.add(Path(work) / MANIFEST, arcname=MANIFEST)
                tar.add(dump, arcname=DUMPS[vendor])
                for path in media:
                    tar.add(path, arcname=f"{MEDIA}/{path.relative_to(media_root).as_posix()}")
            partial.rename(archive)
        rows = sum(counts.values())
        self.stdout.write(
            f"{archive}: {vendor} database ({len(counts)} tables, {rows} rows), "
            f"{len(media)} media files, {archive.stat().st_size / 1024:.0f} KB."
        )
