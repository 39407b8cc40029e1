"""`manage.py backup` and `restore`: one archive with the database and the uploaded files."""

import io
import json
import os
import secrets
import sqlite3
import subprocess
import sys
import tarfile
import urllib.parse
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection
from PIL import Image

from activities.models import Problem
from members.models import Company
from tests.activities.visits.factories import ProblemFactory, VisitFactory
from tests.factories import CompanyFactory, PersonFactory, UserFactory

# pg_dump and the restore run in other processes: they see committed rows only.
pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("serialized_database"),
]

ON_POSTGRESQL = connection.vendor == "postgresql"
postgresql_only = pytest.mark.skipif(not ON_POSTGRESQL, reason="PostgreSQL backups")
sqlite_only = pytest.mark.skipif(ON_POSTGRESQL, reason="SQLite backups")


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 80), "red").save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def records(media_root):
    company = CompanyFactory(name="上海徐泾备份测试实业有限公司")
    company.logo.save("logo.png", ContentFile(png()))
    leader = PersonFactory(name="备份甲", company=company)
    user = UserFactory(username="backup-user", person=leader)
    problem = ProblemFactory(
        visit=VisitFactory(company=company, leader=leader), description="厂房租约年底到期。"
    )
    return {"company": company, "user": user, "problem": problem}


@pytest.fixture
def archive(records, tmp_path) -> Path:
    call_command("backup", output_dir=tmp_path / "backups", stdout=io.StringIO())
    (found,) = (tmp_path / "backups").glob("chamber-*.tar.gz")
    return found


@pytest.fixture
def fresh_database(tmp_path):
    """(DATABASE_URL, DB-API connect) of a database with nothing in it, dropped afterwards."""
    if not ON_POSTGRESQL:
        path = tmp_path / "restored.sqlite3"
        yield f"sqlite:///{path}", lambda: sqlite3.connect(path)
        return
    import psycopg2

    name = f"{connection.settings_dict['NAME']}_restore_{secrets.token_hex(4)}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(name)}")
    url = urllib.parse.urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{name}", query="")
    params = {k: connection.settings_dict[k.upper()] for k in ("user", "password", "host", "port")}
    try:
        yield url.geturl(), lambda: psycopg2.connect(dbname=name, **params)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(
                f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)} WITH (FORCE)"
            )


def restore(archive: Path, database_url: str, media_root: Path, *flags):
    """`manage.py restore` as `make restore` runs it: DATABASE_URL names the database."""
    return subprocess.run(
        [sys.executable, "manage.py", "restore", str(archive), *flags],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DATABASE_URL": database_url, "MEDIA_ROOT": str(media_root)},
        capture_output=True,
        text=True,
    )


def manifest_of(archive: Path) -> dict:
    with tarfile.open(archive) as tar:
        return json.load(tar.extractfile("manifest.json"))


def test_a_backup_holds_the_database_the_media_and_a_manifest(archive, records):
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
        logo = tar.extractfile(f"media/{records['company'].logo.name}").read()
    assert logo == png()
    manifest = manifest_of(archive)
    assert manifest["engine"] == connection.vendor
    assert manifest["database"] in names
    assert "0001_initial" in manifest["migrations"]["members"]
    assert manifest["counts"]["members_company"] == Company.objects.count()
    assert manifest["counts"]["activities_problem"] == 1
    assert manifest["media_files"] == 1


def test_a_backup_comes_back_whole_in_a_fresh_database(archive, records, fresh_database, tmp_path):
    database_url, connect = fresh_database
    restored_media = tmp_path / "restored-media"
    result = restore(archive, database_url, restored_media)
    assert result.returncode == 0, result.stderr
    assert "as the backup counted them" in result.stdout

    company, user, problem = records["company"], records["user"], records["problem"]
    db = connect()
    try:
        cursor = db.cursor()
        cursor.execute(f"SELECT name, logo FROM members_company WHERE id = {company.pk}")
        assert cursor.fetchone() == (company.name, company.logo.name)
        cursor.execute(f"SELECT username, password FROM chamber_user WHERE id = {user.pk}")
        assert cursor.fetchone() == ("backup-user", user.password)
        cursor.execute(
            "SELECT p.description, v.summary, v.leader_id FROM activities_problem p "
            f"JOIN activities_visit v ON v.id = p.visit_id WHERE p.id = {problem.pk}"
        )
        assert cursor.fetchone() == (
            "厂房租约年底到期。",
            problem.visit.summary,
            problem.visit.leader_id,
        )
        cursor.execute("SELECT COUNT(*) FROM activities_problemevent")
        assert cursor.fetchone() == (1,)
    finally:
        db.close()
    assert (restored_media / company.logo.name).read_bytes() == png()

    # The database is no longer empty: a second restore needs --force.
    again = restore(archive, database_url, restored_media)
    assert again.returncode != 0
    assert "is not empty" in again.stderr
    assert restore(archive, database_url, restored_media, "--force").returncode == 0


def test_restore_refuses_a_database_that_is_not_empty(archive, records):
    Problem.objects.all().delete()
    with pytest.raises(CommandError, match="is not empty"):
        call_command("restore", str(archive))
    assert not Problem.objects.exists()


def test_restore_refuses_a_backup_of_the_other_engine(archive, tmp_path):
    other = {"postgresql": "sqlite", "sqlite": "postgresql"}[connection.vendor]
    manifest = json.dumps({**manifest_of(archive), "engine": other}).encode()
    forged = tmp_path / "other.tar.gz"
    with tarfile.open(forged, "w:gz") as tar:
        info = tarfile.TarInfo("manifest.json")
        info.size = len(manifest)
        tar.addfile(info, io.BytesIO(manifest))
    with pytest.raises(CommandError, match="same kind of database"):
        call_command("restore", str(forged), force=True)


@postgresql_only
def test_a_postgresql_backup_is_a_custom_format_dump(archive, tmp_path):
    with tarfile.open(archive) as tar:
        tar.extract("database.pgdump", tmp_path, filter="data")
    listing = subprocess.run(
        ["pg_restore", "--list", str(tmp_path / "database.pgdump")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "TABLE DATA public members_company" in listing


@sqlite_only
def test_a_sqlite_backup_is_a_database_file(archive, records, tmp_path):
    with tarfile.open(archive) as tar:
        tar.extract("database.sqlite3", tmp_path, filter="data")
    db = sqlite3.connect(tmp_path / "database.sqlite3")
    try:
        names = db.execute("SELECT name FROM members_company").fetchall()
    finally:
        db.close()
    assert (records["company"].name,) in names
