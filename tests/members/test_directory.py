"""The member directory (/companies/) and the company page."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from chamber.models import Honor
from core.counts import written
from members.models import Company, Industry, pinyin_initials, pinyin_sort_key

from ..factories import CompanyFactory, PersonFactory, TagFactory
from ..notices.factories import JournalIssueFactory, SpotlightFactory

LIST_URL = reverse("members:company_list")


def names_listed(response):
    return [company.name for company in response.context["company_list"]]


def bulk_companies(count, *, prefix="批量企业"):
    """Many active companies with a tag each, fast (bulk_create skips save())."""
    tag = TagFactory(name="亿元楼")
    companies = Company.objects.bulk_create(
        Company(
            name=f"{prefix}{n}号",
            name_initials=pinyin_initials(f"{prefix}{n}号"),
            name_pinyin=pinyin_sort_key(f"{prefix}{n}号"),
            profile="一家扎根徐泾的企业。",
        )
        for n in range(count)
    )
    Company.tags.through.objects.bulk_create(
        Company.tags.through(company_id=company.pk, tag_id=tag.pk) for company in companies
    )
    written(Company)  # bulk writes send no signals: the cached directory pages must hear of it
    written(Company.tags.through)
    return companies


@pytest.fixture
def shanghaojia(db):
    return CompanyFactory(name="上好佳食品", industry=Industry.MANUFACTURING)


@pytest.fixture
def debang(db):
    return CompanyFactory(name="德邦物流", industry=Industry.LOGISTICS, tier=Company.Tier.EXECUTIVE)


def test_member_finds_a_company_by_part_of_its_name(client, member, shanghaojia, debang):
    client.force_login(member)
    response = client.get(LIST_URL, {"q": "上好佳"})
    assert names_listed(response) == ["上好佳食品"]
    assert "上好佳食品" in response.content.decode()


def test_member_finds_a_company_by_its_pinyin_initials(client, member, shanghaojia, debang):
    client.force_login(member)
    response = client.get(LIST_URL, {"q": "shj"})
    assert names_listed(response) == ["上好佳食品"]
    response = client.get(LIST_URL, {"q": "DBWL"})
    assert names_listed(response) == ["德邦物流"]


def test_search_puts_the_trade_name_before_the_city(client, member, shanghaojia):
    # Both match "shj"; 上海佳禾 only through its city, so 上好佳 leads however the names sort.
    CompanyFactory(name="上海佳禾食品有限公司")
    CompanyFactory(name="上海市建华实业有限公司")
    client.force_login(member)
    assert names_listed(client.get(LIST_URL, {"q": "shj"}))[0] == "上好佳食品"
    assert names_listed(client.get(LIST_URL, {"q": "jh"}))[:2] == [
        "上海佳禾食品有限公司",
        "上海市建华实业有限公司",
    ]
    assert names_listed(client.get(LIST_URL, {"q": "佳禾"})) == ["上海佳禾食品有限公司"]


def test_directory_filters_by_industry_tier_and_tag(client, leader, shanghaojia, debang):
    listed = TagFactory(name="上市企业")
    shanghaojia.tags.add(listed)
    client.force_login(leader)

    response = client.get(LIST_URL, {"industry": Industry.LOGISTICS})
    assert names_listed(response) == ["德邦物流"]

    response = client.get(LIST_URL, {"tier": Company.Tier.EXECUTIVE})
    assert "德邦物流" in names_listed(response)
    assert "上好佳食品" not in names_listed(response)

    response = client.get(LIST_URL, {"tag": listed.pk})
    assert names_listed(response) == ["上好佳食品"]
    assert "上市企业" in response.content.decode()


def test_directory_shows_logo_placeholder_profile_and_count(client, member, shanghaojia):
    client.force_login(member)
    response = client.get(LIST_URL, {"q": "shj"})
    html = response.content.decode()
    assert 'class="logo logo-placeholder" aria-hidden="true">上</span>' in html
    assert "一家扎根徐泾的企业。" in html
    assert response.context["paginator"].count == 1
    assert f'href="{shanghaojia.get_absolute_url()}"' in html


def test_pagination_keeps_the_search_and_filters(client, secretary):
    bulk_companies(35)
    client.force_login(secretary)
    response = client.get(LIST_URL, {"q": "批量", "tier": Company.Tier.MEMBER})
    assert len(names_listed(response)) == 30
    html = response.content.decode()
    assert "?q=%E6%89%B9%E9%87%8F&amp;tier=member&amp;page=2" in html
    response = client.get(LIST_URL, {"q": "批量", "tier": Company.Tier.MEMBER, "page": 2})
    assert len(names_listed(response)) == 5


def test_directory_says_so_when_nothing_matches(client, member, shanghaojia):
    client.force_login(member)
    response = client.get(LIST_URL, {"q": "不存在的企业"})
    assert names_listed(response) == []
    assert 'class="card empty-state"' in response.content.decode()


def test_members_do_not_see_companies_that_left_or_are_suspended(client, member, shanghaojia):
    CompanyFactory(name="已退会企业", status=Company.Status.LEFT)
    CompanyFactory(name="暂停企业", status=Company.Status.SUSPENDED)
    client.force_login(member)
    response = client.get(LIST_URL)
    assert "上好佳食品" in names_listed(response)
    assert "已退会企业" not in names_listed(response)
    assert "暂停企业" not in response.content.decode()
    # Nor may they filter by status: the field is not offered.
    assert 'name="status"' not in response.content.decode()
    response = client.get(LIST_URL, {"status": Company.Status.LEFT})
    assert "已退会企业" not in names_listed(response)


def test_secretary_filters_by_status_and_sees_companies_that_left(client, secretary, shanghaojia):
    CompanyFactory(name="已退会企业", status=Company.Status.LEFT)
    client.force_login(secretary)
    response = client.get(LIST_URL)
    assert 'name="status"' in response.content.decode()
    assert "已退会企业" in names_listed(response)
    response = client.get(LIST_URL, {"status": Company.Status.LEFT})
    assert names_listed(response) == ["已退会企业"]


def test_outsider_may_not_open_the_directory(client, outsider):
    client.force_login(outsider)
    assert client.get(LIST_URL).status_code == 403


@pytest.mark.parametrize(
    "persona, sees_contacts",
    [
        ("secretary", True),
        ("president", True),
        ("leader", True),
        ("other_leader", True),
        ("supervisor", False),
        ("member", False),
    ],
)
def test_contacts_are_shown_to_staff_and_leadership_only(
    client, request, persona, sees_contacts, shanghaojia
):
    contact = PersonFactory(
        name="王联系",
        company=shanghaojia,
        is_main_contact=True,
        mobile="13912345678",
        email="wang@shanghaojia.example",
    )
    client.force_login(request.getfixturevalue(persona))
    html = client.get(shanghaojia.get_absolute_url()).content.decode()
    assert contact.name in html
    assert ("13912345678" in html) is sees_contacts
    assert ("wang@shanghaojia.example" in html) is sees_contacts
    assert ('href="tel:13912345678"' in html) is sees_contacts
    assert ('href="mailto:wang@shanghaojia.example"' in html) is sees_contacts


def test_company_page_shows_the_record(client, member, shanghaojia):
    shanghaojia.tags.add(TagFactory(name="上市企业"))
    shanghaojia.party_organisation = Company.PartyOrganisation.BRANCH
    shanghaojia.party_members = 12
    shanghaojia.save()
    Honor.objects.create(year=2019, title="青浦区优秀民营企业", company=shanghaojia)
    PersonFactory(name="李总", company=shanghaojia, title="董事长")
    client.force_login(member)
    html = client.get(shanghaojia.get_absolute_url()).content.decode()
    for text in [
        "上好佳食品",
        "上市企业",
        "青浦区优秀民营企业",
        "李总",
        "董事长",
        shanghaojia.address,
    ]:
        assert text in html


def test_company_page_shows_a_change_to_the_record_at_once(client, leader, member, shanghaojia):
    """The record is kept rendered in the shared cache: each change shows on the next visit,
    and a leader's rendering (with contacts) is never a member's."""
    boss = PersonFactory(name="李总", company=shanghaojia, mobile="13912345678")
    client.force_login(leader)
    assert "13912345678" in client.get(shanghaojia.get_absolute_url()).content.decode()
    client.force_login(member)
    assert "13912345678" not in client.get(shanghaojia.get_absolute_url()).content.decode()

    shanghaojia.tags.add(TagFactory(name="上市企业"))
    Honor.objects.create(year=2024, title="青浦区优秀民营企业", company=shanghaojia)
    PersonFactory(name="王经理", company=shanghaojia)
    boss.name = "李董"
    boss.save()
    shanghaojia.profile = "一家扎根徐泾三十年的食品企业。"
    shanghaojia.save()
    html = client.get(shanghaojia.get_absolute_url()).content.decode()
    for text in ["上市企业", "青浦区优秀民营企业", "王经理", "李董", "扎根徐泾三十年"]:
        assert text in html, text

    boss.left_on = timezone.localdate()
    boss.save()
    Honor.objects.filter(company=shanghaojia).delete()
    html = client.get(shanghaojia.get_absolute_url()).content.decode()
    assert "李董" not in html and "青浦区优秀民营企业" not in html


def test_only_the_secretariat_gets_the_edit_link(client, secretary, member, shanghaojia):
    edit_url = reverse("admin:members_company_change", args=[shanghaojia.pk])
    client.force_login(secretary)
    assert edit_url in client.get(shanghaojia.get_absolute_url()).content.decode()
    client.force_login(member)
    assert edit_url not in client.get(shanghaojia.get_absolute_url()).content.decode()


def test_member_gets_404_for_a_company_that_left(client, member, secretary):
    gone = CompanyFactory(name="已退会企业", status=Company.Status.LEFT)
    client.force_login(member)
    assert client.get(gone.get_absolute_url()).status_code == 404
    client.force_login(secretary)
    assert client.get(gone.get_absolute_url()).status_code == 200


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_directory_query_count_does_not_grow_with_the_companies(client, member):
    client.force_login(member)
    TagFactory(name="亿元楼")  # the tag bulk_companies() gives: the filter's tags stay as read
    client.get(LIST_URL)
    bulk_companies(10, prefix="少量企业")
    with_ten = count_queries(client, LIST_URL), count_queries(client, LIST_URL)
    bulk_companies(490)
    with_five_hundred = count_queries(client, LIST_URL), count_queries(client, LIST_URL)
    assert with_ten == with_five_hundred  # the first computes the page, the second reads it
    assert max(with_five_hundred) <= 15
    assert with_five_hundred[1] < with_five_hundred[0]


def test_directory_shows_a_new_company_and_new_tags_at_once(client, member, shanghaojia):
    client.force_login(member)
    tag = TagFactory(name="上市企业")
    assert names_listed(client.get(LIST_URL, {"q": "shj"})) == ["上好佳食品"]
    assert client.get(LIST_URL, {"tag": tag.pk}).context["paginator"].count == 0

    CompanyFactory(name="上海佳禾食品")
    shanghaojia.tags.add(tag)
    response = client.get(LIST_URL, {"q": "shj"})
    assert sorted(names_listed(response)) == ["上好佳食品", "上海佳禾食品"]
    assert "共 2 家企业" in response.content.decode()
    assert names_listed(client.get(LIST_URL, {"tag": tag.pk})) == ["上好佳食品"]

    tag.name = "亿元楼"
    tag.save()
    assert "亿元楼" in client.get(LIST_URL, {"tag": tag.pk}).content.decode()


def test_directory_forgets_a_company_that_leaves_or_is_renamed(client, member, shanghaojia):
    client.force_login(member)
    assert names_listed(client.get(LIST_URL, {"q": "上好佳"})) == ["上好佳食品"]
    shanghaojia.name = "上好佳（中国）食品"
    shanghaojia.save()
    assert names_listed(client.get(LIST_URL, {"q": "上好佳"})) == ["上好佳（中国）食品"]
    shanghaojia.status = Company.Status.LEFT
    shanghaojia.save()
    assert names_listed(client.get(LIST_URL, {"q": "上好佳"})) == []


def test_directory_pages_beyond_the_last_are_not_found(client, member, shanghaojia):
    client.force_login(member)
    assert client.get(LIST_URL, {"page": "last"}).status_code == 200
    assert client.get(LIST_URL, {"page": "2"}).status_code == 404
    assert client.get(LIST_URL, {"page": "abc"}).status_code == 404


def test_company_page_query_count_does_not_grow_with_the_people(client, leader, shanghaojia):
    client.force_login(leader)
    PersonFactory.create_batch(2, company=shanghaojia)
    with_two = count_queries(client, shanghaojia.get_absolute_url())
    PersonFactory.create_batch(28, company=shanghaojia)
    with_thirty = count_queries(client, shanghaojia.get_absolute_url())
    assert with_two == with_thirty
    assert with_thirty <= 15


def test_company_page_costs_the_frame_the_company_and_one_cache_read(
    client, leader, shanghaojia, django_assert_num_queries
):
    SpotlightFactory(company=shanghaojia, journal_issue=JournalIssueFactory())
    PersonFactory.create_batch(3, company=shanghaojia)
    client.force_login(leader)
    client.get(shanghaojia.get_absolute_url())  # renders the record and keeps it
    # The session, the account, the company, the cache read (the record with its spotlights).
    with django_assert_num_queries(4):
        assert client.get(shanghaojia.get_absolute_url()).status_code == 200


def test_company_page_shows_a_spotlight_and_its_issue_at_once(client, member, shanghaojia):
    url = shanghaojia.get_absolute_url()
    client.force_login(member)
    assert "企业家精神" not in client.get(url).content.decode()
    issue = JournalIssueFactory(number=42)
    spotlight = SpotlightFactory(company=shanghaojia, title="企业家精神", journal_issue=issue)
    html = client.get(url).content.decode()
    assert "企业家精神" in html and spotlight.get_absolute_url() in html and "总第42期" in html

    spotlight.title = "企业家精神的传承"
    spotlight.save()
    issue.number = 43
    issue.save()
    html = client.get(url).content.decode()
    assert "企业家精神的传承" in html and "总第43期" in html

    spotlight.delete()
    assert "企业家精神" not in client.get(url).content.decode()


def test_a_draft_spotlight_kept_for_the_secretariat_is_never_a_members(
    client, secretary, member, shanghaojia
):
    url = shanghaojia.get_absolute_url()
    SpotlightFactory(company=shanghaojia, title="尚未发布的典型", is_published=False)
    client.force_login(secretary)
    assert "尚未发布的典型" in client.get(url).content.decode()
    client.force_login(member)
    assert "尚未发布的典型" not in client.get(url).content.decode()


def test_directory_cards_are_written_in_each_readers_language(client, member, shanghaojia):
    """The cards are kept written in the cache: one reader's language is not another's."""
    client.force_login(member)
    chinese = client.get(LIST_URL, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    english = client.get(LIST_URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'badge-tier-member">会员单位</span>' in chinese
    assert 'badge-tier-member">Member company</span>' in english


def tag_options(response) -> list[str]:
    select = re.search(r'<select name="tag"[^>]*>(.*?)</select>', response.content.decode(), re.S)
    return re.findall(r"<option[^>]*>([^<]*)</option>", select.group(1))


def test_the_tag_filter_lists_the_tags_as_they_are_now(client, member, shanghaojia):
    """The filter's tags are read with the page from the cache, and follow every change."""
    client.force_login(member)
    listed = TagFactory(name="上市企业")
    assert tag_options(client.get(LIST_URL)) == ["全部标签", "上市企业"]
    other = TagFactory(name="亿元楼")
    assert tag_options(client.get(LIST_URL)) == ["全部标签", "上市企业", "亿元楼"]
    listed.name = "高新技术企业"
    listed.save()
    gone = other.pk
    other.delete()
    response = client.get(LIST_URL, {"tag": listed.pk})
    assert tag_options(response) == ["全部标签", "高新技术企业"]
    assert (
        f'<option value="{listed.pk}" selected>高新技术企业</option>' in response.content.decode()
    )
    # A tag no longer there is refused as the form refuses it, not served from the cache.
    response = client.get(LIST_URL, {"tag": gone})
    assert response.status_code == 200 and response.context["filter_form"].errors


def test_the_directory_costs_the_frame_and_one_cache_read(
    client, member, shanghaojia, django_assert_num_queries
):
    TagFactory(name="上市企业")
    client.force_login(member)
    client.get(LIST_URL, {"q": "shj"})
    # The session, the account, the cache read (the page of companies and the filter's tags).
    with django_assert_num_queries(3):
        assert client.get(LIST_URL, {"q": "shj"}).status_code == 200
