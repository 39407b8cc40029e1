"""The 四好 report comes rendered from the shared cache (reports.views._four_goods_page), and
still shows every change at once, shows each viewer what their roles decide whoever read it
first, and gives the secretariat a form that saves with their own CSRF token."""

import datetime
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reports.models import Framework, Heading, Indicator, IndicatorScore

from .conftest import SHANGHAI
from .test_pages import scores_form

pytestmark = pytest.mark.django_db


def four_goods(year, framework=None):
    url = reverse("reports:four_goods", args=[year])
    return f"{url}?framework={framework}" if framework else url


def page_of(client, user, url) -> str:
    client.force_login(user)
    return client.get(url).content.decode()


def report(page: str) -> str:
    """The report itself, without the page's frame (whose own forms carry a CSRF token)."""
    return page[page.index('<div class="page-head">') : page.index("</main>")]


def sees_form(page: str) -> bool:
    return '<form method="post" class="report-form">' in page and "<textarea" in page


def form_token(page: str) -> str:
    form = report(page)
    (token,) = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
    return token


def sees_back_office(page: str) -> bool:
    return 'href="/admin/' in page


@pytest.mark.parametrize("first", ["secretary", "supervisor", "president"])
def test_each_viewer_gets_what_their_roles_decide_whoever_read_it_first(
    client, request, first, chamber
):
    personas = ["secretary", "supervisor", "president"]
    for persona in [first, *personas]:  # the first one fills the cache for the others
        page = page_of(client, request.getfixturevalue(persona), four_goods(chamber))
        assert sees_form(page) == (persona == "secretary"), persona
        assert ("保存自评</button>" in page) == (persona == "secretary"), persona
        assert sees_back_office(page) == (persona != "president"), persona


def test_the_form_from_the_cache_carries_the_editors_own_csrf_token(secretary, chamber):
    for _ in range(2):  # two sessions: the second reads the form rendered for the first
        client = Client(enforce_csrf_checks=True)
        client.force_login(secretary)
        page = client.get(four_goods(chamber)).content.decode()
        token = form_token(page)
        form = scores_form("current", **{"队伍建设好2.2": ("7", "")})
        response = client.post(four_goods(chamber), {**form, "csrfmiddlewaretoken": token})
        assert response.status_code == 302
    assert str(IndicatorScore.objects.get().score) == "7.0"


def test_a_saved_score_shows_at_once_to_the_secretariat_and_the_president(
    client, secretary, president, chamber
):
    for user in (president, secretary, president, secretary):  # both cached
        assert "三位班子成员走访不足" not in page_of(client, user, four_goods(chamber))
    response = client.post(
        four_goods(chamber),
        scores_form("current", **{"队伍建设好2.2": ("8.5", "三位班子成员走访不足")}),
    )
    assert response.status_code == 302

    editor = client.get(four_goods(chamber)).content.decode()
    assert 'value="8.5"' in editor and ">三位班子成员走访不足</textarea>" in editor
    reader = page_of(client, president, four_goods(chamber))
    assert "<strong>8.5</strong>" in reader and "三位班子成员走访不足" in reader

    IndicatorScore.objects.get().delete()  # as the back office deletes it
    assert "三位班子成员走访不足" not in page_of(client, president, four_goods(chamber))


def test_a_form_sent_back_with_errors_is_not_what_the_next_reader_gets(client, secretary, chamber):
    client.force_login(secretary)
    client.get(four_goods(chamber))
    response = client.post(
        four_goods(chamber),
        scores_form(
            "current", **{"队伍建设好2.2": ("8", "打错的说明"), "服务发展好3.1": ("x", "")}
        ),
    )
    assert response.status_code == 400 and "打错的说明" in response.content.decode()
    page = client.get(four_goods(chamber)).content.decode()
    assert "打错的说明" not in page and 'aria-invalid="true"' not in page


def test_a_changed_framework_heading_and_indicator_show_at_once(client, president, chamber):
    client.force_login(president)
    client.get(four_goods(chamber))
    client.get(four_goods(chamber))
    framework = Framework.objects.get(code="current")
    framework.version = "2031年修订版"
    framework.save()
    heading = Heading.objects.filter(framework=framework).first()
    heading.title = "改过名的考核项目"
    heading.save()
    indicator = Indicator.objects.filter(heading=heading).first()
    indicator.text = "改过措辞的指标"
    indicator.save()

    page = client.get(four_goods(chamber)).content.decode()
    assert "2031年修订版" in page and "改过名的考核项目" in page and "改过措辞的指标" in page

    indicator.delete()
    assert "改过措辞的指标" not in client.get(four_goods(chamber)).content.decode()


def test_a_framework_code_that_is_no_slug_shows_the_current_wording(client, president, chamber):
    client.force_login(president)
    current = client.get(four_goods(chamber)).content.decode()
    odd = client.get(four_goods(chamber, "<b>2017</b>")).content.decode()
    assert "政治引领好" in odd and "班子建设好" not in odd
    assert report(odd) == report(current)  # the same report, from the same cached value
    assert "班子建设好" in client.get(four_goods(chamber, "2017")).content.decode()


def test_the_data_date_moves_on_with_the_day(client, president, term):
    client.force_login(president)
    year = timezone.localdate().year
    with time_machine.travel(datetime.datetime(year, 6, 10, 9, tzinfo=SHANGHAI), tick=False):
        client.get(four_goods(year))
        assert f"数据截至{year}年6月10日" in client.get(four_goods(year)).content.decode()
    with time_machine.travel(datetime.datetime(year, 6, 11, 9, tzinfo=SHANGHAI), tick=False):
        page = client.get(four_goods(year)).content.decode()
    assert f"数据截至{year}年6月11日" in page
