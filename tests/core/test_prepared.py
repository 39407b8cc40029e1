"""core.prepared: the account query compiled once, run with each request's id."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone

from chamber.backends import AuthenticationBackend, _accounts
from chamber.models import User
from core.prepared import Prepared
from tests.factories import UserFactory
from tests.factories_admin import MessageFactory

FIELDS = ("pk", "username", "email", "is_active", "is_staff", "date_joined", "last_login")


def test_the_account_reads_the_same_as_the_querysets(personas, django_assert_num_queries):
    """Every persona's account comes back as the ORM gives it: its fields (dates converted by
    the database's converters), person and company joined, and the annotations."""
    MessageFactory.create_batch(2, user=personas["member"])
    backend = AuthenticationBackend()
    for name, user in personas.items():
        expected = _accounts(timezone.localdate()).get(pk=user.pk)
        with django_assert_num_queries(1):
            loaded = backend.get_user(user.pk)
            person = loaded.person if expected.person_id else None
            company = person.company if person and person.company_id else None
        for field in FIELDS:
            assert getattr(loaded, field) == getattr(expected, field), (name, field)
        assert person == (expected.person if expected.person_id else None), name
        assert company == (person and person.company), name
        for annotation in ("roles_groups", "roles_titles", "inbox_unread"):
            assert getattr(loaded, annotation) == getattr(expected, annotation), (name, annotation)
        assert loaded._state.db == "default" and not loaded._state.adding
    assert backend.get_user(personas["member"].pk).inbox_unread == 2


def test_compiled_once_then_only_run(personas, monkeypatch):
    backend = AuthenticationBackend()
    backend.get_user(personas["member"].pk)
    compiled = []
    original = SQLCompiler.as_sql
    monkeypatch.setattr(
        SQLCompiler, "as_sql", lambda self, *a, **k: compiled.append(1) or original(self, *a, **k)
    )
    assert backend.get_user(personas["leader"].pk).username == personas["leader"].username
    assert backend.get_user(personas["member"].pk).username == personas["member"].username
    assert compiled == []


def test_an_unknown_inactive_or_malformed_id_is_nobody(db):
    backend = AuthenticationBackend()
    inactive = UserFactory(is_active=False)
    assert backend.get_user(inactive.pk) is None
    assert backend.get_user(inactive.pk + 1000) is None
    assert backend.get_user("12abc") is None
    assert backend.get_user(None) is None


def test_a_marker_must_be_one_parameter(db):
    with pytest.raises(ImproperlyConfigured, match="not one"):
        Prepared(User.objects.filter(pk=5, id__gte=5), 5)
    with pytest.raises(ImproperlyConfigured, match="not one"):
        Prepared(User.objects.filter(pk=5), 6)
    with pytest.raises(ImproperlyConfigured, match="prefetch_related"):
        Prepared(User.objects.prefetch_related("groups").filter(pk=5), 5)
    with pytest.raises(ImproperlyConfigured, match="model instances"):
        Prepared(User.objects.values("pk").filter(pk=5), 5)


def test_rows_in_the_querysets_order(db):
    first, second = UserFactory(username="b-second"), UserFactory(username="a-first")
    prepared = Prepared(User.objects.filter(pk__gte=-7).order_by("username"), -7)
    assert [user.pk for user in prepared.rows(min(first.pk, second.pk))] == [second.pk, first.pk]
