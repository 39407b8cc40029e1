"""Personas: one user for each way the chamber's people use the app."""

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
