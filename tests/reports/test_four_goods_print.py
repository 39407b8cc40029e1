"""The 四好 self-assessment ready to hand in: its data date, full marks beside each score,
a clear word when nothing is scored yet, paper content only on paper, and evidence links
that open for whoever reads it."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from reports.models import Indicator, IndicatorScore

pytestmark = pytest.mark.django_db


def four_goods(year):
    return reverse("reports:four_goods", args=[year]) + "?framework=current"


def evidence_links(page: str) -> list[str]:
    block = "".join(re.findall(r'<p class="indicator-evidence[^"]*">(.*?)</p>', page, re.S))
    return re.findall(r'href="([^"]+)"', block)


def test_the_report_says_the_date_its_data_is_from(client, president, chamber):
    client.force_login(president)
    page = client.get(four_goods(chamber)).content.decode()
    assert f"数据截至{chamber}年12月31日" in page
    this_year = timezone.localdate()
    page = client.get(four_goods(this_year.year)).content.decode()
    assert f"数据截至{this_year.year}年{this_year.month}月{this_year.day}日" in page


def test_an_unscored_year_says_so_instead_of_a_total_of_nought(client, secretary, chamber):
    client.force_login(secretary)
    page = client.get(four_goods(chamber)).content.decode()
    count = Indicator.objects.filter(heading__framework__code="current").count()
    assert page.count("尚未自评") == count + 2  # each indicator, the total, the notice
    assert "各项指标尚未自评" in page
    assert "<strong>0</strong>" not in page
    assert f"（满分{count * 10}分）" in page


def test_entered_scores_show_beside_their_full_marks_and_add_up(client, president, chamber):
    indicators = list(Indicator.objects.filter(heading__framework__code="current")[:2])
    for indicator, score in zip(indicators, ("9", "8.5"), strict=True):
        IndicatorScore.objects.create(year=chamber, indicator=indicator, score=Decimal(score))
    client.force_login(president)
    page = client.get(four_goods(chamber)).content.decode()
    assert "<strong>9</strong>" in page and "<strong>8.5</strong>" in page
    assert "<strong>17.5</strong>" in page
    count = Indicator.objects.filter(heading__framework__code="current").count()
    assert f"已自评2项，共{count}项" in page
    assert "（满分10分）" in page


def test_a_score_above_the_full_marks_is_refused(client, secretary, chamber):
    indicator = Indicator.objects.filter(heading__framework__code="current").first()
    client.force_login(secretary)
    response = client.post(
        four_goods(chamber), {"framework": "current", f"score-{indicator.pk}": "10.5"}
    )
    assert response.status_code == 400
    assert "自评分应在0到10分之间" in response.content.decode()
    assert not IndicatorScore.objects.exists()


def test_every_evidence_link_opens_for_the_president(client, president, chamber):
    client.force_login(president)
    page = client.get(four_goods(chamber)).content.decode()
    links = evidence_links(page)
    assert links and not [link for link in links if link.startswith("/admin/")]
    assert "（后台）" not in page
    failing = [link for link in links if client.get(link.replace("&amp;", "&")).status_code != 200]
    assert failing == []


@pytest.mark.parametrize("persona", ["secretary", "supervisor"])
def test_back_office_evidence_is_offered_to_those_who_use_the_back_office(
    client, request, persona, chamber
):
    client.force_login(request.getfixturevalue(persona))
    page = client.get(four_goods(chamber)).content.decode()
    links = evidence_links(page)
    assert any(link.startswith("/admin/") for link in links)
    failing = [link for link in links if client.get(link.replace("&amp;", "&")).status_code != 200]
    assert failing == []


def test_what_is_for_the_screen_is_marked_not_to_print(client, secretary, chamber):
    client.force_login(secretary)
    page = client.get(four_goods(chamber)).content.decode()
    assert '<button type="button" class="button" data-print hidden>打印</button>' in page
    assert 'class="report-toolbar no-print"' in page
    assert '<div class="screen-only no-print">' in page
    assert '<span class="muted no-print">（后台）</span>' in page
    for instruction in ("每项数据均在打开本页时", "各项指标尚未自评"):
        start = page.index(instruction)
        assert page.rindex('<div class="screen-only no-print">', 0, start) > page.rindex(
            "</div>", 0, start
        )
