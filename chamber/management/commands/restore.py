"""Bring back an archive written by ``backup``: the database first, then the uploaded files.

    manage.py restore backups/chamber-20261128-093000.tar.gz [--force]

It restores into the database DATABASE_URL names, which must be empty (no tables at all);
``--force`` replaces what a database holds instead (PostgreSQL: ``pg_restore --clean
--if-exists`` in one transaction, so a failed restore changes nothing; SQLite: every page of
the file). Stop the app first. Media files are copied into ``MEDIA_ROOT`` over files of the same
name. Afterwards the rows in every table are checked against the archive's manifest.
"""

import json
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from .backup import DUMPS, FORMAT, MANIFEST, MEDIA, libpq, table_counts

ENGINE_NAMES = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}


def read_manifest(tar: tarfile.TarFile) -> dict:
    try:
        manifest = json.load(tar.extractfile(MANIFEST))
    except (KeyError, ValueError) as error:
        raise CommandError(f"Not a backup made by `manage.py backup`: {error}") from error
    if manifest.get("format") != FORMAT:
        raise CommandError(f"Unknown backup format {manifest.get('format')!r}.")
    return manifest


def check_engine(manifest: dict) -> None:
    if manifest["engine"] != connection.vendor:
        raise CommandError(
            f"This is a backup of a {ENGINE_NAMES.get(manifest['engine'], manifest['engine'])} "
            f"database, but DATABASE_URL points at "
            f"{ENGINE_NAMES.get(connection.vendor, connection.vendor)}: restore it into the "
            "same kind of database."
        )


def migrations_on_disk() -> set[tuple[str, str]]:
    return set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)


def check_migrations(manifest: dict, on_disk: set) -> None:
    """Refuse a backup of a newer version of the app: this code would not know its tables."""
    applied = {(app, name) for app, names in manifest["migrations"].items() for name in names}
    unknown = sorted(applied - on_disk)
    if unknown:
        raise CommandError(
            "This backup was made by a newer version of the app; update the code first. "
            "Migrations it has that this code lacks: "
            + ", ".join(f"{app}.{name}" for app, name in unknown)
        )


def check_empty(force: bool) -> None:
    tables = connection.introspection.table_names()
    if tables and not force:
        raise CommandError(
            f"The database {connection.settings_dict['NAME']} is not empty ({len(tables)} "
            "tables). Restore into an empty database, or pass --force (make restore ... "
            "FORCE=1) to replace what it holds."
        )


def restore_postgresql(dump: Path) -> None:
    conninfo, env = libpq(connection.settings_dict)
    connection.close()
    result = subprocess.run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={conninfo}",
            str(dump),
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise CommandError(f"pg_restore failed, the database is unchanged: {result.stderr.strip()}")


def restore_sqlite(dump: Path) -> None:
    if connection.is_in_memory_db():
        raise CommandError("DATABASE_URL points at an in-memory SQLite database.")
    target = connection.settings_dict["NAME"]
    connection.close()
    source = sqlite3.connect(dump)
    destination = sqlite3.connect(target)
    try:
        source.backup(destination)
    finally:
        source.close()
        destination.close()


def check_counts(manifest: dict) -> None:
    with connection.cursor() as cursor:
        found = table_counts(cursor, manifest["counts"])
    wrong = [
        f"{table}: {found[table]} rows, {expected} in the backup"
        for table, expected in manifest["counts"].items()
        if found[table] != expected
    ]
    if wrong:
        raise CommandError("The restored database differs from the backup: " + "; ".join(wrong))


class Command(BaseCommand):
    help = "Restore the database and the uploaded files from an archive written by `backup`."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="a chamber-YYYYmmdd-HHMMSS.tar.gz file")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace what the database holds (by default it must be empty).",
        )

    def handle(self, *args, archive, force, **options):
        if connection.vendor not in DUMPS:
            raise CommandError(f"Restores support PostgreSQL and SQLite, not {connection.vendor}.")
        try:
            tar = tarfile.open(archive, "r:gz")
        except (OSError, tarfile.TarError) as error:
            raise CommandError(f"Cannot read {archive}: {error}") from error
        with tar, tempfile.TemporaryDirectory() as work:
            manifest = read_manifest(tar)
            check_engine(manifest)
            on_disk = migrations_on_disk()
            check_migrations(manifest, on_disk)
            check_empty(force)
            # The "data" filter refuses absolute paths, links out of the folder and devices.
            tar.extractall(work, filter="data")
            dump = Path(work) / DUMPS[connection.vendor]
            if connection.vendor == "postgresql":
                restore_postgresql(dump)
            else:
                restore_sqlite(dump)
            media = Path(work) / MEDIA
            if media.is_dir():
                shutil.copytree(media, settings.MEDIA_ROOT, dirs_exist_ok=True)
        check_counts(manifest)
        rows = sum(manifest["counts"].values())
        self.stdout.write(
            f"Restored {archive} (made {manifest['created_at']}): {len(manifest['counts'])} "
            f"tables, {rows} rows, as the backup counted them; {manifest['media_files']} media "
            f"files into {settings.MEDIA_ROOT}."
        )
        applied = {(app, n) for app, names in manifest["migrations"].items() for n in names}
        pending = len(on_disk - applied)
        if pending:
            self.stdout.write(
                f"This code has {pending} migrations the backup lacks: run `manage.py migrate`."
            )
