"""The ledger's counts come from the shared cache and are recomputed after every change."""

import pytest
from django.urls import reverse

from activities.models import Assignment, Problem
from members.counts import counted

from .factories import AssignmentFactory, ProblemFactory, VisitFactory

pytestmark = pytest.mark.django_db


def found(response) -> int:
    return response.context["paginator"].count


def test_a_new_problem_shows_in_the_counts_at_once(client, president):
    ProblemFactory()
    client.force_login(president)
    url = reverse("activities:problem_list")
    first = client.get(url)
    assert found(first) == 1 and first.context["counts"]["unsettled"] == 1
    ProblemFactory()
    second = client.get(url)
    assert found(second) == 2 and second.context["counts"]["unsettled"] == 2
    assert "2" in second.content.decode()


def test_a_settled_problem_leaves_the_unsettled_count(client, president):
    problem = ProblemFactory()
    client.force_login(president)
    url = reverse("activities:problem_list")
    assert client.get(url).context["counts"]["unsettled"] == 1
    problem.status = Problem.Status.DECLINED
    problem.decline_reason = "不属于商会职责"
    problem.save()
    assert client.get(url).context["counts"]["unsettled"] == 0


def test_each_filter_has_its_own_count(client, president):
    ProblemFactory(category="financing")
    ProblemFactory(category="legal")
    client.force_login(president)
    url = reverse("activities:problem_list")
    assert found(client.get(url)) == 2
    assert found(client.get(url, {"category": "legal"})) == 1


def test_a_new_assignment_changes_what_a_leader_follows(client, leader):
    problem = ProblemFactory()
    client.force_login(leader)
    url = reverse("activities:problem_list")
    assert found(client.get(url)) == 0
    AssignmentFactory(leader=leader.person, company=problem.company)
    assert found(client.get(url)) == 1


def test_coming_along_on_a_visit_changes_what_a_leader_follows(client, leader):
    visit = VisitFactory()
    ProblemFactory(visit=visit, company=visit.company)
    client.force_login(leader)
    url = reverse("activities:problem_list")
    assert found(client.get(url)) == 0
    visit.companions.add(leader.person)
    assert found(client.get(url)) == 1


def test_a_cached_value_is_computed_once_until_a_table_changes():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert counted((Assignment,), "test", compute) == 1
    assert counted((Assignment,), "test", compute) == 1
    AssignmentFactory()
    assert counted((Assignment,), "test", compute) == 2
    assert counted((Assignment,), "other name", compute) == 3
