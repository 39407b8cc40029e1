"""The problem ledger's filters are kept rendered (their owner list names everyone who owns a
problem: hundreds at a city federation); a new owner, or a renamed one, shows at once."""

import re

import pytest
from django.urls import reverse

from tests.factories import PersonFactory

from .factories import ProblemFactory

LEDGER = reverse("activities:problem_list")
pytestmark = pytest.mark.django_db


def owner_options(client, **params) -> list[str]:
    html = client.get(LEDGER, params).content.decode()
    select = re.search(r'<select name="owner".*?</select>', html, re.S).group()
    return re.findall(r"<option[^>]*>([^<]*)</option>", select)


def test_a_new_or_renamed_owner_shows_in_the_cached_filters_at_once(client, president):
    first = PersonFactory(name="负责人甲")
    ProblemFactory(visit=None, owner=first)
    client.force_login(president)
    assert owner_options(client)[1:] == ["负责人甲"]

    ProblemFactory(visit=None, owner=PersonFactory(name="负责人乙"))
    assert sorted(owner_options(client)[1:]) == sorted(["负责人甲", "负责人乙"])
    first.name = "负责人丙"
    first.save()
    assert sorted(owner_options(client)[1:]) == sorted(["负责人丙", "负责人乙"])


def test_the_cached_filters_keep_each_visitors_choice(client, president):
    owner = PersonFactory(name="负责人甲")
    ProblemFactory(visit=None, owner=owner)
    client.force_login(president)
    html = client.get(LEDGER, {"owner": owner.pk}).content.decode()
    assert re.search(rf'<option value="{owner.pk}" selected>负责人甲</option>', html)
    html = client.get(LEDGER).content.decode()
    assert "selected>负责人甲" not in html
