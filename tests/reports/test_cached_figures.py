"""The dashboard's and the 四好 report's figures are kept in the shared cache (core.counts), and
still every change shows at once: each test reads a page, changes the records (through the
forms' and services' own paths, bulk ones included), and reads the page again. Events held
change with the clock alone: the figures are recomputed when the next event starts."""

import datetime
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


def figure(response, metric):
    """The figure of ``metric`` on the 四好 page, as the template got it."""
    for heading in response.context["headings"]:
        for indicator in heading["indicators"]:
            if indicator.metric == metric:
                return indicator.figure
    raise AssertionError(f"no indicator shows {metric}")


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


def test_the_report_shows_an_indicator_added_in_the_back_office_at_once(client, president, chamber):
    client.force_login(president)
    before = read_twice(client, four_goods(chamber)).context["indicator_count"]
    heading = Heading.objects.filter(framework__is_current=True).first()
    Indicator.objects.create(
        heading=heading, code="9.9", text="新增的考核指标", metric=Metric.HONORS, full_marks=5
    )
    response = client.get(four_goods(chamber))
    assert response.context["indicator_count"] == before + 1
    assert "新增的考核指标" in response.content.decode()


def test_the_report_shows_a_new_donation_check_in_honor_and_company_at_once(
    client, president, chamber
):
    client.force_login(president)
    before = read_twice(client, four_goods(chamber))
    assert figure(before, Metric.CHARITY).numbers["total"] == Decimal("15000.50")
    assert figure(before, Metric.PARTY_EVENTS).numbers["attendance"] == 3
    assert figure(before, Metric.HONORS).numbers["count"] == 1
    assert figure(before, Metric.NEW_MEMBERS).numbers["joined"] == 2

    DonationFactory(amount=Decimal("2000.00"), donated_on=datetime.date(chamber, 12, 1))
    party = Event.objects.get(kind=Event.Kind.PARTY, starts_at__month=4, is_cancelled=False)
    RegistrationFactory(event=party, checked_in_at=timezone.now())
    HonorFactory(year=chamber, company=None)
    CompanyFactory(member_since=datetime.date(chamber, 11, 11))

    after = client.get(four_goods(chamber))
    assert figure(after, Metric.CHARITY).numbers["total"] == Decimal("17000.50")
    assert "17,000.50" in after.content.decode()
    assert figure(after, Metric.PARTY_EVENTS).numbers["attendance"] == 4
    assert figure(after, Metric.HONORS).numbers["count"] == 2
    assert figure(after, Metric.NEW_MEMBERS).numbers["joined"] == 3


def test_the_report_shows_bills_generated_in_bulk_at_once(client, secretary, chamber):
    """Generating the year's bills writes them in bulk, without signals: it says so."""
    client.force_login(secretary)
    DuesStandardFactory(tier="member", year=chamber, amount=Decimal("3000"))
    assert figure(read_twice(client, four_goods(chamber)), Metric.DUES).numbers["companies"] == 0
    CompanyFactory(tier="member", member_since=datetime.date(chamber - 5, 1, 1))

    created = generate_bills(year=chamber).created

    dues = figure(client.get(four_goods(chamber)), Metric.DUES).numbers
    assert dues["companies"] == len(created) > 0
    assert dues["billed"] == sum(bill.amount for bill in created)


def test_the_report_counts_an_event_as_held_once_it_has_started(client, president, term):
    """No row changes when an event starts: the cached figures end at its start."""
    client.force_login(president)
    year = timezone.localdate().year
    starts = timezone.now() + datetime.timedelta(minutes=1)
    EventFactory(
        kind=Event.Kind.POLICY, starts_at=starts, ends_at=starts + datetime.timedelta(hours=1)
    )
    assert figure(read_twice(client, four_goods(year)), Metric.POLICY_EVENTS).numbers["held"] == 0

    with time_machine.travel(starts + datetime.timedelta(seconds=30), tick=False):
        assert timezone.localdate().year == year or pytest.skip("the new year began meanwhile")
        held = figure(client.get(four_goods(year)), Metric.POLICY_EVENTS).numbers["held"]
    assert held == 1


def test_the_report_is_cached_per_language(client, president, chamber):
    client.force_login(president)
    english = read_twice(client, four_goods(chamber), HTTP_ACCEPT_LANGUAGE="en")
    chinese = client.get(four_goods(chamber), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "yuan received from" in figure(english, Metric.CHARITY).detail
    assert "yuan received from" not in figure(chinese, Metric.CHARITY).detail


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
