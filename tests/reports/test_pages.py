"""The dashboard, the four-goods self-assessment with its self-scores and xlsx, and the
yearly summary, as the president, the secretariat and supervisors see them."""

from io import BytesIO

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from reports.models import Indicator, IndicatorScore

from .conftest import build_chamber

pytestmark = pytest.mark.django_db


def four_goods(year, framework=None):
    url = reverse("reports:four_goods", args=[year])
    return f"{url}?framework={framework}" if framework else url


def test_the_home_page_of_the_president_has_the_dashboard_first_of_the_sections(
    client, president, chamber
):
    client.force_login(president)
    page = client.get("/").content.decode()
    assert page.index("dashboard-home-heading") < page.index("home-problems-heading")
    assert reverse("reports:dashboard") in page


def test_the_home_page_of_a_member_has_no_dashboard(client, member):
    client.force_login(member)
    assert "dashboard-home-heading" not in client.get("/").content.decode()


def test_the_dashboard_names_the_leaders_behind_this_month(client, secretary, leader, president):
    client.force_login(secretary)
    response = client.get(reverse("reports:dashboard"))
    behind = [entry["leader"].name for entry in response.context["visits"]["behind_shown"]]
    assert sorted(behind) == sorted([leader.person.name, president.person.name])
    assert response.context["visits"]["behind_count"] == 2
    assert leader.person.name in response.content.decode()


def test_the_dashboard_charts_have_a_text_alternative(client, supervisor, chamber):
    client.force_login(supervisor)
    page = client.get(reverse("reports:dashboard")).content.decode()
    for table in ("visits-table", "members-table", "donations-table"):
        assert f'aria-describedby="{table}"' in page
        assert f'id="{table}"' in page


def queries(client, url) -> tuple[int, int]:
    """The queries of a page computed afresh, then with its counts in the shared cache."""
    cache.clear()  # afresh: every part of the figures, whichever tables the data wrote
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        counts.append(len(context))
    return tuple(counts)


def test_the_dashboard_runs_the_same_queries_on_more_data(
    client, secretary, president, leader, year
):
    client.force_login(secretary)
    build_chamber(year + 1, president=president.person, leader=leader.person, scale=1)
    small = queries(client, reverse("reports:dashboard"))
    build_chamber(year + 1, president=president.person, leader=leader.person, scale=15)
    assert queries(client, reverse("reports:dashboard")) == small
    assert small[1] <= 15


def test_the_report_shows_the_current_wording_and_the_2017_one_on_request(
    client, president, chamber
):
    client.force_login(president)
    current = client.get(four_goods(chamber)).content.decode()
    assert "政治引领好" in current and "队伍建设好" in current and "班子建设好" not in current
    older = client.get(four_goods(chamber, "2017")).content.decode()
    assert "班子建设好" in older and "团结教育好" in older and "政治引领好" not in older


def test_the_report_shows_each_figure_with_its_evidence(client, president, chamber):
    client.force_login(president)
    page = client.get(four_goods(chamber)).content.decode()
    assert "4/72" in page  # visits done against required
    assert f"{reverse('activities:visit_compliance')}?year={chamber}" in page
    assert "15,000.50" in page


def test_the_report_runs_the_same_queries_on_more_data(client, secretary, president, leader, year):
    client.force_login(secretary)
    build_chamber(year, president=president.person, leader=leader.person, scale=1)
    small = queries(client, four_goods(year))
    build_chamber(year, president=president.person, leader=leader.person, scale=15)
    assert queries(client, four_goods(year)) == small
    assert small[1] <= 15


def scores_form(framework_code, **by_code):
    data = {"framework": framework_code}
    for indicator in Indicator.objects.filter(heading__framework__code=framework_code):
        score, comment = by_code.get(indicator.heading.title + indicator.code, ("", ""))
        data[f"score-{indicator.pk}"] = score
        data[f"comment-{indicator.pk}"] = comment
    return data


def test_the_secretary_saves_self_scores_and_comments(client, secretary, chamber):
    client.force_login(secretary)
    response = client.post(
        four_goods(chamber),
        scores_form("current", **{"队伍建设好2.2": ("8.5", "三位班子成员走访不足")}),
    )
    assert response.status_code == 302
    saved = IndicatorScore.objects.get()
    assert (saved.year, str(saved.score), saved.comment) == (chamber, "8.5", "三位班子成员走访不足")
    assert saved.updated_by == secretary
    assert saved.history.count() == 1
    page = client.get(four_goods(chamber)).content.decode()
    assert "三位班子成员走访不足" in page


def test_a_wrong_score_saves_nothing_and_keeps_what_was_typed(client, secretary, chamber):
    client.force_login(secretary)
    response = client.post(
        four_goods(chamber),
        scores_form(
            "current",
            **{"队伍建设好2.2": ("8", "已填写的说明"), "服务发展好3.1": ("一百二", "")},
        ),
    )
    assert response.status_code == 400
    assert IndicatorScore.objects.count() == 0
    page = response.content.decode()
    assert "已填写的说明" in page and "一百二" in page
    assert 'aria-invalid="true"' in page


def test_only_the_secretariat_fills_in_the_scores(client, president, supervisor, chamber):
    for user in (president, supervisor):
        client.force_login(user)
        assert "<textarea" not in client.get(four_goods(chamber)).content.decode()
        response = client.post(four_goods(chamber), scores_form("current"))
        assert response.status_code == 403
    assert IndicatorScore.objects.count() == 0


def test_the_report_exports_to_xlsx_with_chinese_headers(client, secretary, chamber):
    client.force_login(secretary)
    IndicatorScore.objects.create(
        year=chamber,
        indicator=Indicator.objects.get(heading__framework__code="2017", code="1.2"),
        score=9,
        comment="基本达标",
    )
    response = client.get(
        reverse("reports:four_goods_export", args=[chamber]) + "?framework=2017",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:4] == ("考核项目", "序号", "指标", "数据")
    visits = next(row for row in rows if row[1] == "1.2" and row[0] == "班子建设好")
    assert visits[3] == "4/72" and visits[5] == 9 and visits[6] == "基本达标"


def test_a_formula_in_a_comment_is_exported_as_text(client, secretary, chamber):
    """The reproduction: a comment =HYPERLINK(…) was written as a live formula."""
    formula = '=HYPERLINK("http://x","y")'
    IndicatorScore.objects.create(
        year=chamber,
        indicator=Indicator.objects.get(heading__framework__code="2017", code="1.2"),
        score=9,
        comment=formula,
    )
    client.force_login(secretary)
    response = client.get(reverse("reports:four_goods_export", args=[chamber]) + "?framework=2017")
    sheet = load_workbook(BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert any(cell.value == "'" + formula and cell.data_type == "s" for cell in cells)


@pytest.mark.parametrize("score", ["NaN", "sNaN", "Infinity", "-inf", "1e999999999"])
def test_a_score_that_is_no_number_is_a_form_error_not_a_500(client, secretary, chamber, score):
    client.force_login(secretary)
    response = client.post(
        four_goods(chamber), scores_form("current", **{"队伍建设好2.2": (score, "")})
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "未保存：请更正下面标出的自评分。" in page and 'aria-invalid="true"' in page
    assert IndicatorScore.objects.count() == 0


def test_the_summary_lists_every_figure(client, supervisor, chamber):
    client.force_login(supervisor)
    page = client.get(reverse("reports:summary", args=[chamber])).content.decode()
    assert "15,000.50" in page and "4/72" in page


def test_a_year_out_of_range_is_not_found(client, president):
    client.force_login(president)
    next_years = timezone.localdate().year + 5
    assert client.get(four_goods(next_years)).status_code == 404
