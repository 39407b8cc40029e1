"""A member's home leads with their company's waiting problems (phone lane)."""

import datetime
import re

from django.urls import reverse
from django.utils import timezone

from activities.models import Problem
from tests.activities.visits.factories import ProblemFactory


def test_a_members_home_shows_the_solved_problem_awaiting_their_confirmation_first(client, member):
    company = member.person.company
    ProblemFactory(visit=None, company=company, description="道路施工影响货车进出。")
    solved = ProblemFactory(visit=None, company=company, description="扩产需要流动资金。")
    Problem.objects.filter(pk=solved.pk).update(
        status=Problem.Status.SOLVED,
        resolution="已对接合作银行。",
        resolved_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    done = ProblemFactory(visit=None, company=company, description="已经确认过的诉求。")
    Problem.objects.filter(pk=done.pk).update(
        status=Problem.Status.SOLVED,
        resolution="已解决。",
        resolved_on=timezone.localdate(),
        confirmed_at=timezone.now(),
        satisfaction=Problem.Satisfaction.SATISFIED,
    )

    client.force_login(member)
    html = client.get(reverse("chamber:home")).content.decode()
    assert "有 1 条已解决的诉求等待您确认" in html
    assert html.index("扩产需要流动资金") < html.index("道路施工影响货车进出")
    assert "已经确认过的诉求" not in html
    assert html.index('id="home-my-problems-heading"') < html.index('id="home-notices-heading"')


def test_a_leaders_home_shows_no_empty_card_for_their_company(client, leader):
    client.force_login(leader)
    html = client.get(reverse("chamber:home")).content.decode()
    assert 'id="home-my-problems-heading"' not in html


def test_the_ledger_says_when_a_problem_was_solved_in_chinese(client, secretary):
    problem = ProblemFactory()
    Problem.objects.filter(pk=problem.pk).update(
        status=Problem.Status.SOLVED, resolution="已解决。", resolved_on=timezone.localdate()
    )
    client.force_login(secretary)
    html = client.get(reverse("activities:problem_list")).content.decode()
    text = re.sub(r"<[^>]+>", " ", html)
    assert "solved" not in text
    assert "办结" in text
