"""At a city federation's scale: the charity pages add up in the database, show the first few
rows of each long list with a link to all of them, and run the same queries whatever the data."""

import datetime
from collections import defaultdict
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from charity import services
from charity.models import Campaign, ContributorPreference, Donation, UnmaskLog
from tests.factories import CompanyFactory

from .conftest import add_donations
from .factories import (
    CampaignFactory,
    ContributorPreferenceFactory,
    DonationFactory,
    PairingFactory,
    StudentFactory,
    VillageFactory,
)

pytestmark = pytest.mark.django_db


def html_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def campaigns_of(kind: str, count: int) -> list[Campaign]:
    return [
        CampaignFactory(kind=kind, starts_on=datetime.date(2010, 1, 1) + datetime.timedelta(n))
        for n in range(count)
    ]


# --- /charity/ ---------------------------------------------------------------------------------


def test_the_overview_shows_the_newest_campaigns_and_visits_and_links_to_all(client, member):
    campaigns = campaigns_of(Campaign.Kind.FUNDRAISER, services.CAMPAIGNS_SHOWN + 3)
    visits = campaigns_of(Campaign.Kind.VISIT, services.CAMPAIGNS_SHOWN + 2)
    client.force_login(member)
    response = client.get(reverse("charity:overview"))
    html = html_of(response)
    shown = response.context["campaigns"]
    assert [c.pk for c in shown] == [c.pk for c in campaigns[::-1][: services.CAMPAIGNS_SHOWN]]
    assert response.context["campaign_count"] == len(campaigns)
    assert len(response.context["visits"]) == services.CAMPAIGNS_SHOWN
    assert campaigns[0].name not in html  # the oldest: on the list page
    assert f"查看全部 {len(campaigns)} 个募捐活动" in html
    assert f"查看全部 {len(visits)} 次慰问活动" in html
    assert f'href="{reverse("charity:campaign_list")}?kind=visit"' in html


def test_the_overview_names_a_few_pairings_an_area_and_links_to_the_rest(client, member):
    company = CompanyFactory()
    for n in range(services.PAIRINGS_SHOWN_PER_AREA + 5):
        PairingFactory(
            beneficiary=VillageFactory(name=f"东{n}村", area="练塘镇"),
            companies=[company],
            starts_on=datetime.date(2017, 1, 1) + datetime.timedelta(n),
        )
    PairingFactory(beneficiary=StudentFactory(name="李小明", area="练塘镇"), companies=[company])
    for n in range(services.AREAS_SHOWN):
        PairingFactory(beneficiary=VillageFactory(area=f"地区{n}"), companies=[company])
    client.force_login(member)
    response = client.get(reverse("charity:overview"))
    html = html_of(response)
    area = response.context["areas"][0]
    assert area["name"] == "练塘镇"
    assert area["count"] == services.PAIRINGS_SHOWN_PER_AREA + 6
    assert area["protected"] == 1 and area["company_count"] == 1
    newest = [f"东{n}村" for n in range(services.PAIRINGS_SHOWN_PER_AREA + 4, 4, -1)]
    assert [p.beneficiary.name for p in area["pairings"]] == newest
    assert area["more"] == 5
    assert "东0村" not in html and "李小明" not in html
    assert f'href="{reverse("charity:pairing_list")}?area=%E7%BB%83%E5%A1%98%E9%95%87"' in html
    assert len(response.context["areas"]) == services.AREAS_SHOWN
    assert response.context["more_areas"] == 1
    assert response.context["pairing_count"] == services.PAIRINGS_SHOWN_PER_AREA + 6 + 10
    assert response.context["village_count"] == services.PAIRINGS_SHOWN_PER_AREA + 5 + 10


def test_the_overview_names_the_largest_listed_contributors_and_counts_the_rest(client, member):
    listed = CompanyFactory.create_batch(services.CONTRIBUTORS_SHOWN + 4)
    campaign = CampaignFactory()
    for n, company in enumerate(listed):
        ContributorPreferenceFactory(company=company, listed=True)
        DonationFactory(company=company, campaign=campaign, amount=Decimal(1000 + n))
    unlisted = CompanyFactory()
    ContributorPreferenceFactory(company=unlisted, listed=False)
    DonationFactory(company=unlisted, campaign=campaign, amount=Decimal("10.01"))
    DonationFactory(campaign=campaign, amount=Decimal("20.02"))  # no preference at all
    DonationFactory(
        company=listed[0], campaign=campaign, amount=Decimal(99), status=Donation.Status.PLEDGED
    )
    client.force_login(member)
    response = client.get(reverse("charity:overview"))
    html = html_of(response)
    names = [contributor["name"] for contributor in response.context["listed"]]
    assert names == [company.name for company in listed[::-1][: services.CONTRIBUTORS_SHOWN]]
    assert response.context["listed"][0]["amount"] == Decimal(1000 + len(listed) - 1)
    assert response.context["listed_count"] == len(listed)
    assert response.context["others_count"] == 2
    assert response.context["others_total"] == Decimal("30.03")
    assert listed[0].name not in html and unlisted.name not in html
    assert f"公开列名的企业共 {len(listed)} 家，这里列出前 {services.CONTRIBUTORS_SHOWN} 家" in html
    assert f'href="{reverse("charity:contributor_list")}"' in html


def test_the_overview_totals_add_up_to_the_fen(charity):
    donations = add_donations(
        3000,
        companies=charity["companies"],
        campaigns=charity["campaigns"],
        pairings=charity["pairings"],
    )
    received = [d for d in donations if d.status == Donation.Status.RECEIVED]
    pairing_kinds = {pairing.pk: pairing.kind for pairing in charity["pairings"]}
    by_form, by_kind, by_pairing = defaultdict(Decimal), defaultdict(Decimal), defaultdict(Decimal)
    for donation in received:
        by_form[Donation.Form(donation.form).label] += donation.amount
        if donation.campaign_id:
            by_kind[donation.campaign.get_kind_display()] += donation.amount
        else:
            by_pairing[pairing_kinds[donation.pairing_id]] += donation.amount
    listed = {c.pk for c in charity["companies"][1:4]}
    others = [d for d in received if d.company_id not in listed]

    overview = services.overview(timezone.localdate())

    assert overview["total"] == sum(d.amount for d in received)
    assert overview["pledged"] == sum(d.amount for d in donations if not d.is_received)
    assert dict(overview["by_form"]) == dict(by_form)
    assert dict(overview["by_campaign_kind"]) == dict(by_kind)
    for kind in overview["by_pairing_kind"]:
        assert kind["received"] == by_pairing.get(kind["kind"], Decimal("0.00")), kind
    assert overview["others_total"] == sum(d.amount for d in others)
    assert overview["others_count"] == len({d.company_id for d in others})
    assert (
        sum(c["amount"] for c in overview["listed"]) + overview["others_total"]
        == (overview["total"])
    )


# --- A campaign, a pairing and /me/ ---------------------------------------------------------


def test_a_campaign_page_names_the_largest_givers_and_links_to_all_of_them(
    client, president, charity
):
    campaign = charity["campaigns"][0]
    givers = CompanyFactory.create_batch(services.CONTRIBUTORS_SHOWN + 5)
    for n, company in enumerate(givers):
        DonationFactory(company=company, campaign=campaign, amount=Decimal(100 + n))
    client.force_login(president)
    response = client.get(campaign.get_absolute_url())
    html = html_of(response)
    given = response.context["given"]
    assert [g["name"] for g in given.named] == [
        c.name for c in givers[::-1][: services.CONTRIBUTORS_SHOWN]
    ]
    assert given.named_count == len(givers) and given.more == 5
    assert response.context["received"] == sum(Decimal(100 + n) for n in range(len(givers)))
    assert givers[0].name not in html
    assert f"查看全部 {len(givers)} 家企业" in html
    assert f'href="{reverse("charity:contributor_list")}?campaign={campaign.pk}"' in html


def test_a_campaign_page_shows_its_first_pairings_and_links_to_all_of_them(client, member, charity):
    campaign = charity["campaigns"][0]  # it formed the village pairing already
    company = CompanyFactory()
    for n in range(services.CAMPAIGN_PAIRINGS_SHOWN + 1):
        PairingFactory(campaign=campaign, beneficiary=VillageFactory(name=f"西{n:02d}村"))
    PairingFactory(campaign=campaign, beneficiary=StudentFactory(), companies=[company])
    client.force_login(member)
    response = client.get(campaign.get_absolute_url())
    html = html_of(response)
    assert len(response.context["pairings"]) == services.CAMPAIGN_PAIRINGS_SHOWN
    assert response.context["more_pairings"] == 2
    assert f"查看全部 {services.CAMPAIGN_PAIRINGS_SHOWN + 2} 个结对" in html
    assert f'href="{reverse("charity:pairing_list")}?campaign={campaign.pk}"' in html
    assert "另有 1 个与学生或困难群众的结对，其姓名受保护。" in html


def test_me_shows_the_latest_donations_and_totals_over_all_of_them(client, member, charity):
    donations = [
        DonationFactory(
            company=member.person.company,
            campaign=charity["campaigns"][0],
            amount=Decimal("100.01"),
            donated_on=datetime.date(2020, 1, 1) + datetime.timedelta(n),
        )
        for n in range(15)
    ]
    client.force_login(member)
    html = html_of(client.get(reverse("members:me")))
    assert "1,500.15" in html  # all fifteen
    for n, donation in enumerate(donations):
        acknowledgement = reverse("charity:donation_acknowledgement", args=[donation.pk])
        assert (acknowledgement in html) == (n >= 5), n  # the ten newest
    assert "另有 5 笔更早的捐赠，查看全部" in html
    assert f'href="{reverse("charity:donation_list")}"' in html


# --- The full lists ----------------------------------------------------------------------------


def test_the_campaign_list_pages_through_every_campaign_with_its_totals(client, member):
    campaigns = campaigns_of(Campaign.Kind.FUNDRAISER, 20) + campaigns_of(Campaign.Kind.VISIT, 10)
    DonationFactory(campaign=campaigns[19], amount=Decimal("1234.56"))  # the newest
    client.force_login(member)
    url = reverse("charity:campaign_list")
    first = client.get(url)
    assert first.context["paginator"].count == 30
    assert len(first.context["campaigns"]) == 25
    assert first.context["campaigns"][0].received == Decimal("1234.56")
    assert "1,234.56" in html_of(first)
    assert len(client.get(url, {"page": 2}).context["campaigns"]) == 5
    visits = client.get(url, {"kind": "visit"}).context["campaigns"]
    assert {c.kind for c in visits} == {Campaign.Kind.VISIT} and len(visits) == 10


def test_the_pairing_list_filters_and_never_names_a_protected_beneficiary(
    client, secretary, charity
):
    other = PairingFactory(beneficiary=VillageFactory(name="南庄村", area="金泽镇"))
    client.force_login(secretary)
    url = reverse("charity:pairing_list")
    response = client.get(url)
    html = html_of(response)
    assert "东庄村" in html and "南庄村" in html and "李小明" not in html
    assert response.context["protected"] == 1

    def names(**query):
        page = client.get(url, query).context["page_obj"]
        return [pairing.beneficiary.name for pairing in page.object_list]

    assert names(area="金泽镇") == ["南庄村"]
    assert names(campaign=charity["campaigns"][0].pk) == ["东庄村"]
    assert names(company=other.companies.get().pk) == ["南庄村"]
    assert names(kind="companies_one_village") == ["东庄村"]
    assert not UnmaskLog.objects.exists()


def test_the_contributor_list_names_whom_the_viewer_may_see_and_sums_the_rest(
    client, member, president, charity
):
    listed, unlisted = charity["companies"][1], charity["companies"][4]
    own = member.person.company
    for company, amount in ((listed, "300"), (unlisted, "5"), (own, "10")):
        DonationFactory(company=company, campaign=charity["campaigns"][0], amount=Decimal(amount))
    url = reverse("charity:contributor_list")

    client.force_login(member)
    response = client.get(url)
    html = html_of(response)
    assert [g["name"] for g in response.context["named"]] == [listed.name, own.name]
    assert unlisted.name not in html
    assert response.context["others"]["count"] == 1
    assert response.context["received"] == Decimal("315.00")
    assert "另有 1 家企业（按其意愿不列名）" in html

    client.force_login(president)
    response = client.get(url, {"campaign": charity["campaigns"][0].pk})
    assert [g["name"] for g in response.context["named"]] == [listed.name, own.name, unlisted.name]
    assert client.get(url, {"campaign": 999999}).status_code == 404


def test_the_contributor_list_of_a_students_pairing_keeps_the_name_masked(
    client, secretary, charity
):
    DonationFactory(campaign=None, pairing=charity["student_pairing"], amount=Decimal("88"))
    client.force_login(secretary)
    url = reverse("charity:contributor_list")
    html = html_of(client.get(url, {"pairing": charity["student_pairing"].pk}))
    assert "李**" in html and "李小明" not in html
    assert not UnmaskLog.objects.exists()


def test_the_contributor_list_pages_through_every_giver(client, president, charity):
    companies = CompanyFactory.create_batch(55)
    Donation.objects.bulk_create(
        Donation(
            company=company,
            campaign=charity["campaigns"][0],
            amount=Decimal(n + 1),
            donated_on=datetime.date(2020, 1, 1),
        )
        for n, company in enumerate(companies)
    )
    client.force_login(president)
    url = reverse("charity:contributor_list")
    first = client.get(url)
    assert first.context["paginator"].count == 55
    assert first.context["named"][0]["name"] == companies[-1].name
    second = client.get(url, {"page": 2}).context["named"]
    assert [g["name"] for g in second] == [c.name for c in companies[4::-1]]


def test_a_member_pages_through_their_companys_donations(client, member, charity):
    company = member.person.company
    Donation.objects.bulk_create(
        Donation(
            company=company,
            campaign=charity["campaigns"][1],
            amount=Decimal("10.00"),
            donated_on=datetime.date(2020, 1, 1) + datetime.timedelta(n),
        )
        for n in range(60)
    )
    DonationFactory(company=charity["companies"][1], campaign=charity["campaigns"][1])
    client.force_login(member)
    response = client.get(reverse("charity:donation_list"))
    assert response.context["paginator"].count == 60
    assert len(response.context["donations"]) == 50
    assert response.context["received_total"] == Decimal("600.00")
    assert "600.00" in html_of(response)


def test_the_back_office_filters_donations_by_year(client, secretary, charity):
    for year in (2017, 2020):
        DonationFactory(campaign=charity["campaigns"][0], donated_on=datetime.date(year, 5, 1))
    client.force_login(secretary)
    url = reverse("admin:charity_donation_changelist")
    html = html_of(client.get(url))
    assert "?year=2018" in html  # every year between the first and the last
    assert client.get(url, {"year": "2020"}).context["cl"].result_count == 1


# --- Query counts ------------------------------------------------------------------------------


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


def grow(charity):
    """More of everything than the pages show: campaigns, visits, areas, pairings, listed
    companies, donations."""
    companies = CompanyFactory.create_batch(services.CONTRIBUTORS_SHOWN + 5)
    for company in companies:
        ContributorPreferenceFactory(company=company, listed=True)
    campaigns = campaigns_of(Campaign.Kind.FUNDRAISER, services.CAMPAIGNS_SHOWN + 2)
    campaigns += campaigns_of(Campaign.Kind.VISIT, services.CAMPAIGNS_SHOWN + 2)
    pairings = [
        PairingFactory(
            beneficiary=VillageFactory(area=f"地区{n % (services.AREAS_SHOWN + 2)}"),
            companies=companies[n % 3 : n % 3 + 2],
            campaign=charity["campaigns"][0],
        )
        for n in range(services.CAMPAIGN_PAIRINGS_SHOWN + 10)
    ]
    add_donations(
        2000,
        companies=companies + charity["companies"],
        campaigns=campaigns + charity["campaigns"],
        pairings=pairings + charity["pairings"],
        start_year=2005,
    )
    ContributorPreference.objects.update(listed=True)


@pytest.mark.parametrize("persona", ["member", "president", "secretary"])
def test_every_charity_page_runs_the_same_queries_at_any_size(client, request, charity, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    own = DonationFactory(company=charity["companies"][0], campaign=charity["campaigns"][0])
    add_donations(10, companies=charity["companies"], campaigns=charity["campaigns"], pairings=[])
    campaign = charity["campaigns"][0]
    urls = [
        reverse("charity:overview"),
        campaign.get_absolute_url(),
        charity["village"].get_absolute_url(),
        reverse("charity:campaign_list"),
        reverse("charity:pairing_list"),
        reverse("charity:pairing_list") + "?area=练塘镇&kind=companies_one_village",
        reverse("charity:contributor_list"),
        reverse("charity:contributor_list") + f"?campaign={campaign.pk}",
    ]
    if persona == "member":
        urls += [
            reverse("members:me"),
            reverse("charity:donation_list"),
            reverse("charity:donation_acknowledgement", args=[own.pk]),
        ]
    if persona == "secretary":
        urls += [
            reverse(f"admin:charity_{model}_changelist")
            for model in ("donation", "pairing", "beneficiary", "campaign")
        ]
    for url in urls:
        client.get(url)  # other apps' sections may set something up on a first visit
    small = {url: count_queries(client, url) for url in urls}
    grow(charity)
    for url in urls:
        client.get(url)  # /charity/'s figures are counted into the shared cache once
    large = {url: count_queries(client, url) for url in urls}
    assert large == small
    assert max(large.values()) <= 15, large
