"""The leader's /visits/, the compliance board and the problem ledger's cards are kept rendered
in the shared cache (core.templatetags.fragments): each shows a change at once, and each viewer
sees their own."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import Problem
from activities.visits import problems
from tests.factories import CompanyFactory

from .factories import AssignmentFactory, ProblemFactory, VisitFactory

VISITS = reverse("activities:visit_list")
BOARD = reverse("activities:visit_compliance")
LEDGER = reverse("activities:problem_list")
pytestmark = pytest.mark.django_db


def page(client, url, **params) -> str:
    """The page as the second visitor sees it (the first renders it into the cache)."""
    client.get(url, params)
    return re.sub(r"\s+", " ", client.get(url, params).content.decode())


def board_row(html: str, name: str) -> str:
    return re.search(rf'<th scope="row" class="board-name">{name}<.*?</tr>', html).group()


# --- /visits/ -------------------------------------------------------------------------------


def test_a_new_visit_shows_on_the_leaders_cached_page_at_once(client, leader, term):
    company = CompanyFactory(name="青浦精工")
    AssignmentFactory(term=term, leader=leader.person, company=company)
    client.force_login(leader)
    html = page(client, VISITS)
    assert "从未走访" in html and 'quota-count"><strong>0</strong>' in html

    VisitFactory(leader=leader.person, company=company)
    html = page(client, VISITS)
    assert "从未走访" not in html and 'quota-count"><strong>1</strong>' in html
    assert html.count("青浦精工") >= 2  # the company's line and the visit's


def test_a_problem_and_a_renamed_company_show_on_the_leaders_cached_page_at_once(client, leader):
    visit = VisitFactory(leader=leader.person, company=CompanyFactory(name="青浦精工"))
    client.force_login(leader)
    assert "融资" not in page(client, VISITS)

    ProblemFactory(visit=visit)
    assert "青浦精工 · 融资" in page(client, VISITS)
    company = visit.company
    company.name = "青浦精密"
    company.save()
    html = page(client, VISITS)
    assert "青浦精密 · 融资" in html and "青浦精工" not in html


def test_a_visit_a_leader_came_along_on_shows_on_their_cached_page(client, leader, other_leader):
    client.force_login(leader)
    assert "同行企业" not in page(client, VISITS)
    VisitFactory(
        leader=other_leader.person,
        company=CompanyFactory(name="同行企业"),
        companions=[leader.person],
    )
    assert "同行企业" in page(client, VISITS)


def test_each_leader_sees_their_own_cached_visits_page(client, leader, other_leader):
    VisitFactory(leader=leader.person, company=CompanyFactory(name="甲的企业"))
    VisitFactory(leader=other_leader.person, company=CompanyFactory(name="乙的企业"))
    client.force_login(leader)
    html = page(client, VISITS)
    assert "甲的企业" in html and "乙的企业" not in html
    client.force_login(other_leader)
    html = page(client, VISITS)
    assert "乙的企业" in html and "甲的企业" not in html


def test_the_leaders_earlier_visits_are_their_own_page(client, leader):
    today = timezone.localdate()
    for days in range(12):
        VisitFactory(
            leader=leader.person,
            company=CompanyFactory(name=f"企业{days:02d}"),
            visited_on=today - datetime.timedelta(days=days),
        )
    client.force_login(leader)
    first = page(client, VISITS)
    older = re.search(r'href="\?before=([^"]+)"', first).group(1)
    second = page(client, VISITS, before=older)
    assert "企业00" in first and "企业11" not in first
    assert "企业11" in second and "企业00" not in second


# --- The compliance board -------------------------------------------------------------------


def test_a_new_visit_and_a_renamed_leader_show_on_the_cached_board_at_once(
    client, president, supervisor, leader
):
    client.force_login(president)
    assert 'board-total-year">0</td>' in board_row(page(client, BOARD), "副会长甲")

    VisitFactory(leader=leader.person)
    assert 'board-total-year">1</td>' in board_row(page(client, BOARD), "副会长甲")
    client.force_login(supervisor)
    assert 'board-total-year">1</td>' in board_row(page(client, BOARD), "副会长甲")

    person = leader.person
    person.name = "副会长丙"
    person.save()
    html = page(client, BOARD)
    assert "副会长丙" in html and "副会长甲" not in html


def test_a_company_visited_leaves_the_cached_coverage_list_at_once(client, president, leader):
    company = CompanyFactory(name="久未走访企业")
    client.force_login(president)
    assert "久未走访企业" in page(client, BOARD)
    VisitFactory(leader=leader.person, company=company)
    assert "久未走访企业" not in page(client, BOARD)


# --- The problem ledger's cards ---------------------------------------------------------------


def test_a_changed_problem_shows_on_the_cached_ledger_at_once(client, president, leader):
    problem = ProblemFactory(
        visit=VisitFactory(leader=leader.person, company=CompanyFactory(name="青浦精工")),
        description="企业扩产需要流动资金。",
    )
    client.force_login(president)
    html = page(client, LEDGER)
    assert "企业扩产需要流动资金。" in html and "problem-status-open" in html

    problems.problem_transition(
        problem=problem,
        acting_user=leader,
        to_status=Problem.Status.SOLVED,
        resolution="已对接合作银行。",
        resolved_on=timezone.localdate(),
    )
    html = page(client, LEDGER)
    assert "problem-status-solved" in html and "problem-status-open" not in html

    company = problem.company
    company.name = "青浦精密"
    company.save()
    assert "青浦精密" in page(client, LEDGER)
    ProblemFactory(visit=None, company=company, description="招工难。")
    assert "招工难。" in page(client, LEDGER)


def test_each_leader_sees_their_own_cached_ledger(client, leader, other_leader):
    ProblemFactory(visit=VisitFactory(leader=leader.person), description="甲听到的诉求。")
    ProblemFactory(visit=VisitFactory(leader=other_leader.person), description="乙听到的诉求。")
    client.force_login(leader)
    html = page(client, LEDGER)
    assert "甲听到的诉求。" in html and "乙听到的诉求。" not in html
    client.force_login(other_leader)
    html = page(client, LEDGER)
    assert "乙听到的诉求。" in html and "甲听到的诉求。" not in html


def test_only_a_leader_who_carries_proposals_has_the_cached_cards_picks(
    client, president, supervisor, leader
):
    ProblemFactory(visit=VisitFactory(leader=leader.person))
    client.force_login(leader)  # a CPPCC member
    assert 'name="problems"' in page(client, LEDGER)
    client.force_login(supervisor)
    assert 'name="problems"' not in page(client, LEDGER)


def test_the_cached_ledgers_pages_keep_the_ledger_order(client, leader, monkeypatch):
    from activities.visits.problem_views import ProblemListView

    monkeypatch.setattr(ProblemListView, "paginate_by", 2)
    today = timezone.localdate()
    for days, status in [(1, "open"), (2, "declined"), (3, "open"), (4, "declined")]:
        ProblemFactory(
            visit=VisitFactory(leader=leader.person),
            raised_on=today - datetime.timedelta(days=days),
            due_on=today + datetime.timedelta(days=10 - days),
            description=f"诉求{days}",
            status=status,
            decline_reason="不属商会职责。" if status == "declined" else "",
        )
    client.force_login(leader)
    first = page(client, LEDGER)
    second = page(client, LEDGER, page=2)
    # Unsettled first, soonest due first; then the newest.
    assert first.index("诉求3") < first.index("诉求1") and "诉求2" not in first
    assert second.index("诉求2") < second.index("诉求4") and "诉求1" not in second


def test_a_ledger_page_past_the_last_or_not_a_number_is_not_found(client, president):
    ProblemFactory()
    client.force_login(president)
    assert client.get(LEDGER, {"page": "last"}).status_code == 200
    for number in ["2", "0", "abc", "9" * 11]:
        assert client.get(LEDGER, {"page": number}).status_code == 404


def test_the_cached_results_keep_the_owner_filter(client, president, leader, other_leader):
    ProblemFactory(visit=VisitFactory(leader=leader.person), description="甲负责的诉求。")
    ProblemFactory(visit=VisitFactory(leader=other_leader.person), description="乙负责的诉求。")
    client.force_login(president)
    html = page(client, LEDGER, owner=other_leader.person.pk)
    assert "乙负责的诉求。" in html and "甲负责的诉求。" not in html
    assert f'<option value="{other_leader.person.pk}" selected>' in html
    html = page(client, LEDGER)
    assert "乙负责的诉求。" in html and "甲负责的诉求。" in html


def test_the_cached_ledger_is_kept_apart_by_language(client, president):
    from django.conf import settings

    ProblemFactory()
    client.force_login(president)
    assert "Problems found" not in page(client, LEDGER)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Problems found: 1" in page(client, LEDGER)
