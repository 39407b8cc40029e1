"""The dashboard's and the 四好 report's figures are kept in the shared cache (core.counts), and
still every change shows at once: each test reads a page, changes the records (through the
forms' and services' own paths, bulk ones included), and reads the page again. Events held
change with the clock alone: the figures are recomputed when the next event starts."""

import datetime
import html
import re
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from activities.models import Event, Registration
from chamber.models import Position
from charity.money import format_yuan
from core import money
from dues.services import generate_bills
from members.models import Company
from reports.models import Heading, Indicator, Metric

from ..activities.events.factories import EventFactory, RegistrationFactory
from ..charity.factories import DonationFactory
from ..dues.factories import DuesStandardFactory
from ..factories import (
    CompanyFactory,
    HonorFactory,
    PersonFactory,
    PositionFactory,
    TermFactory,
)

pytestmark = pytest.mark.django_db


def four_goods(year):
    return reverse("reports:four_goods", args=[year])


def figure(response, metric) -> str:
    """The figure of ``metric`` on the 四好 page, as shown: the headline and the sentence with
    the numbers behind it."""
    page = response.content.decode()
    found = re.search(
        rf'<article class="indicator" data-metric="{metric}">.*?'
        r'<p class="indicator-figure">(.*?)</p>',
        page,
        flags=re.S,
    )
    assert found, f"no indicator shows {metric}"
    return html.unescape(re.sub(r"<[^>]+>", "", found.group(1)))


def home_dashboard(response) -> list[str]:
    """The figures of the home page's dashboard, as shown: the leaders at the quota
    ("met/leaders"), the quarter's sharing meeting, the donations of the year."""
    html = next(s for s in response.context["sections"] if s.key == "dashboard").html
    return re.findall(r"<dd>(.*?)</dd>", html, flags=re.S)


def wan(amount) -> str:
    with translation.override("zh-hans"):
        return money.format_wan(amount)


def read_twice(client, url, **headers):
    """The page, read a second time: the figures then come from the cache."""
    client.get(url, **headers)
    return client.get(url, **headers)


def test_the_report_comes_from_the_cache_in_one_query(client, president, chamber):
    client.force_login(president)
    client.get(four_goods(chamber))
    with CaptureQueriesContext(connection) as context:
        client.get(four_goods(chamber))
    # Session, user, groups and seats; the figures, frameworks, indicators and self-scores
    # in one cache query.
    assert len(context) <= 5
    assert not any("activities_event" in query["sql"] for query in context.captured_queries)
    assert not any("reports_indicator" in query["sql"] for query in context.captured_queries)


def indicator_count(response) -> int:
    return response.content.decode().count('<article class="indicator"')


def test_the_report_shows_an_indicator_added_in_the_back_office_at_once(client, president, chamber):
    client.force_login(president)
    before = indicator_count(read_twice(client, four_goods(chamber)))
    heading = Heading.objects.filter(framework__is_current=True).first()
    Indicator.objects.create(
        heading=heading, code="9.9", text="新增的考核指标", metric=Metric.HONORS, full_marks=5
    )
    response = client.get(four_goods(chamber))
    assert indicator_count(response) == before + 1
    assert "新增的考核指标" in response.content.decode()


def test_the_report_shows_a_new_donation_check_in_honor_and_company_at_once(
    client, president, chamber
):
    client.force_login(president)
    before = read_twice(client, four_goods(chamber))
    assert "到账15,000.50元" in figure(before, Metric.CHARITY)
    assert "参加3人次" in figure(before, Metric.PARTY_EVENTS)
    assert "商会获得荣誉1项" in figure(before, Metric.HONORS)
    assert "新入会企业2家" in figure(before, Metric.NEW_MEMBERS)

    DonationFactory(amount=Decimal("2000.00"), donated_on=datetime.date(chamber, 12, 1))
    party = Event.objects.get(kind=Event.Kind.PARTY, starts_at__month=4, is_cancelled=False)
    RegistrationFactory(event=party, checked_in_at=timezone.now())
    HonorFactory(year=chamber, company=None)
    CompanyFactory(member_since=datetime.date(chamber, 11, 11))

    after = client.get(four_goods(chamber))
    assert "到账17,000.50元" in figure(after, Metric.CHARITY)
    assert "参加4人次" in figure(after, Metric.PARTY_EVENTS)
    assert "商会获得荣誉2项" in figure(after, Metric.HONORS)
    assert "新入会企业3家" in figure(after, Metric.NEW_MEMBERS)


def test_the_report_shows_bills_generated_in_bulk_at_once(client, secretary, chamber):
    """Generating the year's bills writes them in bulk, without signals: it says so."""
    client.force_login(secretary)
    DuesStandardFactory(tier="member", year=chamber, amount=Decimal("3000"))
    assert "共 0 家企业" in figure(read_twice(client, four_goods(chamber)), Metric.DUES)
    CompanyFactory(tier="member", member_since=datetime.date(chamber - 5, 1, 1))

    created = generate_bills(year=chamber).created

    dues = figure(client.get(four_goods(chamber)), Metric.DUES)
    assert len(created) > 0
    assert f"共 {len(created)} 家企业" in dues
    with translation.override("zh-hans"):
        billed = format_yuan(sum(bill.amount for bill in created))
    assert f"应收 {billed} 元" in dues


def test_the_report_counts_an_event_as_held_once_it_has_started(client, president, term):
    """No row changes when an event starts: the cached figures end at its start."""
    client.force_login(president)
    year = timezone.localdate().year
    starts = timezone.now() + datetime.timedelta(minutes=1)
    EventFactory(
        kind=Event.Kind.POLICY, starts_at=starts, ends_at=starts + datetime.timedelta(hours=1)
    )
    assert "举办0场" in figure(read_twice(client, four_goods(year)), Metric.POLICY_EVENTS)

    with time_machine.travel(starts + datetime.timedelta(seconds=30), tick=False):
        assert timezone.localdate().year == year or pytest.skip("the new year began meanwhile")
        held = figure(client.get(four_goods(year)), Metric.POLICY_EVENTS)
    assert "举办1场" in held


def test_the_report_is_cached_per_language(client, president, chamber):
    client.force_login(president)
    english = read_twice(client, four_goods(chamber), HTTP_ACCEPT_LANGUAGE="en")
    chinese = client.get(four_goods(chamber), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "yuan received from" in figure(english, Metric.CHARITY)
    assert "Self-score" in english.content.decode()
    assert "yuan received from" not in figure(chinese, Metric.CHARITY)
    assert "Self-score" not in chinese.content.decode()


def test_the_dashboard_shows_new_donations_sign_ups_and_dues_at_once(client, secretary, term):
    client.force_login(secretary)
    url = reverse("reports:dashboard")
    today = timezone.localdate()
    held = EventFactory(
        kind=Event.Kind.PARTY,
        starts_at=timezone.now() - datetime.timedelta(hours=2),
        ends_at=timezone.now() - datetime.timedelta(hours=1),
    )
    DuesStandardFactory(tier="member", year=today.year, amount=Decimal("3000"))
    # The figures are rendered afresh (their context recorded) when a table they read has
    # changed; the page after serves that rendering from the cache.
    response = client.get(url)
    before = response.context
    assert client.get(url).context["dashboard_html"] == before["dashboard_html"]
    assert before["donations"]["this_year"] == 0
    assert before["dues"]["companies"] == 0
    assert [row["attended"] for row in before["attendance"]["rows"]] == [0]

    DonationFactory(amount=Decimal("12345.00"), donated_on=today)
    registration = RegistrationFactory(event=held)
    registration.checked_in_at = timezone.now()
    registration.save(update_fields=["checked_in_at"])
    CompanyFactory(tier="member", member_since=datetime.date(today.year - 3, 1, 1))
    generate_bills(year=today.year)

    after = client.get(url).context
    assert after["dashboard_html"] != before["dashboard_html"]
    assert client.get(url).context["dashboard_html"] == after["dashboard_html"]
    assert after["donations"]["this_year"] == Decimal("12345.00")
    assert after["dues"]["companies"] >= 1
    assert [row["attended"] for row in after["attendance"]["rows"]] == [1]
    assert Registration.objects.get().checked_in_at is not None


def test_the_home_page_shows_a_new_seat_a_donation_and_a_company_leaving_at_once(
    client, president, term
):
    client.force_login(president)
    today = timezone.localdate()
    company = CompanyFactory()
    response = read_twice(client, "/")
    before = response.context
    counts = dict(before["company_counts"])
    seats = before["leader_count"]

    at_quota, _meeting, donated = home_dashboard(response)
    met, leaders = map(int, at_quota.split("/"))
    assert donated == wan(Decimal("0.00"))
    PositionFactory(person=PersonFactory(), term=term, title=Position.Title.EXECUTIVE)
    DonationFactory(amount=Decimal("800.00"), donated_on=today)
    company.status = Company.Status.LEFT
    company.save()

    response = client.get("/")
    after = response.context
    at_quota, _meeting, donated = home_dashboard(response)
    assert at_quota == f"{met}/{leaders + 1}"
    assert donated == wan(Decimal("800.00"))
    assert after["leader_count"] == seats + 1
    left = str(Company.Status.LEFT.label)
    assert dict(after["company_counts"])[left] == counts[left] + 1
    assert after["company_counts"] == [
        (label, Company.objects.filter(status=value).count())
        for value, label in Company.Status.choices
    ]


def test_the_home_page_sees_a_sharing_meeting_held_once_it_has_started(client, president, term):
    client.force_login(president)
    starts = timezone.now() + datetime.timedelta(minutes=1)
    EventFactory(
        kind=Event.Kind.SHARING, starts_at=starts, ends_at=starts + datetime.timedelta(hours=2)
    )
    with translation.override("zh-hans"):
        held, planned = gettext("Held"), gettext("Planned")
    assert home_dashboard(read_twice(client, "/"))[1] == planned
    with time_machine.travel(starts + datetime.timedelta(seconds=30), tick=False):
        assert home_dashboard(client.get("/"))[1] == held


def test_the_home_page_shows_a_new_term_and_its_seats_at_once(client, supervisor, term):
    """The term in force is read with the figures, from the cache: a new term shows at once."""
    client.force_login(supervisor)
    assert read_twice(client, "/").context["term"] == term
    today = timezone.localdate()
    term.ends_on = today - datetime.timedelta(days=1)
    term.save()
    new = TermFactory(
        number=term.number + 1, starts_on=today, ends_on=today + datetime.timedelta(days=5 * 365)
    )
    PositionFactory(term=new, title=Position.Title.PRESIDENT)

    response = client.get("/")
    assert response.context["term"] == new
    assert response.context["leader_count"] == 1
    assert f"{new.number}" in response.content.decode()
