"""Each figure of the year, computed from a small chamber built by hand and counted by hand."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.metrics import compute, compute_afresh
from reports.models import Metric

from .conftest import build_chamber

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures(chamber):
    return compute(chamber)


def test_leadership_meetings_are_the_held_events_open_to_the_leadership(figures):
    assert figures[Metric.LEADERSHIP_MEETINGS].numbers == {"held": 1}


def test_sharing_meetings_are_counted_by_quarter(figures):
    numbers = figures[Metric.SHARING_MEETINGS].numbers
    assert numbers["held"] == 2
    assert numbers["by_quarter"] == {1: 1, 2: 0, 3: 1, 4: 0}
    assert figures[Metric.SHARING_MEETINGS].value == "2/4"


def test_visits_count_companies_per_leader_and_month_against_the_quota(figures):
    # Three leaders (会长, 副会长, 执委) × 12 months × 2 companies = 72 required.
    # 副会长: January 甲 and 乙 (2, met), February 甲 (1); 会长: January 甲 (1).
    assert figures[Metric.VISITS].numbers == {
        "visits": 4,
        "done": 4,
        "required": 72,
        "months_met": 1,
        "months_due": 36,
    }
    assert figures[Metric.VISITS].value == "4/72"


def test_problems_raised_solved_on_time_and_turned_into_proposals(figures):
    assert figures[Metric.PROBLEMS].numbers == {
        "raised": 4,
        "solved": 2,
        "on_time": 1,
        "proposal": 1,
    }


def test_proposals_are_those_submitted_in_the_year(figures):
    assert figures[Metric.PROPOSALS].numbers == {"submitted": 1}


def test_events_by_type_count_held_events_and_people_checked_in(figures):
    assert figures[Metric.PARTY_EVENTS].numbers == {"held": 2, "attendance": 3}
    assert figures[Metric.POLICY_EVENTS].numbers == {"held": 1, "attendance": 1}
    assert figures[Metric.TRAINING_EVENTS].numbers == {"held": 1, "attendance": 0}
    everything = figures[Metric.ALL_EVENTS].numbers
    assert (everything["held"], everything["attendance"]) == (7, 4)


def test_new_members_and_those_from_the_development_group(figures):
    assert figures[Metric.NEW_MEMBERS].numbers == {"joined": 2}
    assert figures[Metric.DEVELOPMENT_GROUP].numbers == {"from_group": 1}


def test_charity_is_what_was_received_in_the_year(figures):
    assert figures[Metric.CHARITY].numbers == {"total": Decimal("15000.50"), "donors": 2}
    assert "15,000.50" in figures[Metric.CHARITY].detail


def test_rules_published_and_honors(figures):
    assert figures[Metric.RULES].numbers == {"published": 1, "in_force": 1}
    assert figures[Metric.HONORS].numbers == {"count": 1}


def test_every_figure_links_to_the_records_behind_it(figures):
    assert set(figures) == set(Metric.values)
    for figure in figures.values():
        assert figure.evidence, figure.metric
        assert all(evidence.url.startswith("/") for evidence in figure.evidence)


def test_the_evidence_lists_count_what_the_figure_counts(chamber, secretary, client):
    """The back-office list behind the solved problems holds exactly the two solved ones."""
    client.force_login(secretary)
    evidence = compute(chamber)[Metric.PROBLEMS].evidence[1]
    response = client.get(evidence.url)
    assert response.status_code == 200
    assert response.context["cl"].result_count == 2


def computing_queries(year) -> tuple[int, int]:
    """The queries of computing the year afresh, then with its counts in the shared cache."""
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as context:
            compute_afresh(year)
        counts.append(len(context))
    return tuple(counts)


def test_computing_the_year_takes_the_same_queries_on_more_data(
    year, president, leader, other_leader
):
    build_chamber(year, president=president.person, leader=leader.person, scale=1)
    small = computing_queries(year)
    build_chamber(year, president=president.person, leader=leader.person, scale=20)
    assert computing_queries(year) == small
    # Events, other counts, leaders, charity, dues; one cache read each for visits and
    # problems and for the visit board.
    assert small[1] == 7
