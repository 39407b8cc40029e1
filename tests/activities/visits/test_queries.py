"""Every page of visits and problems runs a fixed, small number of queries, whatever the number
of leaders, months, visits, problems and companies."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from activities.models import Assignment, Problem, ProblemEvent, Visit
from activities.visits.ledger import found
from chamber.models import Position
from core.counts import bump
from members.models import Company, Person

pytestmark = pytest.mark.django_db
LIMIT = 15


def chamber_with(leaders: int, term, *, company=None):
    """``leaders`` leaders, each with three companies, two visits a month for twelve months,
    a fellow leader on every other visit, and a problem on every third."""
    today = timezone.localdate()
    companies = Company.objects.bulk_create(
        [Company(name=f"上海规模测试{leaders}-{n}有限公司") for n in range(leaders * 3)]
    )
    people = Person.objects.bulk_create(
        [Person(name=f"领导{leaders}-{n}", company=companies[n]) for n in range(leaders)]
    )
    Position.objects.bulk_create(
        [Position(person=person, term=term, title=Position.Title.EXECUTIVE) for person in people]
    )
    Assignment.objects.bulk_create(
        [
            Assignment(term=term, leader=person, company=companies[index * 3 + k])
            for index, person in enumerate(people)
            for k in range(3)
        ]
    )
    visits = []
    for index, person in enumerate(people):
        for back in range(12):
            month = (today.replace(day=1) - datetime.timedelta(days=back * 28)).replace(day=1)
            for k in range(2):
                visits.append(
                    Visit(
                        company=company or companies[index * 3 + k],
                        leader=person,
                        visited_on=min(month.replace(day=1 + k * 10), today),
                        summary="座谈",
                    )
                )
    visits = Visit.objects.bulk_create(visits)
    Through = Visit.companions.through
    Through.objects.bulk_create(
        [
            Through(visit_id=visit.pk, person_id=people[(i + 1) % len(people)].pk)
            for i, visit in enumerate(visits)
            if i % 2 and len(people) > 1
        ]
    )
    problems = Problem.objects.bulk_create(
        [
            Problem(
                visit=visit,
                company=visit.company,
                category="financing",
                description="资金",
                raised_on=visit.visited_on,
                owner=visit.leader,
                due_on=visit.visited_on + datetime.timedelta(days=30),
            )
            for i, visit in enumerate(visits)
            if i % 3 == 0
        ]
    )
    ProblemEvent.objects.bulk_create(
        [ProblemEvent(problem=problem, kind="raised", to_status="open") for problem in problems]
    )
    bump_ledger()
    return people


def bump_ledger():
    """Bulk writes send no signals: like any bulk writer, say the ledger's tables changed."""
    for model in found.tables:
        bump(model)


def queries(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params)
    assert response.status_code == 200, url
    return len(context.captured_queries)


@pytest.mark.parametrize(
    "url",
    [
        reverse("activities:visit_compliance"),
        reverse("activities:visit_compliance_export"),
        reverse("activities:problem_list"),
        reverse("activities:problem_export"),
        reverse("activities:visit_list"),
        reverse("chamber:home"),
    ],
)
def test_the_board_and_the_ledger_take_as_many_queries_for_40_leaders_as_for_2(
    client, secretary, term, url
):
    client.force_login(secretary)
    chamber_with(2, term)
    # The ledger's counts are cached until the data changes (core.counts): measure the
    # first request, which computes them, and the next, which reads them, at both sizes.
    few_cold, few = queries(client, url), queries(client, url)
    chamber_with(38, term)
    assert Position.objects.filter(title="executive").count() == 40
    many_cold, many = queries(client, url), queries(client, url)
    # The first request after a change also refills the cache (its writes are SQL with the
    # database cache): never more at 40 leaders than at 2; the warm request exactly as many.
    assert many == few
    assert many_cold <= few_cold
    if url.startswith(("/visits/", "/problems/")):
        # The home page is shared with other apps' sections; ours are held to the bar.
        assert few <= LIMIT


def test_a_leaders_pages_take_as_many_queries_for_many_visits_as_for_few(client, term):
    from tests.factories import UserFactory

    people = chamber_with(2, term)
    user = UserFactory(person=people[0])
    client.force_login(user)
    pages = [
        reverse("activities:visit_list"),
        reverse("activities:problem_list"),
        reverse("activities:visit_create"),
        reverse("chamber:home"),
    ]
    [queries(client, url) for url in pages]  # the ledger's counts, cached (core.counts)
    few = [queries(client, url) for url in pages]
    chamber_with(40, term, company=people[0].company)
    Assignment.objects.filter(leader__name__startswith="领导40-").update(leader=people[0])
    bump_ledger()
    [queries(client, url) for url in pages]
    many = [queries(client, url) for url in pages]
    assert many == few
    assert max(many[:3]) <= LIMIT


def test_a_problem_and_a_visit_page_take_a_fixed_number_of_queries(client, secretary, term):
    client.force_login(secretary)
    chamber_with(2, term)
    problem = Problem.objects.first()
    visit = problem.visit
    few = [queries(client, problem.get_absolute_url()), queries(client, visit.get_absolute_url())]
    for _ in range(20):
        ProblemEvent.objects.create(problem=problem, kind="note", note="跟进", by=secretary)
        Problem.objects.create(
            visit=visit,
            company=visit.company,
            category="legal",
            description="更多",
            raised_on=visit.visited_on,
            due_on=visit.visited_on,
        )
    assert [
        queries(client, problem.get_absolute_url()),
        queries(client, visit.get_absolute_url()),
    ] == few
    assert max(few) <= LIMIT


def test_the_members_page_section_takes_one_query(client, member, term):
    from .factories import ProblemFactory

    client.force_login(member)
    company = member.person.company
    ProblemFactory(visit=None, company=company)
    queries(client, reverse("members:me"))  # the first visit sets up the calendar feed
    ProblemFactory(visit=None, company=company)
    # A change renders the section again (and keeps it in the shared cache); the next visit
    # reads it from there.
    few = [queries(client, reverse("members:me")), queries(client, reverse("members:me"))]
    assert few[1] < few[0]
    for _ in range(10):
        ProblemFactory(visit=None, company=company)
    assert [queries(client, reverse("members:me")), queries(client, reverse("members:me"))] == few
