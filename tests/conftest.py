"""Personas: one user for each way the chamber's people use the app."""

import os

import pytest

from chamber.models import SECRETARIAT_GROUP, SUPERVISORS_GROUP, Position

from .factories import (
    CompanyFactory,
    PersonFactory,
    PositionFactory,
    TermFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Hashing passwords properly costs ~0.2 s each; tests need no such strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def check_counts(settings):
    """Every cached count computed in a test is checked against the tables it declares
    (core.counts), whatever DEBUG the tests run with."""
    settings.CHAMBER_CHECK_COUNTS = True


@pytest.fixture
def term(db):
    """The current term."""
    return TermFactory()


@pytest.fixture
def secretary(term):
    """The secretary-general: secretariat group, staff, 秘书长 seat, no company."""
    person = PersonFactory(name="秘书长甲", company=None)
    PositionFactory(person=person, term=term, title=Position.Title.SECRETARY_GENERAL)
    return UserFactory(
        username="secretary", person=person, is_staff=True, groups=[SECRETARIAT_GROUP]
    )


@pytest.fixture
def president(term):
    person = PersonFactory(name="会长甲", company=CompanyFactory(tier="president"))
    PositionFactory(person=person, term=term, title=Position.Title.PRESIDENT)
    return UserFactory(username="president", person=person)


@pytest.fixture
def leader(term):
    """A vice-president who is also a district CPPCC member."""
    person = PersonFactory(
        name="副会长甲",
        company=CompanyFactory(tier="vice_president"),
        is_cppcc_member=True,
        political_title="青浦区政协委员",
    )
    PositionFactory(person=person, term=term, title=Position.Title.VICE_PRESIDENT)
    return UserFactory(username="leader", person=person)


@pytest.fixture
def other_leader(term):
    person = PersonFactory(name="执委乙", company=CompanyFactory(tier="executive"))
    PositionFactory(person=person, term=term, title=Position.Title.EXECUTIVE)
    return UserFactory(username="other_leader", person=person)


@pytest.fixture
def supervisor(term):
    """A supervisor: reads everything in the admin, changes nothing."""
    person = PersonFactory(name="监事甲")
    PositionFactory(person=person, term=term, title=Position.Title.SUPERVISOR)
    return UserFactory(
        username="supervisor", person=person, is_staff=True, groups=[SUPERVISORS_GROUP]
    )


@pytest.fixture
def member(db):
    """The main contact of an active member company."""
    person = PersonFactory(name="联系人甲", is_main_contact=True)
    return UserFactory(username="member", person=person)


@pytest.fixture
def outsider(db):
    """A login whose company has left the chamber: sees only the public pages."""
    person = PersonFactory(name="前会员甲", company=CompanyFactory(status="left"))
    return UserFactory(username="outsider", person=person)


PERSONAS = ["secretary", "president", "leader", "other_leader", "supervisor", "member", "outsider"]


@pytest.fixture
def personas(request):
    """All personas by name, for tests that walk them."""
    return {name: request.getfixturevalue(name) for name in PERSONAS}


@pytest.fixture(scope="session", autouse=True)
def database_snapshot(django_db_setup, django_db_blocker):
    """The migrated test database (with the role groups the data migrations create), serialized
    once before any test can flush it: what transactional tests restore from."""
    from django.db import DatabaseError, connections

    snapshot = {}
    with django_db_blocker.unblock():
        for connection in connections.all():
            try:
                snapshot[connection.alias] = connection.creation.serialize_db_to_string()
            except DatabaseError:
                # A run of tests that use no database (tests/charity/test_money.py alone)
                # sets none up: there is nothing to snapshot, and nothing will restore.
                continue
    return snapshot


@pytest.fixture
def serialized_database(database_snapshot):
    """For tests with ``transaction=True, serialized_rollback=True``: make sure the connection
    they restore from holds the snapshot (pytest-django does not always serialize it, and a
    connection made in another event loop has none)."""
    from django.db import connections

    for connection in connections.all():
        if getattr(connection, "_test_serialized_contents", None) is None:
            # This test's own restore found nothing to restore from: restore now, and let the
            # flush-and-restore of the tests after it use the snapshot.
            connection._test_serialized_contents = database_snapshot[connection.alias]
            connection.creation.deserialize_db_from_string(connection._test_serialized_contents)


def pytest_collection_modifyitems(config, items):
    """Run the transactional tests after the others (and before the browser tests, which
    tests/browser/conftest.py puts last): their flush takes with it the role groups the data
    migrations made, which the tests after them expect (Django's runner orders them so too)."""

    def transactional(item) -> bool:
        marker = item.get_closest_marker("django_db")
        return bool(marker and marker.kwargs.get("transaction"))

    browser = [item for item in items if "tests/browser" in str(item.fspath)]
    moved = [item for item in items if transactional(item) and item not in browser]
    rest = [item for item in items if item not in moved and item not in browser]
    items[:] = rest + moved + browser


# --- A faked clock: CHAMBER_FAKE_NOW=2027-01-01T00:10+08:00 runs every test at that moment. ---
# scripts/awkward_dates.sh runs the tests marked ``dates`` so on the days that broke them.

FAKE_NOW_ENV = "CHAMBER_FAKE_NOW"
_fake_now_traveller = None


def fake_now():
    """The moment CHAMBER_FAKE_NOW names (ISO 8601; without an offset, Asia/Shanghai), or None."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    value = os.environ.get(FAKE_NOW_ENV, "").strip()
    if not value:
        return None
    moment = dt.datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("Asia/Shanghai"))
    return moment


def pytest_configure(config):
    """Travel before collection, so that dates computed when a test module is imported (and
    parametrized dates) see the faked day too. Only Python's clock moves: PostgreSQL's now()
    does not, so no code or test may lean on the database's idea of the time."""
    global _fake_now_traveller
    moment = fake_now()
    if moment is not None and _fake_now_traveller is None:
        import time_machine

        _fake_now_traveller = time_machine.travel(moment, tick=True)
        _fake_now_traveller.traveller = _fake_now_traveller.start()


def pytest_unconfigure(config):
    global _fake_now_traveller
    if _fake_now_traveller is not None:
        _fake_now_traveller.stop()
        _fake_now_traveller = None


def pytest_report_header(config):
    moment = fake_now()
    if moment is not None:
        return f"{FAKE_NOW_ENV}: every test starts at {moment.isoformat()}, the clock ticking"
    return None


@pytest.fixture(autouse=True)
def fake_clock():
    """Under CHAMBER_FAKE_NOW, put the clock back to that moment as each test starts (before
    its fixtures seed anything), so that a whole run at 31 Dec 23:50 never drifts into the
    next year; the clock ticks on during the test. Yields the moment (None without it)."""
    moment = fake_now()
    if moment is not None and _fake_now_traveller is not None:
        _fake_now_traveller.traveller.move_to(moment)
    yield moment


@pytest.fixture(autouse=True)
def cache_cull_schedule():
    """The shared cache counts its table once every so many writes of a process
    (core/cache.py): that count starts afresh with each test, so that no test's queries
    depend on how many cache writes the tests before it made."""
    from django.core.cache import cache

    restart = getattr(cache, "restart_cull_schedule", None)
    if restart is not None:
        restart()


@pytest.fixture(autouse=True)
def no_demo_banner():
    """The demo banner's flag is kept per process (demo.flag): taken as off in each test, so
    that no page pays the one query that reads it, whichever test renders a page first."""
    from demo import flag

    flag.set_known(False)
    yield
    flag.forget()
