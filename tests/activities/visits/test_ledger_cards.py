"""The ledger's cards, written in Python (activities/templatetags/ledger_cards.py)."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override
from pytest_django.asserts import assertHTMLEqual

from activities.models import Problem
from activities.templatetags.ledger_cards import problem_cards, status_badges
from tests.factories import CompanyFactory, PersonFactory

from .factories import ProblemFactory, ProposalFactory, VisitFactory

pytestmark = pytest.mark.django_db

REFERENCE = "activities/visits/includes/_problem_card_reference.html"


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


@pytest.fixture
def varied_problems():
    """Problems in every status and state of confirmation, heard on a visit or raised by the
    company, with and without an owner or a proposal, and names that need escaping."""
    today = timezone.localdate()
    ago = lambda days: today - datetime.timedelta(days=days)  # noqa: E731
    leader = PersonFactory(name='王<i>"小"</i>&明')
    visit = VisitFactory(
        leader=leader,
        company=CompanyFactory(name="上海'好'<b>味</b>&食品有限公司"),
        visited_on=ago(40),
    )
    proposal = ProposalFactory(title='关于<em>优化</em>"营商" & 环境的建议')
    solved = {"status": "solved", "resolution": "已对接银行", "resolved_on": today}
    confirmed = {**solved, "confirmed_at": timezone.now()}
    specs = [
        {"visit": visit, "description": "<b>资金</b>" + "紧" * 200, "due_on": ago(10)},
        {"visit": None, "owner": None, "status": "in_progress", "category": "other"},
        {"visit": None, "raised_on": ago(1), "due_on": today, "proposal": proposal},
        {**solved, "visit": visit, "raised_on": ago(40), "due_on": ago(10)},
        {**confirmed, "satisfaction": "satisfied", "category": "legal"},
        {**confirmed, "satisfaction": "fairly_satisfied", "visit": None, "owner": None},
        {"status": "proposal", "proposal": proposal, "category": "policy"},
        {"status": "declined", "decline_reason": "不属商会职能", "visit": visit, "owner": None},
        {"status": "declined", "decline_reason": "重复", "resolved_on": today},
    ]
    for spec in specs:
        ProblemFactory(**spec)
    return list(
        Problem.objects.select_related("company", "owner", "visit__leader", "proposal").order_by(
            "pk"
        )
    )


def test_the_status_badges_match_the_status_include(varied_problems):
    for problem in varied_problems:
        include = render_to_string("activities/visits/includes/_status.html", {"problem": problem})
        assert status_badges(problem) == include.strip()
        with override("en"):
            # {% translate %} leaves the apostrophe of "company's" as it is; the tag escapes it.
            english = render_to_string(
                "activities/visits/includes/_status.html", {"problem": problem}
            )
            assertHTMLEqual(status_badges(problem), english)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("carries_proposals", [True, False])
def test_the_cards_match_the_reference_template(varied_problems, language, carries_proposals):
    with override(language):
        cards = str(problem_cards(varied_problems, carries_proposals))
        reference = "\n".join(
            render_to_string(
                REFERENCE, {"problem": problem, "carries_proposals": carries_proposals}
            )
            for problem in varied_problems
        )
    assertHTMLEqual(cards, reference)
    assert cards.count('<li class="card problem-card') == len(varied_problems)
    assert "王&lt;i&gt;&quot;小&quot;&lt;/i&gt;&amp;明" in cards
    assert ('name="problems"' in cards) == carries_proposals


def test_the_ledger_page_shows_the_cards(client, president):
    ProblemFactory(description="需要扩产贷款")
    client.force_login(president)
    html = client.get(reverse("activities:problem_list")).content.decode()
    assert html.count('class="card problem-card') == 1
    assert "需要扩产贷款" in html
