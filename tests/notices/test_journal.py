"""The 《缘聚》 archive, searchable by title and by the companies featured; spotlights on their
company's page; the secretariat's drafts hidden from others."""

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import CompanyFactory

from .factories import JournalIssueFactory, SpotlightFactory

JOURNAL = reverse("notices:journal")

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def archive(db):
    hongjing = CompanyFactory(name="上海虹泾投资发展有限公司")
    canhui = CompanyFactory(name="上海灿辉国际实业发展有限公司")
    renewal = JournalIssueFactory(number=40, title="2026年第2期 · 城镇更新中的商会力量")
    renewal.featured_companies.add(hongjing, canhui)
    charity = JournalIssueFactory(number=37, title="2025年第3期 · 缘聚徐练 商续慈善")
    draft = JournalIssueFactory(number=42, title="2026年第4期 · 尚未出版", is_published=False)
    return {
        "hongjing": hongjing,
        "canhui": canhui,
        "renewal": renewal,
        "charity": charity,
        "draft": draft,
    }


def test_the_archive_lists_the_published_issues_newest_number_first(client, member, archive):
    client.force_login(member)
    page = client.get(JOURNAL).content.decode()
    assert "城镇更新中的商会力量" in page and "缘聚徐练 商续慈善" in page
    assert "尚未出版" not in page
    assert "上海虹泾投资发展有限公司" in page  # the featured companies are named


def test_the_archive_is_searchable_by_title(client, member, archive):
    client.force_login(member)
    page = client.get(JOURNAL, {"q": "慈善"}).content.decode()
    assert "缘聚徐练 商续慈善" in page and "城镇更新中的商会力量" not in page


@pytest.mark.parametrize("query", ["灿辉", "ch", "虹泾投资"])
def test_the_archive_is_searchable_by_a_featured_company(client, member, archive, query):
    client.force_login(member)
    page = client.get(JOURNAL, {"q": query}).content.decode()
    assert "城镇更新中的商会力量" in page
    assert "缘聚徐练 商续慈善" not in page


def test_the_secretary_sees_unpublished_issues(client, secretary, archive):
    client.force_login(secretary)
    page = client.get(JOURNAL).content.decode()
    assert "尚未出版" in page and "未发布" in page
    assert client.get(archive["draft"].get_absolute_url()).status_code == 200


def test_an_unpublished_issue_is_404_for_members(client, member, archive):
    client.force_login(member)
    assert client.get(archive["draft"].get_absolute_url()).status_code == 404


def test_the_issue_page_lists_its_companies_and_spotlights(client, member, archive):
    SpotlightFactory(
        company=archive["hongjing"], title="两个月内搬离腾地", journal_issue=archive["renewal"]
    )
    client.force_login(member)
    page = client.get(archive["renewal"].get_absolute_url()).content.decode()
    assert "上海灿辉国际实业发展有限公司" in page
    assert f'href="{archive["canhui"].get_absolute_url()}"' in page
    assert "两个月内搬离腾地" in page


def test_the_pdf_opens_for_people_logged_in(client, member, outsider, archive):
    issue = archive["renewal"]
    issue.pdf.save("yuanju-40.pdf", ContentFile(PDF), save=True)
    client.force_login(outsider)
    response = client.get(reverse("notices:journal_pdf", args=[issue.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    client.force_login(member)
    assert (
        client.get(reverse("notices:journal_pdf", args=[archive["charity"].pk])).status_code == 404
    )


def test_the_company_page_lists_its_spotlights(client, member, archive):
    SpotlightFactory(company=archive["hongjing"], title="两个月内搬离腾地")
    SpotlightFactory(company=archive["hongjing"], title="尚未发布的典型", is_published=False)
    SpotlightFactory(company=archive["canhui"], title="城中村改造")
    client.force_login(member)
    page = client.get(archive["hongjing"].get_absolute_url()).content.decode()
    assert "企业先进典型" in page
    assert "两个月内搬离腾地" in page
    assert "尚未发布的典型" not in page and "城中村改造" not in page


def test_a_company_without_spotlights_has_no_such_section(client, member, archive):
    client.force_login(member)
    page = client.get(archive["canhui"].get_absolute_url()).content.decode()
    assert 'id="spotlights-heading"' not in page


def test_the_spotlight_page_links_its_company_and_issue(client, member, archive):
    spotlight = SpotlightFactory(
        company=archive["hongjing"],
        title="两个月内搬离腾地",
        journal_issue=archive["renewal"],
        story="<p>在短短两个月内完成搬离腾地。</p>",
    )
    client.force_login(member)
    page = client.get(spotlight.get_absolute_url()).content.decode()
    assert "在短短两个月内完成搬离腾地。" in page
    assert f'href="{archive["hongjing"].get_absolute_url()}"' in page
    assert "刊登于《缘聚》总第40期" in page


def test_journal_pages_take_a_fixed_number_of_queries(client, member, archive):
    client.force_login(member)

    def queries(url):
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    urls = [JOURNAL, archive["renewal"].get_absolute_url()]
    few = [queries(url) for url in urls]
    for _ in range(15):
        issue = JournalIssueFactory()
        company = CompanyFactory()
        issue.featured_companies.add(company, archive["hongjing"])
        archive["renewal"].featured_companies.add(company)
        SpotlightFactory(company=company, journal_issue=archive["renewal"])
    assert [queries(url) for url in urls] == few
    assert max(few) <= 15
