"""/charity/, the campaign and pairing pages, /me/ and the printable acknowledgement."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from charity.models import ContributorPreference, Donation
from tests.factories import CompanyFactory

from .conftest import add_donations
from .factories import DonationFactory

pytestmark = pytest.mark.django_db


def html_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_anonymous_people_are_sent_to_log_in(client, charity):
    response = client.get(reverse("charity:overview"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_cached_overview_shows_a_new_donation_at_once(client, member, charity):
    client.force_login(member)
    assert "4,250,000.00" not in html_of(client.get(reverse("charity:overview")))
    DonationFactory(
        company=charity["companies"][1],
        campaign=charity["campaigns"][0],
        amount=Decimal("4250000.00"),
        donated_on=datetime.date(2017, 4, 18),
    )
    html = html_of(client.get(reverse("charity:overview")))
    assert "4,250,000.00" in html and "106.3%" in html


def test_everyone_logged_in_sees_the_totals_chart_and_the_campaigns(client, outsider, charity):
    DonationFactory(
        company=charity["companies"][1],
        campaign=charity["campaigns"][0],
        amount=Decimal("4250000.00"),
        donated_on=datetime.date(2017, 4, 18),
    )
    client.force_login(outsider)
    html = html_of(client.get(reverse("charity:overview")))
    assert "<svg" in html and 'class="chart-bar"' in html
    assert "4,250,000.00" in html  # exact, with separators
    assert "425万元" in html  # and in 万元
    assert "缘聚徐练 商续慈善" in html
    assert "106.3%" in html  # 4.25 million of a 4 million goal, rounded half up
    assert "东庄村" in html  # villages are named, by area
    assert "练塘镇" in html


def test_the_chart_has_a_table_with_the_exact_amount_of_each_year(client, member, charity):
    DonationFactory(
        campaign=charity["campaigns"][0],
        amount=Decimal("0.01"),
        donated_on=datetime.date(2018, 1, 1),
    )
    DonationFactory(
        campaign=charity["campaigns"][1],
        amount=Decimal("1234567.89"),
        donated_on=datetime.date(2018, 12, 31),
    )
    client.force_login(member)
    html = html_of(client.get(reverse("charity:overview")))
    assert 'id="year-table"' in html
    assert '<th scope="row">2018</th>' in html
    assert "1,234,567.90" in html


def test_only_companies_that_chose_to_be_listed_are_named_among_contributors(
    client, member, charity
):
    listed, unlisted = charity["companies"][1], charity["companies"][4]
    for company in (listed, unlisted):
        DonationFactory(company=company, campaign=charity["campaigns"][0], amount=Decimal("100"))
    client.force_login(member)
    response = client.get(reverse("charity:overview"))
    names = [contributor["name"] for contributor in response.context["listed"]]
    assert names == [listed.name]
    assert response.context["others_count"] == 1
    assert unlisted.name not in html_of(response)


def test_a_campaign_page_tells_who_gave_what_and_what_the_pairings_did(client, member, charity):
    listed, unlisted = charity["companies"][1], charity["companies"][4]
    DonationFactory(company=listed, campaign=charity["campaigns"][0], amount=Decimal("300000"))
    DonationFactory(company=unlisted, campaign=charity["campaigns"][0], amount=Decimal("5000"))
    DonationFactory(
        company=member.person.company, campaign=charity["campaigns"][0], amount=Decimal("10000")
    )
    client.force_login(member)
    html = html_of(client.get(charity["campaigns"][0].get_absolute_url()))
    assert listed.name in html and "300,000.00" in html
    assert member.person.company.name in html  # their own company, listed or not
    assert unlisted.name not in html
    assert "东庄村" in html and "东庄村村道整修" in html


def test_the_president_sees_every_giver_on_a_campaign_page(client, president, charity):
    unlisted = charity["companies"][4]
    DonationFactory(company=unlisted, campaign=charity["campaigns"][0], amount=Decimal("5000"))
    client.force_login(president)
    assert unlisted.name in html_of(client.get(charity["campaigns"][0].get_absolute_url()))


def test_a_pairing_page_shows_its_companies_projects_and_gifts(client, member, charity):
    village = charity["village"]
    DonationFactory(
        company=charity["companies"][1],
        campaign=None,
        pairing=village,
        amount=Decimal("50000.50"),
    )
    client.force_login(member)
    html = html_of(client.get(village.get_absolute_url()))
    assert "多企一村" in html
    assert "东庄村村道整修" in html
    assert "50,000.50" in html
    for company in charity["companies"][:2]:
        assert company.name in html


# --- /me/ and the acknowledgement -------------------------------------------------------------


def test_a_member_sees_their_companys_pairings_and_donations_on_their_page(client, member, charity):
    company = member.person.company
    received = DonationFactory(
        company=company, campaign=charity["campaigns"][0], amount=Decimal("4250000.00")
    )
    pledged = DonationFactory(
        company=company,
        campaign=charity["campaigns"][1],
        amount=Decimal("8888.88"),
        status=Donation.Status.PLEDGED,
        receipt_number="",
    )
    DonationFactory(campaign=charity["campaigns"][0], amount=Decimal("777.77"))  # another's
    client.force_login(member)
    html = html_of(client.get(reverse("members:me")))
    assert "4,250,000.00" in html and "8,888.88" in html
    assert "777.77" not in html
    assert "东庄村" in html  # their pairing
    assert "李**" in html and "李小明" not in html  # their student, masked
    assert reverse("charity:donation_acknowledgement", args=[received.pk]) in html
    assert reverse("charity:donation_acknowledgement", args=[pledged.pk]) not in html


def test_the_acknowledgement_gives_the_amount_in_figures_and_capitals(client, member, charity):
    donation = DonationFactory(
        company=member.person.company,
        campaign=charity["campaigns"][0],
        amount=Decimal("4250000.00"),
        receipt_number="YJ2017-001",
        donated_on=datetime.date(2017, 4, 18),
    )
    client.force_login(member)
    html = html_of(client.get(reverse("charity:donation_acknowledgement", args=[donation.pk])))
    assert "捐赠确认函" in html
    assert "人民币肆佰贰拾伍万元整" in html
    assert "¥4,250,000.00" in html
    assert "YJ2017-001" in html
    assert "2017年4月18日" in html
    assert member.person.company.name in html
    assert "上海市青浦区徐泾镇商会" in html
    assert 'class="seal-box"' in html


def test_an_acknowledgement_names_a_student_only_with_consent_to_publish(client, member, charity):
    donation = DonationFactory(
        company=member.person.company, campaign=None, pairing=charity["student_pairing"]
    )
    client.force_login(member)
    url = reverse("charity:donation_acknowledgement", args=[donation.pk])
    html = html_of(client.get(url))
    assert "李**" in html and "李小明" not in html


def test_another_companys_donation_or_a_pledge_has_no_acknowledgement(client, member, charity):
    others = DonationFactory(company=charity["companies"][1], campaign=charity["campaigns"][0])
    pledge = DonationFactory(
        company=member.person.company,
        campaign=charity["campaigns"][0],
        status=Donation.Status.PLEDGED,
    )
    client.force_login(member)
    for donation in (others, pledge):
        url = reverse("charity:donation_acknowledgement", args=[donation.pk])
        assert client.get(url).status_code == 404


def test_the_secretariat_prints_any_received_donations_acknowledgement(client, secretary, charity):
    donation = DonationFactory(company=charity["companies"][3], campaign=charity["campaigns"][0])
    client.force_login(secretary)
    url = reverse("charity:donation_acknowledgement", args=[donation.pk])
    assert charity["companies"][3].name in html_of(client.get(url))


def test_a_member_chooses_to_list_their_company_and_can_change_their_mind(client, member):
    client.force_login(member)
    url = reverse("charity:contributor_listing")
    assert client.get(url).status_code == 200
    response = client.post(url, {"listed": "on"})
    assert response.status_code == 302
    preference = ContributorPreference.objects.get(company=member.person.company)
    assert preference.listed and preference.updated_by == member
    client.post(url, {})
    preference.refresh_from_db()
    assert not preference.listed


# --- Query counts --------------------------------------------------------------------------


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


@pytest.fixture
def pages(charity, member):
    own = DonationFactory(company=member.person.company, campaign=charity["campaigns"][0])
    return lambda: [
        reverse("charity:overview"),
        charity["campaigns"][0].get_absolute_url(),
        charity["village"].get_absolute_url(),
        charity["student_pairing"].get_absolute_url(),
        reverse("members:me"),
        reverse("charity:donation_acknowledgement", args=[own.pk]),
    ]


@pytest.mark.parametrize("persona", ["member", "secretary"])
def test_pages_run_the_same_few_queries_for_10_or_5000_donations(
    client, request, charity, pages, persona
):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    companies = charity["companies"] + [CompanyFactory() for _ in range(3)]
    add_donations(
        10, companies=companies, campaigns=charity["campaigns"], pairings=charity["pairings"]
    )
    urls = [url for url in pages() if persona == "member" or "/me/" not in url]
    if persona == "secretary":
        urls += [
            reverse(f"admin:charity_{model}_changelist")
            for model in ("donation", "pairing", "beneficiary", "campaign")
        ]
    for url in urls:
        client.get(url)  # other apps' sections may set something up on a first visit
    small = {url: count_queries(client, url) for url in urls}
    add_donations(
        4990,
        companies=companies,
        campaigns=charity["campaigns"],
        pairings=charity["pairings"],
        start_year=2005,
    )
    ContributorPreference.objects.update(listed=True)
    large = {url: count_queries(client, url) for url in urls}
    assert large == small
    assert max(large.values()) <= 15, large
