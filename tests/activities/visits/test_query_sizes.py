"""The ledger and the problem admin list cost the same queries for 2 problems as for 12, with
every relation a row shows filled in: company, owner, the visit's leader and the proposal the
problem was turned into (an N+1 on any of them shows as a difference between the two sizes)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.models import Problem

from .factories import ProblemFactory, ProposalFactory, VisitFactory

pytestmark = pytest.mark.django_db


def problems(count: int, tag: str) -> list[Problem]:
    """``count`` problems, each on its own visit (own company, own leader), every other one
    turned into its own proposal, one in four raised by the company itself (no visit)."""
    made = []
    for n in range(count):
        if n % 4 == 3:
            problem = ProblemFactory(visit=None, description=f"企业自报{tag}-{n}")
        else:
            problem = ProblemFactory(visit=VisitFactory(), description=f"走访发现{tag}-{n}")
        if n % 2:
            proposal = ProposalFactory(title=f"提案{tag}-{n}")
            problem.status = Problem.Status.PROPOSAL
            problem.proposal = proposal
            problem.save()
        made.append(problem)
    return made


def measure(client, url) -> tuple[int, str]:
    client.get(url)  # the ledger's counts are cached until the data changes (core.counts)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries), response.content.decode()


def shown(page: str, made: list[Problem], *, proposals: bool) -> None:
    for problem in made:
        assert problem.company.name in page
        if problem.owner:
            assert problem.owner.name in page
        if proposals and problem.proposal:
            assert problem.proposal.title in page
            assert problem.proposal.get_absolute_url() in page


@pytest.mark.parametrize(
    ("url", "proposals"),
    [
        (reverse("activities:problem_list"), True),
        (reverse("admin:activities_problem_changelist"), False),
    ],
)
def test_the_ledger_and_the_problem_admin_cost_as_much_for_12_problems_as_for_2(
    client, secretary, url, proposals
):
    client.force_login(secretary)
    few_made = problems(2, "少")
    few, page = measure(client, url)
    shown(page, few_made, proposals=proposals)

    many_made = problems(10, "多")
    assert Problem.objects.count() == 12
    many, page = measure(client, url)
    shown(page, few_made + many_made, proposals=proposals)
    assert many == few
