"""The demo chamber's visits and problems, as ``seed_demo`` loads them (that a second run
creates nothing is tested with the rest of the demo in tests/demo)."""

import io

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from activities.models import Assignment, Problem, Proposal, Visit, month_start
from activities.visits.compliance import add_months, compliance_board, coverage, month_count
from chamber.models import User


@pytest.fixture
def seeded(db, settings):
    settings.DEBUG = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def past_cells(today):
    """{leader: [cells]} of the eleven full months before this one (across a new year, from
    two boards), where the leader held a seat."""
    months = [add_months(month_start(today), -back) for back in range(11, 0, -1)]
    cells = {}
    for year in sorted({month.year for month in months}):
        for row in compliance_board(year, today).rows:
            cells.setdefault(row.leader.pk, []).extend(
                cell for cell in row.cells if cell.month in months and cell.state != "none"
            )
    return {leader: seated for leader, seated in cells.items() if seated}


@pytest.mark.dates
def test_the_demo_has_a_year_of_visits_mostly_meeting_the_rule(seeded):
    today = timezone.localdate()
    first = Visit.objects.earliest("visited_on").visited_on
    assert first >= add_months(today, -11).replace(day=1)
    assert Visit.objects.filter(visited_on__gt=today).count() == 0
    assert len(compliance_board(today.year, today).rows) == 24
    # Over the last eleven full months, whatever the day (in January this year's board has
    # no month past yet): most leaders meet the rule, some fall short now and then.
    cells = past_cells(today)
    short = [leader for leader, seated in cells.items() if any(c.state == "short" for c in seated)]
    assert 0 < len(short) < len(cells) / 2
    met = sum(cell.state == "met" for seated in cells.values() for cell in seated)
    due = sum(cell.is_due for seated in cells.values() for cell in seated)
    assert met > 0.8 * due
    assert Visit.objects.filter(companions__isnull=False).exists()
    assert Visit.objects.filter(with_economic_office=True).exists()
    buckets = {bucket.key: bucket.companies for bucket in coverage(today)}
    assert buckets["12"] and buckets["6"] and buckets["3"]

    # The leader login has companies, one of them the member login's, visited this month.
    leader = User.objects.get(username="leader").person
    member_company = User.objects.get(username="member").person.company
    assigned = Assignment.objects.current().filter(leader=leader)
    assert 4 <= assigned.count() <= 8
    assert assigned.filter(company=member_company).exists()
    assert month_count(leader) == 1
    waiting = Problem.objects.get(
        company=member_company, status="solved", confirmed_at=None, visit__leader=leader
    )
    assert waiting.visit.visited_on.month == timezone.localdate().month
    assert Problem.objects.filter(company=member_company, visit=None, status="open").exists()


def test_problems_are_in_every_status_some_overdue_three_carried_in_a_proposal(seeded):
    statuses = dict(
        Problem.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    assert set(statuses) == set(Problem.Status.values)
    assert Problem.objects.overdue().exists()
    assert Problem.objects.filter(confirmed_at__isnull=False).exists()
    proposal = Proposal.objects.get()
    assert proposal.carrier.name == "王振华" and proposal.carrier.is_cppcc_member
    assert proposal.problems.count() == 3
    assert all(problem.events.exists() for problem in Problem.objects.all()[:50])
    for problem in Problem.objects.filter(status="solved")[:50]:
        assert problem.resolution and problem.resolved_on <= timezone.localdate()
