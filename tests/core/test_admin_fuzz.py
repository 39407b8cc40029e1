"""Fuzzing the admin's list filters: any query string on any changelist, as the secretary (who
keeps Django's lookups) and the supervisor (who has the page's own filters only), answers
200, 302 (the admin's "invalid filter" redirect), 400 (a lookup refused) or 403 (a list not
for this persona), never 500.

Keys are built from the model's field names (one relation down too), Django's lookups and
the page's own parameters; values are what breaks parsers: huge and negative numbers, NaN,
Infinity, empty strings, dates out of range, unicode digits and plain garbage.
"""

from contextlib import contextmanager

import pytest
from allauth.account.models import EmailAddress
from django.contrib import admin
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from activities.models import Event, Registration
from charity.models import Donation
from tests.charity.factories import DonationFactory, StudentFactory
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

PAGES = settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ANSWERS = {200, 302, 400, 403}

LOOKUPS = [
    "",
    "__exact",
    "__iexact",
    "__startswith",
    "__contains",
    "__regex",
    "__gte",
    "__lt",
    "__in",
    "__isnull",
    "__isempty",
    "__year",
    "__month",
    "__day",
    "__range",
    "__id__exact",
]
PAGE_PARAMETERS = ["o", "q", "p", "e", "all", "_to_field", "_popup", "_facets", "year", "when"]

ADMINS = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


def field_paths(model):
    for field in model._meta.get_fields():
        yield field.name
        if field.is_relation and field.related_model is not None:
            for related in field.related_model._meta.concrete_fields:
                yield f"{field.name}__{related.name}"


def changelist_url(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


values = st.one_of(
    st.sampled_from(
        [
            "",
            "0",
            "-1",
            "NaN",
            "nan",
            "Infinity",
            "-inf",
            "1e400",
            "99999999999999999999",
            "-99999999999999999999",
            "0000-00-00",
            "9999-12-31",
            "10000-01-01",
            "2026-02-30",
            "²",
            "٢٠٢٥",
            "１２",
            "true",
            "None",
            "1,2,3",
            "(",
            "[",
            "\\",
            "%",
            "'",
        ]
    ),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.text(max_size=20),
)


@st.composite
def query_strings(draw):
    model, _model_admin = draw(st.sampled_from(ADMINS))
    keys = st.one_of(
        st.builds(
            lambda path, lookup: path + lookup,
            st.sampled_from(sorted(set(field_paths(model)))),
            st.sampled_from(LOOKUPS),
        ),
        st.sampled_from(PAGE_PARAMETERS),
    )
    params = draw(st.dictionaries(keys, values, min_size=1, max_size=3))
    return model, params


@contextmanager
def rolled_back():
    """One example's writes (sessions, messages, a failed query), undone afterwards."""

    class Undo(Exception):
        pass

    try:
        with transaction.atomic():
            yield
            raise Undo
    except Undo:
        pass


@pytest.fixture
def rows(db):
    StudentFactory(name="王小明")
    DonationFactory()
    PersonFactory(mobile="13811112222")


@PAGES
@given(query=query_strings())
@example(query=(Donation, {"year": "0"}))
@example(query=(Event, {"starts_at__year": "99999999999999999999"}))
@example(query=(Registration, {"event__starts_at__year": "99999999999999999999"}))
@example(query=(EmailAddress, {"email__range": "NaN"}))
@example(query=(EmailAddress, {"e": "", "year": ""}))
def test_no_query_string_makes_an_admin_list_fail(client, secretary, supervisor, rows, query):
    model, params = query
    for user in (secretary, supervisor):
        with rolled_back():
            client.force_login(user)
            response = client.get(changelist_url(model), params)
            event(f"HTTP {response.status_code}")
            assert response.status_code in ANSWERS, (model, params, user)
