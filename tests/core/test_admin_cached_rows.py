"""The big tables' change lists keep their rows rendered in the shared cache (core.admin_lists.
CountedRows) and search in a form PostgreSQL reads faster (core.admin_lists.search_term_query): a
change shows at once, each viewer sees only their columns, the day and the page count, and a
search finds what Django's own search finds."""

import datetime
import re

import pytest
import time_machine
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from activities.models import Problem
from activities.visits import problems
from chamber.models import SECRETARIAT_GROUP
from core.admin_lists import CountedRows
from members.models import Person

from ..activities.visits.factories import ProblemFactory, VisitFactory
from ..factories import CompanyFactory, PersonFactory

pytestmark = pytest.mark.django_db

VISITS = reverse("admin:activities_visit_changelist")
PROBLEMS = reverse("admin:activities_problem_changelist")
PEOPLE = reverse("admin:members_person_changelist")
COMPANIES = reverse("admin:members_company_changelist")


def rows(client, url, **params) -> str:
    """The result table of the page, its whitespace folded."""
    response = client.get(url, params)
    assert response.status_code == 200
    page = response.content.decode()
    table = re.search(r'<table id="result_list">.*?</table>', page, re.S)
    return re.sub(r"\s+", " ", table.group()) if table else ""


def read_twice(client, url, **params) -> str:
    """The rows as rendered, and then as the cache serves them: the same."""
    first = rows(client, url, **params)
    assert rows(client, url, **params) == first
    return first


def test_a_problems_new_status_shows_at_once(client, secretary):
    client.force_login(secretary)
    problem = ProblemFactory(description="厂房漏水")
    ProblemFactory.create_batch(2)
    assert "处理中" not in read_twice(client, PROBLEMS)

    problems.problem_transition(
        problem=problem, acting_user=secretary, to_status=Problem.Status.IN_PROGRESS
    )
    assert "处理中" in read_twice(client, PROBLEMS)


def test_a_renamed_company_and_a_new_fellow_leader_show_on_the_visit_list(client, secretary):
    client.force_login(secretary)
    visit = VisitFactory()
    assert visit.company.name in read_twice(client, VISITS)

    visit.company.name = "上海徐泾改名后实业有限公司"
    visit.company.save()
    assert "上海徐泾改名后实业有限公司" in read_twice(client, VISITS)

    visit.companions.add(PersonFactory(name="同行领导乙"))
    assert "同行领导乙" in read_twice(client, VISITS)


def test_an_added_and_a_deleted_row_show_at_once_with_the_count(client, secretary):
    client.force_login(secretary)
    kept, gone = VisitFactory.create_batch(2)
    read_twice(client, VISITS)

    added = VisitFactory()
    gone.delete()
    response = client.get(VISITS)
    assert {visit.pk for visit in response.context["cl"].result_list} == {kept.pk, added.pk}
    assert response.context["cl"].result_count == 2
    table = rows(client, VISITS)
    assert f"/{added.pk}/change/" in table and f"/{gone.pk}/change/" not in table


def test_each_page_and_order_is_kept_apart(client, secretary):
    client.force_login(secretary)
    names = [f"测试排序{n:03d}" for n in range(120)]
    Person.objects.bulk_create(Person(name=name) for name in names)
    first, second = read_twice(client, PEOPLE), read_twice(client, PEOPLE, p=2)
    assert names[0] in first and names[0] not in second
    assert names[119] in second and names[119] not in first
    backwards = read_twice(client, PEOPLE, o="-1")
    assert backwards.index(names[119]) < backwards.index(names[118])


def test_a_supervisor_never_gets_the_secretarys_contacts_from_the_cache(
    client, secretary, supervisor
):
    PersonFactory(name="联系人甲", mobile="13912345678")
    client.force_login(secretary)
    assert "13912345678" in read_twice(client, PEOPLE)

    client.force_login(supervisor)
    table = read_twice(client, PEOPLE)
    assert "联系人甲" in table and "13912345678" not in table


def test_a_problem_turns_overdue_at_midnight_with_no_row_written(client, secretary):
    client.force_login(secretary)
    day = timezone.localdate()
    evening = datetime.datetime.combine(
        day, datetime.time(23, 58), tzinfo=timezone.get_current_timezone()
    )
    overdue = 'alt="True"'
    with time_machine.travel(evening, tick=False) as clock:
        ProblemFactory(due_on=day, raised_on=day - datetime.timedelta(days=30))
        assert overdue not in read_twice(client, PROBLEMS)
        clock.shift(datetime.timedelta(minutes=3))  # nothing in the cache has expired
        assert overdue in rows(client, PROBLEMS)


def test_a_cached_page_reads_no_rows(client, secretary):
    """The count, the number on the page and the rows' HTML come in one cache read: the page
    asks the database for no visit, companion or problem."""
    client.force_login(secretary)
    VisitFactory.create_batch(3, companions=PersonFactory.create_batch(2))
    client.get(VISITS)
    with CaptureQueriesContext(connection) as cached:
        response = client.get(VISITS)
    assert response.status_code == 200
    assert "已选 0 条，共 3 条" in response.content.decode()
    sql = " ".join(query["sql"] for query in cached.captured_queries)
    assert '"activities_visit"."summary"' not in sql
    assert '"activities_visit_companions"' not in sql
    # Asked for, the rows are read as before.
    assert len(list(response.context["cl"].result_list)) == 3


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("王", {"王小明", "李四"}),  # a name, and a person of a company whose name has it
        ("wxj", {"李四"}),  # the company's pinyin initials
        ("EXAMPLE.ORG", {"王小明"}),  # an email, whatever the case
        ("0012345", {"王小明"}),  # part of a mobile
        ("王 小", {"王小明"}),  # every term
        ('"王小"', {"王小明"}),  # a quoted term
        ("wxj 李", {"李四"}),
        ("无此人", set()),
    ],
)
def test_the_person_search_finds_what_djangos_finds(client, secretary, query, found):
    client.force_login(secretary)
    company = CompanyFactory(name="上海王兴精密机械有限公司", name_initials="shwxjjmjxyxgs")
    PersonFactory(name="王小明", email="Wang@Example.org", mobile="13900012345")
    PersonFactory(name="李四", company=company, email="li@example.com", mobile="13800000000")
    response = client.get(PEOPLE, {"q": query})
    assert {person.name for person in response.context["cl"].result_list} == found


def test_the_company_search_of_a_visit_is_a_subquery_and_finds_the_same(client, secretary):
    client.force_login(secretary)
    visit = VisitFactory(company=CompanyFactory(name="上海徐泾物流有限公司"))
    VisitFactory()
    with CaptureQueriesContext(connection) as context:
        response = client.get(VISITS, {"q": "物流"})
    assert [v.pk for v in response.context["cl"].result_list] == [visit.pk]
    sql = " ".join(query["sql"] for query in context.captured_queries)
    assert "UPPER(" not in sql


def test_a_permission_taken_from_the_group_shows_at_once(client, secretary):
    """The actions (and their checkbox on each row) follow the Django permissions of the
    viewer's groups: rows cached for the secretariat with them are not served without."""
    client.force_login(secretary)
    VisitFactory.create_batch(2)
    assert 'name="_selected_action"' in read_twice(client, VISITS)

    secretariat = Group.objects.get(name=SECRETARIAT_GROUP)
    kept = secretariat.permissions.filter(content_type__model="visit", codename="view_visit")
    secretariat.permissions.remove(
        *secretariat.permissions.filter(content_type__model="visit").exclude(pk__in=kept)
    )
    html = read_twice(client, VISITS)
    assert html and 'name="_selected_action"' not in html


def test_the_rows_are_kept_apart_by_the_viewers_django_permissions(client, secretary):
    """Whatever in the rows a permission decides (a link to a table the viewer may open),
    rows cached under one set of permissions are not served under another, even where
    the columns stay the same."""

    def plan():
        response = client.get(VISITS)
        return CountedRows.plan(response.context["cl"], response.wsgi_request)

    client.force_login(secretary)
    VisitFactory()
    before = plan()
    assert before is not None and plan() == before

    secretariat = Group.objects.get(name=SECRETARIAT_GROUP)
    secretariat.permissions.remove(
        Permission.objects.get(content_type__app_label="activities", codename="add_visit")
    )
    after = plan()
    assert after.tables == before.tables and after.name != before.name


def hierarchy(client, url, **params) -> str:
    """The date hierarchy's links, read twice: as rendered, then from the cache, the same."""

    def read():
        with CaptureQueriesContext(connection) as context:
            page = client.get(url, params).content.decode()
        found = re.search(r'<nav class="toplinks">.*?</nav>', page, re.S)
        return re.sub(r"\s+", " ", found.group()) if found else "", context

    first, _ = read()
    second, cached = read()
    assert second == first
    sql = " ".join(query["sql"] for query in cached.captured_queries)
    assert "MIN(" not in sql and '"activities_visit"' not in sql
    return first


def test_the_date_hierarchy_comes_with_the_rows_and_shows_a_new_year_at_once(client, secretary):
    client.force_login(secretary)
    today = timezone.localdate()
    VisitFactory(visited_on=today)
    year = f"visited_on__year={today.year}"
    # One month of visits: its days, and a link back to its year.
    assert year in hierarchy(client, VISITS)

    earlier = today.replace(year=today.year - 2, day=1)
    VisitFactory(visited_on=earlier)
    links = hierarchy(client, VISITS)
    assert f"visited_on__year={earlier.year}" in links and year in links
    # A year chosen: its months, from its own cached page.
    months = hierarchy(client, VISITS, visited_on__year=earlier.year)
    assert f"visited_on__month={earlier.month}" in months
