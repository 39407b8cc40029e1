"""The directory's cards, written in Python (members/templatetags/directory.py)."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import override
from pytest_django.asserts import assertHTMLEqual

from members.models import Company
from members.templatetags.directory import company_cards
from tests.factories import CompanyFactory, TagFactory

pytestmark = pytest.mark.django_db

REFERENCE = "members/includes/_company_card_reference.html"


def test_a_card_shows_name_link_tier_industry_profile_and_tags():
    company = CompanyFactory(name="上海好<味>食品有限公司", profile="甲" * 100, tier="member")
    company.tags.add(TagFactory(name="食品&饮料"))
    html = str(company_cards([company]))
    assert f'<a href="{company.get_absolute_url()}">上海好&lt;味&gt;食品有限公司</a>' in html
    assert '<span class="badge badge-tier-member">' in html
    assert company.get_industry_display() in html
    shortened = Truncator("甲" * 100).chars(90)
    assert len(shortened) < 100 and f'<p class="company-card-profile">{shortened}</p>' in html
    assert '<li class="tag">食品&amp;饮料</li>' in html
    assert '<span class="logo logo-placeholder" aria-hidden="true">好</span>' in html
    assert "badge-status" not in html


def test_a_card_marks_a_company_that_left_and_has_no_tags():
    company = CompanyFactory(status="left", profile="")
    html = str(company_cards([company]))
    assert f'<span class="badge badge-status-left">{company.get_status_display()}</span>' in html
    assert "tag-list" not in html and "company-card-profile" not in html


def test_the_placeholder_skips_the_city():
    assert Company(name="上海市虹泾投资有限公司").initial == "虹"
    assert Company(name="上海虹泾投资有限公司").initial == "虹"
    assert Company(name="上海上好佳食品工业有限公司").initial == "上"
    assert Company(name="上海").initial == "·"
    assert Company(name="E通世界").initial == "E"
    assert Company(name="麦迪睿医疗科技（上海）有限公司").initial == "麦"


@pytest.fixture
def varied_companies():
    """Companies in every tier and status, with names, profiles, tags and a logo path that
    need escaping, and the optional parts missing."""
    tags = [
        TagFactory(name="食品&饮料"),
        TagFactory(name="<i>高新</i>"),
        TagFactory(name='"专精特新"'),
    ]
    specs = [
        {"name": """上海"好'味"<b>食品</b>&饮料有限公司""", "profile": "<b>好吃</b> & 实惠。" * 10},
        {"name": "上海市虹泾投资有限公司", "profile": "", "tier": "vice_president"},
        {"name": "E通世界 & Co.", "tier": "executive", "status": "suspended", "industry": "it"},
        {"name": "上海", "profile": "短", "tier": "president", "status": "left"},
        {"name": "华新科技", "profile": "甲" * 90, "industry": "trade"},
        {"name": "上海新奶茶有限公司", "industry": "other", "industry_text": '奶茶<店> & "饮品"'},
        {"name": "上海物流有限公司", "industry": "logistics", "industry_text": "物流"},
        {"name": "上海上好佳食品工业有限公司", "profile": "甲" * 91, "logo": "logos/o'k&<1>.png"},
    ]
    companies = [CompanyFactory(**spec) for spec in specs]
    companies[0].tags.set(tags)
    companies[3].tags.set(tags[1:2])
    return list(Company.objects.prefetch_related("tags").order_by("pk"))


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_cards_match_the_reference_template(varied_companies, language):
    with override(language):
        cards = str(company_cards(varied_companies))
        reference = "\n".join(
            render_to_string(REFERENCE, {"company": company}) for company in varied_companies
        )
    assertHTMLEqual(cards, reference)
    assert cards.count('<li class="company-card">') == len(varied_companies)
    assert (
        "&lt;b&gt;好吃&lt;/b&gt;" in cards and 'src="/media/logos/o&#x27;k%26%3C1%3E.png"' in cards
    )


def test_the_directory_shows_the_cards_in_chinese(client, member):
    CompanyFactory(name="上海上好佳食品工业有限公司")
    client.force_login(member)
    html = client.get(reverse("members:company_list")).content.decode()
    assert html.count('<li class="company-card">') >= 2
    assert "上海上好佳食品工业有限公司" in html
