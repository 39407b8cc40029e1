"""One search box over companies, events, notices, rules, the journal and spotlights:
only what the person may see, one query per kind."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from activities.models import Event
from notices.models import Notice
from tests.activities.events.factories import EventFactory
from tests.factories import CompanyFactory, DocumentFactory

from .factories import DocumentVersionFactory, JournalIssueFactory, NoticeFactory, SpotlightFactory

SEARCH = reverse("notices:search")


@pytest.fixture
def findings(db):
    hongjing = CompanyFactory(name="上海虹泾投资发展有限公司")
    return {
        "active company": hongjing,
        "company that left": CompanyFactory(name="上海虹泾旧实业有限公司", status="left"),
        "members event": EventFactory(title="虹泾企业座谈会"),
        "leadership event": EventFactory(
            title="虹泾班子碰头会", audience=Event.Audience.LEADERSHIP
        ),
        "staff event": EventFactory(title="虹泾秘书处内部会", audience=Event.Audience.STAFF),
        "members notice": NoticeFactory(title="关于虹泾地块动迁的通知"),
        "leadership notice": NoticeFactory(
            title="虹泾走访安排（班子成员）", audience=Notice.Audience.LEADERSHIP
        ),
        "draft notice": NoticeFactory(title="虹泾草稿通知", publish_at=None),
        "published rule": DocumentFactory(title="虹泾片区联系制度"),
        "rule in drafting": DocumentFactory(title="虹泾草拟制度", is_published=False, body=""),
        "rule out for comment": DocumentVersionFactory(
            document=DocumentFactory(title="虹泾会费办法", is_published=False, body="")
        ).document,
        "journal issue": JournalIssueFactory(title="2026年第2期 · 虹泾城镇更新专刊"),
        "unpublished issue": JournalIssueFactory(title="虹泾未发布专刊", is_published=False),
        "spotlight": SpotlightFactory(company=hongjing, title="两个月内搬离腾地"),
    }


EVERYONE = {"published rule", "journal issue", "spotlight"}
MEMBER = EVERYONE | {"active company", "members event", "members notice", "rule out for comment"}
LEADER = MEMBER | {"leadership event", "leadership notice"}
SEES = {
    "outsider": EVERYONE,
    "member": MEMBER,
    "leader": LEADER,
    "other_leader": LEADER,
    "president": LEADER,
    "supervisor": LEADER,
    "secretary": None,  # everything
}


def title_of(obj) -> str:
    return getattr(obj, "name", None) or obj.title


@pytest.mark.parametrize("persona", sorted(SEES))
def test_search_returns_only_what_the_person_may_see(client, request, findings, persona):
    client.force_login(request.getfixturevalue(persona))
    page = client.get(SEARCH, {"q": "虹泾"}).content.decode()
    main = page[page.index('id="main"') :]
    expected = SEES[persona] if SEES[persona] is not None else set(findings)
    for label, obj in findings.items():
        # The query is marked in the titles: look for the link to the object.
        found = f'href="{obj.get_absolute_url()}"' in main
        assert found is (label in expected), (persona, label)


def test_results_are_grouped_by_kind_with_the_query_marked(client, member, findings):
    client.force_login(member)
    page = client.get(SEARCH, {"q": "虹泾"}).content.decode()
    groups = ["会员企业", "活动", "通知公告", "规章制度", "《缘聚》会刊", "企业先进典型"]
    positions = [page.index(f'-heading" class="card-title">{label}</h2>') for label in groups]
    assert positions == sorted(positions)
    assert "上海<mark>虹泾</mark>投资发展有限公司" in page


def test_pinyin_initials_find_a_company_and_the_journal_featuring_it(client, member, findings):
    findings["journal issue"].featured_companies.add(findings["active company"])
    other = JournalIssueFactory(title="2025年第4期 · 红色课堂")
    other.featured_companies.add(CompanyFactory(name="上海嘉华科技有限公司"))
    client.force_login(member)
    page = client.get(SEARCH, {"q": "hj"}).content.decode()
    assert findings["active company"].get_absolute_url() in page
    assert findings["journal issue"].get_absolute_url() in page
    # 嘉华 has h and j in its initials (shjh…) but its trade name starts with jh: no match.
    assert other.get_absolute_url() not in page


def test_an_empty_or_unmatched_query_says_so(client, member, findings):
    client.force_login(member)
    assert "共找到" not in client.get(SEARCH).content.decode()
    page = client.get(SEARCH, {"q": "不存在的词"}).content.decode()
    assert "没有找到相关内容" in page


def test_the_header_has_the_search_box(client, member):
    client.force_login(member)
    page = client.get(reverse("chamber:home")).content.decode()
    assert f'action="{SEARCH}"' in page and 'name="q"' in page


def test_each_kind_shows_a_few_results_and_says_there_are_more(client, secretary):
    for n in range(12):
        NoticeFactory(title=f"虹泾通知第{n}号")
    client.force_login(secretary)
    page = client.get(SEARCH, {"q": "虹泾通知"}).content.decode()
    assert page.count("<mark>虹泾通知</mark>第") == 8
    assert "请增加关键词缩小范围" in page


def lots_of_everything(n: int):
    start = timezone.now() + datetime.timedelta(days=3)
    for i in range(n):
        company = CompanyFactory(name=f"上海虹泾第{i}号实业有限公司")
        EventFactory(
            title=f"虹泾活动{i}", starts_at=start, ends_at=start + datetime.timedelta(hours=2)
        )
        NoticeFactory(title=f"虹泾通知{i}")
        DocumentFactory(title=f"虹泾制度{i}")
        issue = JournalIssueFactory(title=f"虹泾专刊{i}")
        issue.featured_companies.add(company)
        SpotlightFactory(company=company, title=f"虹泾典型{i}")


@pytest.mark.parametrize("persona", ["secretary", "member", "outsider"])
def test_search_takes_the_same_few_queries_for_much_data_as_for_little(
    client, request, findings, persona
):
    client.force_login(request.getfixturevalue(persona))

    def queries():
        with CaptureQueriesContext(connection) as context:
            assert client.get(SEARCH, {"q": "虹泾"}).status_code == 200
        return len(context.captured_queries)

    few = queries()
    lots_of_everything(20)
    assert queries() == few <= 15
