"""The ledger's cards, written in Python (activities/templatetags/ledger_cards.py)."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from activities.templatetags.ledger_cards import problem_cards, status_badges

from .factories import ProblemFactory

pytestmark = pytest.mark.django_db


def test_an_overdue_problem_heard_on_a_visit(leader):
    today = timezone.localdate()
    problem = ProblemFactory(
        description="<b>资金</b>" + "紧" * 200,
        raised_on=today - datetime.timedelta(days=40),
        due_on=today - datetime.timedelta(days=10),
    )
    html = str(problem_cards([problem], carries_proposals=True))
    assert 'class="card problem-card is-overdue"' in html
    assert f'id="pick-{problem.pk}"' in html
    assert "&lt;b&gt;资金&lt;/b&gt;" in html and "<b>" not in html
    assert f"{problem.visit.leader.name}走访时听取" in html
    assert "<strong>已历时 40 天</strong>" in html
    assert f"负责人 {problem.owner.name}" in html
    assert '<span class="badge badge-overdue">' in html


def test_a_problem_the_company_raised_without_an_owner():
    problem = ProblemFactory(visit=None, owner=None)
    html = str(problem_cards([problem], carries_proposals=False))
    assert "企业自行提出" in html
    assert "pick-" not in html
    assert '<span class="badge badge-warning">未指定负责人</span>' in html


def test_the_status_badges_match_the_status_include():
    for problem in [ProblemFactory(), ProblemFactory(visit=None, owner=None)]:
        include = render_to_string("activities/visits/includes/_status.html", {"problem": problem})
        assert status_badges(problem) == include.strip()


def test_the_ledger_page_shows_the_cards(client, president):
    ProblemFactory(description="需要扩产贷款")
    client.force_login(president)
    html = client.get(reverse("activities:problem_list")).content.decode()
    assert html.count('class="card problem-card') == 1
    assert "需要扩产贷款" in html
