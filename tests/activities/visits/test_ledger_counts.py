"""The ledger's counts come from the shared cache and are recomputed after every change."""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from activities.models import Assignment, Problem
from core.counts import count_of, counted
from tests.factories import TermFactory

from .factories import AssignmentFactory, ProblemFactory, VisitFactory

pytestmark = pytest.mark.django_db


class _Counts(HTMLParser):
    """The numbers the page shows, each read in its place: the stats' links
    (``<dd><a href="?status=unsettled">4</a></dd>`` …) and the result bar (``role="status"``)."""

    def __init__(self):
        super().__init__()
        self.texts, self._into, self._in_dd = {}, None, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "dd":
            self._in_dd = True
        elif tag == "a" and self._in_dd:
            self._into = attrs.get("href")
        elif tag == "p" and attrs.get("role") == "status":
            self._into = "found"
        if self._into:
            self.texts.setdefault(self._into, []).append("")

    def handle_endtag(self, tag):
        if tag == "dd":
            self._in_dd = False
        if tag in ("a", "p"):
            self._into = None

    def handle_data(self, data):
        if self._into:
            self.texts[self._into][-1] += data


def shown(response) -> dict:
    """{"unsettled": …, "overdue": …, "awaiting": …, "found": …} as the page shows them: each
    place must be on the page once, holding one number (and, for the stats, nothing else)."""
    assert response.status_code == 200
    parser = _Counts()
    parser.feed(response.content.decode())
    places = {
        "unsettled": "?status=unsettled",
        "overdue": "?overdue=on",
        "awaiting": "?status=awaiting",
        "found": "found",
    }
    numbers = {}
    for name, place in places.items():
        [text] = parser.texts[place]
        if place == "found":
            [number] = re.findall(r"\d+", text)
        else:
            number = text.strip()
        assert number.isdigit(), (name, text)
        numbers[name] = int(number)
    return numbers


def found(response) -> int:
    return shown(response)["found"]


def test_a_new_problem_shows_in_the_counts_at_once(client, president):
    ProblemFactory()
    client.force_login(president)
    url = reverse("activities:problem_list")
    assert shown(client.get(url)) == {"unsettled": 1, "overdue": 0, "awaiting": 0, "found": 1}
    ProblemFactory()
    assert shown(client.get(url)) == {"unsettled": 2, "overdue": 0, "awaiting": 0, "found": 2}


def test_each_count_shows_in_its_own_place(client, president):
    """Four different numbers, so that a count shown in another's place is noticed."""
    today = timezone.localdate()
    for _ in range(3):  # unsettled and overdue
        ProblemFactory(
            visit__visited_on=today - datetime.timedelta(days=40),
            due_on=today - datetime.timedelta(days=1),
        )
    ProblemFactory(due_on=today + datetime.timedelta(days=5))  # unsettled, not overdue
    for _ in range(2):
        ProblemFactory(  # awaiting confirmation
            status=Problem.Status.SOLVED, resolution="已解决", resolved_on=today
        )
    ProblemFactory(status=Problem.Status.DECLINED, decline_reason="不属于商会职责")
    client.force_login(president)
    url = reverse("activities:problem_list")
    assert shown(client.get(url)) == {"unsettled": 4, "overdue": 3, "awaiting": 2, "found": 7}
    filtered = client.get(url, {"overdue": "on"})
    assert shown(filtered) == {"unsettled": 4, "overdue": 3, "awaiting": 2, "found": 3}


def test_a_settled_problem_leaves_the_unsettled_count(client, president):
    problem = ProblemFactory()
    client.force_login(president)
    url = reverse("activities:problem_list")
    assert shown(client.get(url))["unsettled"] == 1
    problem.status = Problem.Status.DECLINED
    problem.decline_reason = "不属于商会职责"
    problem.save()
    assert shown(client.get(url)) == {"unsettled": 0, "overdue": 0, "awaiting": 0, "found": 1}


def test_each_filter_has_its_own_count(client, president):
    ProblemFactory(category="financing")
    ProblemFactory(category="legal")
    client.force_login(president)
    url = reverse("activities:problem_list")
    assert shown(client.get(url))["found"] == 2
    assert shown(client.get(url, {"category": "legal"}))["found"] == 1


def test_a_new_assignment_changes_what_a_leader_follows(client, leader):
    problem = ProblemFactory()
    client.force_login(leader)
    url = reverse("activities:problem_list")
    assert shown(client.get(url)) == {"unsettled": 0, "overdue": 0, "awaiting": 0, "found": 0}
    AssignmentFactory(leader=leader.person, company=problem.company)
    assert shown(client.get(url)) == {"unsettled": 1, "overdue": 0, "awaiting": 0, "found": 1}


def test_a_term_coming_into_force_changes_what_a_leader_follows(client, leader, term):
    """A leader follows the companies assigned to them in the term in force: when the next
    term's dates are brought forward, its assignments count at once."""
    problem = ProblemFactory()
    next_term = TermFactory(
        number=term.number + 1,
        starts_on=term.ends_on + datetime.timedelta(days=1),
        ends_on=term.ends_on.replace(year=term.ends_on.year + 5),
    )
    AssignmentFactory(term=next_term, leader=leader.person, company=problem.company)
    client.force_login(leader)
    url = reverse("activities:problem_list")
    assert found(client.get(url)) == 0
    next_term.starts_on = term.starts_on
    next_term.save()
    assert found(client.get(url)) == 1


def test_coming_along_on_a_visit_changes_what_a_leader_follows(client, leader):
    visit = VisitFactory()
    ProblemFactory(visit=visit, company=visit.company)
    client.force_login(leader)
    url = reverse("activities:problem_list")
    assert shown(client.get(url)) == {"unsettled": 0, "overdue": 0, "awaiting": 0, "found": 0}
    visit.companions.add(leader.person)
    assert shown(client.get(url)) == {"unsettled": 1, "overdue": 0, "awaiting": 0, "found": 1}


def test_a_search_by_company_name_follows_a_rename_at_once(client, president):
    """The company filter searches names: renaming a company changes what it finds, though
    no problem changed."""
    logistics = ProblemFactory(visit__company__name="徐泾物流一号有限公司").company
    ProblemFactory(visit__company__name="徐泾物流二号有限公司")
    ProblemFactory(visit__company__name="徐泾科技有限公司")
    client.force_login(president)
    url = reverse("activities:problem_list")
    assert found(client.get(url, {"company": "物流"})) == 2
    logistics.name = "徐泾供应链有限公司"
    logistics.save()
    assert found(client.get(url, {"company": "物流"})) == 1
    assert found(client.get(url, {"company": "供应链"})) == 1
    assert found(client.get(url)) == 3


def test_the_counts_are_read_from_the_cache_until_a_problem_changes(client, president):
    ProblemFactory()
    client.force_login(president)
    url = reverse("activities:problem_list")

    def measured():
        with CaptureQueriesContext(connection) as context:
            numbers = shown(client.get(url))
        return numbers["unsettled"], numbers["found"], len(context)

    computed = measured()
    cached = measured()
    assert cached[:2] == computed[:2] == (1, 1)
    assert cached[2] < computed[2]  # the counts are not counted again
    ProblemFactory()
    recomputed = measured()
    assert recomputed[:2] == (2, 2) and recomputed[2] > cached[2]
    assert measured() == (2, 2, cached[2])


def test_a_cached_value_is_computed_once_until_a_table_changes():
    calls = []

    @count_of(Assignment)
    def compute():
        calls.append(1)
        return len(calls)

    assert counted(compute, "test") == 1
    assert counted(compute, "test") == 1
    AssignmentFactory()
    assert counted(compute, "test") == 2
    assert counted(compute, "other name") == 3
