"""The big tables' change lists (core.admin_lists.CountedListMixin): the number of rows and
the years of the date hierarchy come from the cache, and are right the moment a row is added,
edited or deleted; a page costs the same queries for 2 rows as for 12."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from activities.models import Visit
from charity.models import Donation
from core.counts import counted_list, counted_queryset
from dues.models import Bill
from members.models import Person

from ..activities.visits.factories import ProblemFactory, VisitFactory
from ..factories import PersonFactory

pytestmark = pytest.mark.django_db

VISITS = reverse("admin:activities_visit_changelist")
PAGINATOR = re.compile(r'<p class="paginator">(.*?)</p>', re.S)
PAGE_LINKS = re.compile(r"<(a|span)\b[^>]*>.*?</\1>", re.S)


def shown_count(response) -> int:
    assert response.status_code == 200
    paginator = PAGINATOR.search(response.content.decode())
    assert paginator, "no paginator on the change list"
    # "3 走访记录" after the page links: the count the secretary reads.
    shown = re.search(r"\d+", PAGE_LINKS.sub("", paginator.group(1))).group()
    assert int(shown) == response.context["cl"].result_count
    return response.context["cl"].result_count


def year_links(response) -> set[int]:
    page = response.content.decode()
    return {int(year) for year in re.findall(r"visited_on__year=(\d{4})", page)}


def test_the_visit_list_counts_again_the_moment_a_visit_is_added_or_deleted(client, secretary):
    client.force_login(secretary)
    visits = VisitFactory.create_batch(3)
    assert shown_count(client.get(VISITS)) == 3
    assert shown_count(client.get(VISITS)) == 3  # from the cache now

    VisitFactory()
    assert shown_count(client.get(VISITS)) == 4
    visits[0].delete()
    assert shown_count(client.get(VISITS)) == 3


def test_a_search_is_counted_apart_and_follows_an_edit(client, secretary):
    client.force_login(secretary)
    VisitFactory.create_batch(2)
    visit = VisitFactory(summary="讨论厂房扩建")
    searched = f"{VISITS}?q=厂房扩建"
    assert shown_count(client.get(searched)) == 1
    assert shown_count(client.get(VISITS)) == 3

    other = Visit.objects.exclude(pk=visit.pk).first()
    other.summary = "厂房扩建的第二次回访"
    other.save()
    assert shown_count(client.get(searched)) == 2
    assert shown_count(client.get(VISITS)) == 3


def test_the_date_hierarchy_offers_a_new_year_at_once(client, secretary):
    client.force_login(secretary)
    today = timezone.localdate()
    VisitFactory(visited_on=today.replace(day=1))
    VisitFactory(visited_on=today.replace(year=today.year - 1, month=1, day=1))
    assert year_links(client.get(VISITS)) == {today.year - 1, today.year}

    old = VisitFactory(visited_on=today.replace(year=today.year - 3, month=6, day=1))
    assert year_links(client.get(VISITS)) == {today.year - 3, today.year - 1, today.year}
    old.visited_on = today.replace(year=today.year - 2, month=6, day=1)
    old.save()
    assert year_links(client.get(VISITS)) == {today.year - 2, today.year - 1, today.year}


def test_the_problem_column_counts_each_visits_problems(client, secretary):
    client.force_login(secretary)
    busy, quiet = VisitFactory(), VisitFactory()
    ProblemFactory.create_batch(2, visit=busy)
    rows = {visit.pk: visit.problem_count for visit in client.get(VISITS).context["cl"].result_list}
    assert rows == {busy.pk: 2, quiet.pk: 0}

    ProblemFactory(visit=quiet)
    rows = {visit.pk: visit.problem_count for visit in client.get(VISITS).context["cl"].result_list}
    assert rows == {busy.pk: 2, quiet.pk: 1}
    # Sorting by the column still works.
    response = client.get(VISITS, {"o": "-6"})
    assert [v.pk for v in response.context["cl"].result_list] == [busy.pk, quiet.pk]


def visits(count: int, tag: str) -> None:
    """Visits each with its own company and leader (whose company the leader column names),
    two fellow leaders and a problem: an N+1 on any of them shows as more queries."""
    for n in range(count):
        visit = VisitFactory(summary=f"{tag}{n}", companions=PersonFactory.create_batch(2))
        ProblemFactory(visit=visit)


def queries(client, url) -> int:
    client.get(url)  # fills the cached count and years
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize(
    "url",
    [
        VISITS,
        reverse("admin:activities_problem_changelist"),
        reverse("admin:members_person_changelist"),
        reverse("admin:members_person_changelist") + "?q=测试人",
        reverse("admin:members_company_changelist"),
        reverse("admin:charity_donation_changelist"),
        reverse("admin:dues_bill_changelist"),
    ],
)
def test_the_big_change_lists_cost_as_much_for_12_visits_as_for_2(
    client, secretary, url, django_assert_max_num_queries
):
    client.force_login(secretary)
    visits(2, "少")
    few = queries(client, url)
    visits(10, "多")
    assert queries(client, url) == few
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


def test_a_query_over_tracked_tables_is_cached_and_one_over_an_untracked_table_is_not():
    VisitFactory.create_batch(2)
    with CaptureQueriesContext(connection) as context:
        assert counted_queryset(Visit.objects.all()) == 2
    with CaptureQueriesContext(connection) as cached:
        assert counted_queryset(Visit.objects.all()) == 2
    assert "COUNT" not in " ".join(q["sql"] for q in cached.captured_queries)
    assert any("COUNT" in q["sql"] for q in context.captured_queries)

    # Bills are not tracked (core.counts.track): no cache, the exact count each time.
    with CaptureQueriesContext(connection) as bills:
        assert counted_queryset(Bill.objects.all()) == 0
    assert any("COUNT" in q["sql"] for q in bills.captured_queries)
    assert counted_list(Donation.objects.dates("donated_on", "year")) == []
    leaders = Person.objects.filter(visits_led__isnull=False)
    assert counted_queryset(leaders) == 2
    VisitFactory(leader=leaders[0])
    assert counted_queryset(leaders.distinct()) == 2
    assert counted_queryset(leaders) == 3
