"""``seed_demo --scale city`` adds a city chamber's load on top of the demo, in bulk.

A tiny city (``--city-factor 0.002``: a few thousand rows) is enough to check the counts, the
rules the rows keep, and that the demo logins see the city's rows on their pages.
"""

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone

from activities.models import Assignment, Event, Problem, Registration, Visit
from chamber.models import Position, User
from charity.models import Donation
from demo import data
from demo.city import WRITTEN, scaled_sizes
from members.models import Company, Person, pinyin_initials, pinyin_sort_key
from members.validators import validate_credit_code, validate_mobile

FACTOR = 0.002
SIZES = scaled_sizes(FACTOR)
DEMO_COMPANIES = {spec.name for spec in data.companies()}
COUNTED = {
    "companies": Company,
    "people": Person,
    "leaders": Position,
    "visits": Visit,
    "problems": Problem,
    "events": Event,
    "registrations": Registration,
    "donations": Donation,
}


def seed_demo(**options) -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {name: model.objects.count() for name, model in COUNTED.items()}


def city_companies():
    return Company.objects.exclude(name__in=DEMO_COMPANIES)


@pytest.fixture
def demo_settings(settings):
    settings.DEBUG = True
    return settings


@pytest.fixture
def city(db, demo_settings):
    return seed_demo(scale="city", city_factor=FACTOR)


def test_the_city_adds_rows_in_proportion_and_only_once(db, demo_settings):
    seed_demo()
    demo = counts()

    output = seed_demo(scale="city", city_factor=FACTOR)

    loaded = counts()
    assert {name: loaded[name] - demo[name] for name in COUNTED} == {
        name: SIZES[name] for name in COUNTED
    }
    assert SIZES["registrations"] > SIZES["events"] > 0
    assert "City-scale data:" in output
    assert "activities.Registration" in output and "total" in output

    again = seed_demo(scale="city", city_factor=FACTOR)
    assert "already loaded" in again
    assert counts() == loaded


def test_companies_keep_their_search_keys_credit_codes_contacts_and_leaders(city):
    companies = list(
        city_companies().annotate(contacts=Count("people", Q(people__is_main_contact=True)))
    )
    assert len(companies) == SIZES["companies"]
    for company in companies:
        assert company.name_initials == pinyin_initials(company.name)
        assert company.name_pinyin == pinyin_sort_key(company.name)
        assert company.contacts == 1
        if company.credit_code:
            validate_credit_code(company.credit_code)
    for mobile in Person.objects.filter(company__in=companies).values_list("mobile", flat=True):
        validate_mobile(mobile)

    # Every active company has one responsible leader, who holds a seat in the term.
    active = city_companies().active()
    assigned = Assignment.objects.current().filter(company__in=active)
    assert assigned.values("company").distinct().count() == assigned.count() == active.count()
    seats = Position.objects.filter(term__in=assigned.values("term")).values("person")
    assert not assigned.exclude(leader__in=seats).exists()

    # New rows still get fresh keys: the database's counters were moved past the bulk ones.
    newest = Company.objects.create(name="上海新入会测试有限公司")
    assert newest.pk > max(company.pk for company in companies)


@pytest.mark.dates
def test_visits_problems_sign_ups_and_donations_look_like_real_use(city):
    today = timezone.localdate()
    assert not Visit.objects.filter(visited_on__gt=today).exists()
    assert Visit.objects.filter(visited_on__lt=today - datetime.timedelta(days=365)).exists()
    problems = Problem.objects.filter(company__in=city_companies())
    assert problems.filter(status=Problem.Status.SOLVED).count() > 0.6 * problems.count()
    assert problems.overdue().exists()
    assert problems.filter(visit=None).exists()
    assert not problems.exclude(visit=None).exclude(company=F("visit__company")).exists()

    events = Event.objects.with_counts().filter(title__contains="区")
    assert events.filter(starts_at__date__lt=today).exists()
    assert events.filter(starts_at__date__gt=today).exists()
    assert events.filter(starts_at__year=today.year, starts_at__month=today.month).exists()
    assert not events.filter(taken__gt=F("capacity")).exists()
    assert not events.filter(waiting__gt=0).exclude(taken=F("capacity")).exists()
    checked_in = Registration.objects.filter(checked_in_at__isnull=False)
    assert not checked_in.exclude(status=Registration.Status.REGISTERED).exists()

    donations = Donation.objects.filter(company__in=city_companies())
    assert donations.filter(campaign__isnull=False).exists()
    paired = donations.filter(pairing__isnull=False)
    assert paired.exists()
    assert not paired.exclude(company__charity_pairings=F("pairing")).exists()


def login(client, username):
    assert client.login(username=username, password=data.DEMO_PASSWORD)
    return User.objects.get(username=username)


def test_the_demo_logins_see_their_share_of_the_city(city, client):
    leader = login(client, "leader")
    assigned = city_companies().filter(assignments__leader=leader.person)
    assert assigned.count() >= SIZES["companies"] // (SIZES["leaders"] + 2)
    led = Visit.objects.filter(leader=leader.person, company__in=city_companies())
    assert led.count() >= SIZES["visits"] // (SIZES["leaders"] + 3)
    response = client.get(reverse("activities:visit_list"))
    assert response.status_code == 200
    assert assigned.first().name in response.text

    member = login(client, "member")
    company = city_companies().active().order_by("pk").first()
    response = client.get(reverse("members:company_list"), {"q": company.name_initials})
    assert response.status_code == 200
    assert company.name in response.text
    own = Problem.objects.filter(company=member.person.company, visit=None)
    assert own.count() > SIZES["member_problems"]
    signed_up = Registration.objects.filter(person=member.person, event__title__contains="区")
    assert signed_up.count() == SIZES["member_registrations"]
    assert client.get(reverse("members:me")).status_code == 200
    response = client.get(reverse("activities:calendar"))
    assert response.status_code == 200
    today = timezone.localdate()
    this_month = Event.objects.filter(
        title__contains="区",
        audience=Event.Audience.MEMBERS,
        starts_at__year=today.year,
        starts_at__month=today.month,
    )
    # Looked for on each one's day: a month's grid shows three events a day before "N more",
    # and on some days the demo's own events fill them.
    day_lists = {
        event.title: f"{reverse('activities:calendar')}?day={event.local_start:%Y-%m-%d}"
        for event in this_month
    }
    assert any(title in client.get(url).text for title, url in day_lists.items())

    login(client, "president")
    for name in ("activities:problem_list", "activities:visit_compliance", "charity:overview"):
        assert client.get(reverse(name)).status_code == 200


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY and keys: PostgreSQL only")
def test_on_postgresql_the_keys_and_indexes_dropped_for_the_load_are_back(db, demo_settings):
    tables = [model._meta.db_table for model in WRITTEN]

    def schema():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = ANY(%s::regclass[]) ORDER BY conname",
                [tables],
            )
            constraints = cursor.fetchall()
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) "
                "ORDER BY indexname",
                [tables],
            )
            return constraints, cursor.fetchall()

    before = schema()
    assert any("FOREIGN KEY" in definition for _, definition in before[0])
    seed_demo(scale="city", city_factor=FACTOR)

    assert schema() == before
    connection.check_constraints()


def test_it_refuses_to_run_with_debug_off_unless_forced(db, demo_settings):
    demo_settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        seed_demo(scale="city", city_factor=FACTOR)
    assert not Company.objects.exists()
