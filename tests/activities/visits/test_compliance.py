"""Counting visits against the monthly quota, month boundaries in Asia/Shanghai, coverage."""

import datetime
import zoneinfo

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override
from pytest_django.asserts import assertHTMLEqual

from activities.models import Visit
from activities.templatetags.visit_board import board_cells
from activities.visits.compliance import (
    Cell,
    Row,
    add_months,
    companies_visited,
    compliance_board,
    coverage,
    leader_year,
    leadership_in_year,
    month_count,
)
from chamber.models import Position
from members.models import Person
from tests.factories import CompanyFactory, PersonFactory, PositionFactory, TermFactory

from .factories import AssignmentFactory, VisitFactory

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def test_a_visit_counts_for_its_leader_and_the_fellow_leaders_who_came(leader, other_leader):
    VisitFactory(leader=leader.person, companions=[other_leader.person])
    assert month_count(leader.person) == 1
    assert month_count(other_leader.person) == 1


def test_a_company_visited_twice_in_a_month_counts_once(leader, other_leader, today):
    company = CompanyFactory()
    VisitFactory(leader=leader.person, company=company, visited_on=today.replace(day=1))
    VisitFactory(leader=other_leader.person, company=company, companions=[leader.person])
    VisitFactory(leader=leader.person)
    assert month_count(leader.person) == 2


def test_each_month_is_met_short_this_month_or_to_come(leader, term):
    today = datetime.date(term.starts_on.year + 1, 6, 15)
    for day in [datetime.date(today.year, 1, 5), datetime.date(today.year, 1, 20)]:
        VisitFactory(leader=leader.person, visited_on=day)
    VisitFactory(leader=leader.person, visited_on=datetime.date(today.year, 2, 3))
    VisitFactory(leader=leader.person, visited_on=datetime.date(today.year, 6, 1))
    cells = leader_year(leader.person, today)
    assert [(cell.done, cell.state) for cell in cells[:7]] == [
        (2, "met"),
        (1, "short"),
        (0, "short"),
        (0, "short"),
        (0, "short"),
        (1, "current"),
        (0, "future"),
    ]


def test_the_quota_is_a_setting(leader, settings, today):
    settings.CHAMBER_VISITS_PER_MONTH = 1
    VisitFactory(leader=leader.person)
    assert leader_year(leader.person, today)[today.month - 1].state == "met"


def test_the_board_lists_the_leadership_in_order_with_months_outside_their_term_blank(
    leader, president, secretary, supervisor, term
):
    year = term.starts_on.year + 1
    newcomer = PersonFactory(name="新执委")
    PositionFactory(
        person=newcomer,
        title=Position.Title.EXECUTIVE,
        term=TermFactory(
            number=99,
            starts_on=datetime.date(year + 30, 1, 1),
            ends_on=datetime.date(year + 35, 1, 1),
        ),
    )
    board = compliance_board(year, today=datetime.date(year, 12, 31))
    assert [row.leader.name for row in board.rows] == ["会长甲", "副会长甲"]
    assert all(cell.required == 2 for row in board.rows for cell in row.cells)

    before = compliance_board(term.starts_on.year - 1, today=datetime.date(year, 12, 31))
    assert before.rows == []


def test_the_board_totals_the_months(leader, other_leader, term):
    year = term.starts_on.year + 1
    for day in (3, 17):
        VisitFactory(
            leader=leader.person,
            visited_on=datetime.date(year, 3, day),
            companions=[other_leader.person],
        )
    board = compliance_board(year, today=datetime.date(year, 12, 31))
    march = board.totals[2]
    assert (march.done, march.met, march.leaders) == (4, 2, 2)
    # On 31 December, December is still running: eleven months are due.
    assert (board.rows[0].months_met, board.rows[0].months_due) == (1, 11)


def test_a_visit_logged_at_23_30_on_the_last_day_of_a_month_counts_for_that_month(
    client, leader, term, monkeypatch
):
    year = term.starts_on.year + 1
    # 23:30 on 31 January in Shanghai is 15:30 UTC on the same day.
    late = datetime.datetime(year, 1, 31, 23, 30, tzinfo=SHANGHAI)
    monkeypatch.setattr(timezone, "now", lambda: late.astimezone(datetime.UTC))
    client.force_login(leader)
    response = client.post(
        reverse("activities:visit_create"),
        {
            "company": CompanyFactory().pk,
            "visited_on": timezone.localdate().isoformat(),
            "summary": "深夜登记",
            "problems-TOTAL_FORMS": "0",
            "problems-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert visit.visited_on == datetime.date(year, 1, 31)
    assert month_count(leader.person, datetime.date(year, 1, 31)) == 1

    # Half an hour past midnight on 1 February in Shanghai, it is still 31 January in UTC:
    # February has begun, and its count starts at nothing.
    early = datetime.datetime(year, 2, 1, 0, 30, tzinfo=SHANGHAI)
    monkeypatch.setattr(timezone, "now", lambda: early.astimezone(datetime.UTC))
    assert timezone.localdate() == datetime.date(year, 2, 1)
    assert month_count(leader.person) == 0
    page = client.get(reverse("activities:visit_list")).content.decode()
    assert f"{year}年2月" in page
    # And a visit dated 1 February is not in the future.
    response = client.post(
        reverse("activities:visit_create"),
        {
            "company": CompanyFactory().pk,
            "visited_on": f"{year}-02-01",
            "summary": "凌晨登记",
            "problems-TOTAL_FORMS": "0",
            "problems-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    assert month_count(leader.person) == 1
    assert leader_year(leader.person)[0].done == 1


def test_companies_visited_reads_only_the_people_asked_for(leader, other_leader, today):
    VisitFactory(leader=leader.person)
    VisitFactory(leader=other_leader.person)
    visited = companies_visited(today.replace(day=1), today, [leader.person.pk])
    assert set(visited) == {leader.person.pk}


def test_coverage_sorts_companies_by_how_long_since_their_last_visit(leader, term, today):
    CompanyFactory(name="从未走访的企业")
    long_ago = CompanyFactory(name="一年多前走访的企业")
    half_year = CompanyFactory(name="七个月前走访的企业")
    quarter = CompanyFactory(name="四个月前走访的企业")
    recent = CompanyFactory(name="上个月走访的企业")
    for company, months in [(long_ago, 13), (half_year, 7), (quarter, 4), (recent, 1)]:
        VisitFactory(company=company, visited_on=add_months(today, -months))
    AssignmentFactory(term=term, leader=leader.person, company=quarter)
    CompanyFactory(name="退会企业", status="left")

    buckets = {bucket.key: bucket.companies for bucket in coverage(today)}
    names = {key: [company.name for company in companies] for key, companies in buckets.items()}
    # Never visited first, then the longest ago.
    assert names["12"].index("从未走访的企业") < names["12"].index("一年多前走访的企业")
    assert names["12"][-1] == "一年多前走访的企业"
    assert "七个月前走访的企业" in names["6"]
    assert names["3"] == ["四个月前走访的企业"]
    assert buckets["3"][0].leader_names == ["副会长甲"]
    assert all("上个月走访的企业" not in listed for listed in names.values())
    assert all("退会企业" not in listed for listed in names.values())


def test_add_months_stays_within_the_month():
    assert add_months(datetime.date(2026, 3, 31), -1) == datetime.date(2026, 2, 28)
    assert add_months(datetime.date(2026, 1, 15), -13) == datetime.date(2024, 12, 15)
    assert add_months(datetime.date(2026, 11, 30), 2) == datetime.date(2027, 1, 30)


def test_the_board_counts_in_the_database_with_the_same_queries_for_more_visits(
    leader, other_leader, term
):
    year = term.starts_on.year + 1
    end = datetime.date(year, 12, 31)

    def queries() -> tuple[int, int]:
        """The first board after a change (counted, then cached) and the next (cached)."""
        counts = []
        for _ in range(2):
            with CaptureQueriesContext(connection) as context:
                board = compliance_board(year, today=end)
            counts.append(len(context))
        return tuple(counts), board

    compliance_board(year, today=end)  # the seats, cached from now on
    VisitFactory(leader=leader.person, visited_on=datetime.date(year, 3, 2))
    small, _ = queries()
    for day in range(1, 21):
        VisitFactory(
            leader=leader.person,
            visited_on=datetime.date(year, 3, day),
            companions=[other_leader.person],
        )
    large, board = queries()
    assert small == large
    assert large[1] < large[0]  # the visits are counted once, then read from the cache
    march = {row.leader: row.cells[2].done for row in board.rows}
    assert march[leader.person] == 21
    assert march[other_leader.person] == 20


def test_the_board_page_shows_leaders_a_page_at_a_time_and_caps_the_coverage_lists(
    client, president, leader, other_leader, monkeypatch
):
    from activities.visits.views import ComplianceView

    monkeypatch.setattr(ComplianceView, "leaders_per_page", 1)
    monkeypatch.setattr(ComplianceView, "companies_per_bucket", 1)
    for name in ["从未走访甲", "从未走访乙", "从未走访丙"]:
        CompanyFactory(name=name)
    client.force_login(president)
    url = reverse("activities:visit_compliance")
    first = client.get(url)
    assert len(first.context["leader_rows"]) == 1
    assert first.context["page_obj"].paginator.count == len(first.context["board"].rows) >= 3
    never = first.context["buckets"][0]
    assert len(never.companies) == 1 and never.count >= 3
    html = first.content.decode()
    assert f"另有 {never.more} 家，完整名单见 Excel 导出。" in html
    assert "page=2" in html
    second = client.get(url, {"page": 2})
    assert second.context["leader_rows"][0] != first.context["leader_rows"][0]
    export = client.get(reverse("activities:visit_compliance_export"))
    assert export.status_code == 200


@pytest.mark.parametrize("year", ["", "abc", "99999", "1999", "2026.5"])
def test_a_bad_year_shows_this_years_board_and_export(client, president, year):
    client.force_login(president)
    this_year = timezone.localdate().year
    page = client.get(reverse("activities:visit_compliance"), {"year": year})
    assert page.status_code == 200
    assert page.context["year"] == this_year
    export = client.get(reverse("activities:visit_compliance_export"), {"year": year})
    assert export.status_code == 200
    assert f'filename="visits-{this_year}.xlsx"' in export["Content-Disposition"]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_board_cells_match_the_reference_template(language):
    counts = [(0, "none"), (2, "met"), (1, "short"), (0, "current"), (0, "future"), (12, "met")]
    cells = [
        Cell(datetime.date(2026, month, 1), done, 2, state)
        for month, (done, state) in enumerate([*counts, (0, "short"), (3, "none")], start=1)
    ]
    row = Row(Person(name="副会长甲"), "副会长", cells)
    with override(language):
        html = str(board_cells(row))
        reference = render_to_string(
            "activities/visits/includes/_board_cells_reference.html", {"row": row}
        )
    assertHTMLEqual(html, reference)
    assert html.count("<td ") == len(cells) and "12<span" in html


def board_total(client, name) -> int:
    """The visits of the year the board page shows for a leader (the row's total cell)."""
    html = client.get(reverse("activities:visit_compliance")).content.decode()
    row = html.split(f'<th scope="row" class="board-name">{name}<span', 1)[1].split("</tr>", 1)[0]
    return int(row.split('class="board-total board-total-year">', 1)[1].split("<", 1)[0])


def test_the_board_page_shows_a_change_at_once_though_it_is_cached(
    client, president, leader, other_leader, term
):
    client.force_login(president)
    assert board_total(client, leader.person.name) == 0
    assert board_total(client, leader.person.name) == 0  # read from the cache this time

    visit = VisitFactory(leader=leader.person)
    assert board_total(client, leader.person.name) == 1

    visit.companions.add(other_leader.person)  # a fellow leader who came along
    assert board_total(client, other_leader.person.name) == 1

    visit.visited_on = visit.visited_on.replace(year=visit.visited_on.year - 1)
    visit.save()  # moved to last year
    assert board_total(client, leader.person.name) == 0

    newcomer = PersonFactory(name="新任执委丁")
    PositionFactory(person=newcomer, term=term, title=Position.Title.EXECUTIVE)
    assert board_total(client, "新任执委丁") == 0

    Person.objects.filter(pk=newcomer.pk).update(name="新任执委戊")
    from core.counts import written

    written(Person)  # an update() says so itself, as the imports do
    assert board_total(client, "新任执委戊") == 0


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_coverage_rows_match_the_reference_template(language):
    from activities.templatetags.visit_board import coverage_rows
    from activities.visits.compliance import Uncovered

    companies = [
        Uncovered(1, "上海'从未'<b>走访</b>&实业有限公司", None),
        Uncovered(
            2, "上海很久科技有限公司", datetime.date(2025, 3, 9), ['王<i>"小"</i>&明', "李四"]
        ),
        Uncovered(3, "上海无人联系有限公司", datetime.date(2024, 12, 31), []),
    ]
    with override(language):
        reference = render_to_string(
            "activities/visits/includes/_coverage_rows_reference.html", {"companies": companies}
        )
        written = str(coverage_rows(companies))
    assertHTMLEqual(written, reference)
    assert written.count("<tr>") == 3
    assert "&lt;b&gt;走访&lt;/b&gt;" in written and "<b>" not in written and "<i>" not in written


def test_the_seats_kept_for_the_board_are_translated_as_they_are_read(leader, today):
    """The seats are cached as plain values for every language: a title read in Chinese first
    is still English for an English page, and the other way round."""
    with override("zh-hans"):
        assert [(p.pk, title) for p, title, _m in leadership_in_year(today.year)] == [
            (leader.person.pk, "副会长")
        ]
    with override("en"):
        assert [title for _p, title, _m in leadership_in_year(today.year)] == ["Vice-president"]


def test_the_board_shows_the_titles_in_the_viewers_language_whoever_counted_it_first(
    client, president, leader
):
    client.force_login(president)
    url = reverse("activities:visit_compliance")
    assert "副会长" in client.get(url).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": url})
    page = client.get(url).content.decode()
    assert "Vice-president" in page and "副会长</span>" not in page
