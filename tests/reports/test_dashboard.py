"""The dashboard's figures, counted by the database, against a chamber built and counted by
hand; its lists capped with a link to the full ones."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from activities.models import Event, Problem
from activities.models.events import quarter_of
from activities.visits.compliance import compliance_board
from chamber.models import Position
from charity.models import Donation
from members.models import Company
from reports.dashboard import (
    BEHIND_SHOWN,
    MEETINGS_SHOWN,
    board_this_month,
    donations,
    membership,
    open_problems,
    visits_this_month,
)
from reports.metrics import local_midnight

from ..activities.events.factories import EventFactory, RegistrationFactory, in_days
from ..activities.visits.factories import ProblemFactory, VisitFactory
from ..charity.factories import DonationFactory
from ..factories import CompanyFactory, PersonFactory, PositionFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def test_the_home_page_counts_this_month_as_the_compliance_board_does(
    president, leader, other_leader
):
    today = timezone.localdate()
    a, b = CompanyFactory(), CompanyFactory()
    VisitFactory(leader=leader.person, company=a, visited_on=today)
    VisitFactory(leader=leader.person, company=a, visited_on=today)  # the same company: once
    VisitFactory(leader=president.person, company=b, visited_on=today, companions=[leader.person])
    VisitFactory(leader=other_leader.person, company=a, visited_on=today - 40 * DAY)

    month = visits_this_month(today)

    assert month == board_this_month(compliance_board(today.year, today), today)
    assert (month["leaders"], month["met"], month["done"]) == (3, 1, 3)
    assert [(e["leader"], e["done"]) for e in month["behind"]] == [
        (president.person, 1),
        (other_leader.person, 0),
    ]


def test_the_leaders_behind_are_named_up_to_a_limit_and_the_rest_counted(
    client, secretary, president, term
):
    executives = [
        PositionFactory(
            person=PersonFactory(name=f"执委{n:02d}号"), term=term, title=Position.Title.EXECUTIVE
        ).person
        for n in range(BEHIND_SHOWN + 2)
    ]
    client.force_login(secretary)
    response = client.get(reverse("reports:dashboard"), HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()

    # The president first, then the executives by name: three are left for the board.
    assert response.context["visits"]["behind_count"] == BEHIND_SHOWN + 3
    assert len(response.context["visits"]["behind_shown"]) == BEHIND_SHOWN
    assert president.person.name in page
    assert [p.name in page for p in executives] == [True] * (BEHIND_SHOWN - 1) + [False] * 3
    assert "and 3 more on the compliance board" in page
    year = timezone.localdate().year
    assert f"{reverse('activities:visit_compliance')}?year={year}" in page


def test_the_home_page_caps_the_leaders_behind_too(client, president, term):
    for n in range(BEHIND_SHOWN + 1):
        PositionFactory(
            person=PersonFactory(name=f"执委{n:02d}号"), term=term, title=Position.Title.EXECUTIVE
        )
    client.force_login(president)
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "执委00号" in page and f"执委{BEHIND_SHOWN:02d}号" not in page
    assert "and 2 more on the compliance board" in page


def test_the_quarters_sharing_meetings_are_listed_up_to_a_limit(client, supervisor):
    now = timezone.now()
    today = timezone.localdate()
    quarter = quarter_of(today)
    start = local_midnight(datetime.date(today.year, 3 * quarter - 2, 1))
    number = MEETINGS_SHOWN + 2
    for n in range(number):
        EventFactory(kind=Event.Kind.SHARING, starts_at=start + (now - start) * n / number)
    client.force_login(supervisor)
    response = client.get(reverse("reports:dashboard"), HTTP_ACCEPT_LANGUAGE="en")

    meeting = response.context["meeting"]
    assert (len(meeting["held"]), len(meeting["held_shown"])) == (number, MEETINGS_SHOWN)
    assert "and 2 more this quarter" in response.content.decode()


def test_open_problems_are_counted_by_category_age_and_due_date():
    today = timezone.localdate()
    financing, legal = Problem.Category.FINANCING, Problem.Category.LEGAL
    ProblemFactory(visit=None, category=financing, raised_on=today - 10 * DAY)
    ProblemFactory(
        visit=None, category=financing, raised_on=today - 45 * DAY, due_on=today - 15 * DAY
    )
    ProblemFactory(
        visit=None,
        category=legal,
        raised_on=today - 100 * DAY,
        status=Problem.Status.IN_PROGRESS,
    )
    ProblemFactory(
        visit=None,
        category=legal,
        raised_on=today - 5 * DAY,
        status=Problem.Status.SOLVED,
        resolution="已协调",
        resolved_on=today,
    )

    problems = open_problems(today)

    assert [
        (row["value"], row["ages"], row["overdue"], row["total"]) for row in problems["categories"]
    ] == [("financing", [1, 1, 0], 1, 2), ("legal", [0, 0, 1], 1, 1)]
    assert (problems["total"], problems["overdue"], problems["age_totals"]) == (3, 2, [1, 1, 1])


def test_open_problems_are_counted_afresh_once_a_problem_changes():
    today = timezone.localdate()
    problem = ProblemFactory(visit=None, raised_on=today)
    assert open_problems(today)["total"] == 1
    problem.status = Problem.Status.SOLVED
    problem.resolution = "已对接银行"
    problem.resolved_on = today
    problem.save()
    assert open_problems(today)["total"] == 0


def test_the_next_five_events_come_with_their_sign_up_counts(client, secretary):
    events = {days: EventFactory(starts_at=in_days(days)) for days in (9, 3, 7, 1, 5, 11, 2)}
    EventFactory(starts_at=in_days(0.5), is_cancelled=True)
    for status in ("registered", "registered", "waitlisted", "cancelled"):
        RegistrationFactory(event=events[1], status=status)
    client.force_login(secretary)

    upcoming = client.get(reverse("reports:dashboard")).context["upcoming"]

    assert upcoming == [events[days] for days in (1, 2, 3, 5, 7)]
    assert (upcoming[0].taken, upcoming[0].waiting) == (2, 1)
    assert (upcoming[1].taken, upcoming[1].waiting) == (0, 0)


def test_donations_are_the_money_received_in_each_of_the_last_six_years():
    today = timezone.localdate()
    DonationFactory(amount=Decimal("1000.50"), donated_on=datetime.date(today.year, 1, 1))
    DonationFactory(amount=Decimal("99.50"), donated_on=datetime.date(today.year, 1, 2))
    DonationFactory(
        amount=Decimal("5000"),
        donated_on=datetime.date(today.year, 1, 3),
        status=Donation.Status.PLEDGED,
    )
    DonationFactory(amount=Decimal("300"), donated_on=datetime.date(today.year - 5, 12, 31))
    DonationFactory(amount=Decimal("700"), donated_on=datetime.date(today.year - 6, 12, 31))

    money = donations(today)

    assert (money["this_year"], money["last_year"]) == (Decimal("1100.00"), 0)
    assert money["rows"] == [(str(today.year - 5), Decimal("300.00"))] + [
        (str(year), 0) for year in range(today.year - 4, today.year)
    ] + [(str(today.year), Decimal("1100.00"))]


def test_members_are_counted_at_each_year_end_with_joins_and_leavers():
    today = timezone.localdate()
    first = today.year - 5
    CompanyFactory(member_since=datetime.date(first - 3, 1, 1))
    CompanyFactory(member_since=None)  # joined before anyone kept count
    CompanyFactory(member_since=datetime.date(today.year, 1, 1))
    gone = CompanyFactory(member_since=datetime.date(first + 1, 3, 1))
    gone.status = Company.Status.LEFT
    gone.save()  # its history records when it left: this year
    long_gone = CompanyFactory(member_since=datetime.date(first - 2, 1, 1), status="left")
    long_gone.history.all().delete()  # left before there was any history

    rows = membership(today)["rows"]

    assert [(r["year"], r["joined"], r["left"], r["count"]) for r in rows] == [
        (first, 0, 0, 2),
        (first + 1, 1, 0, 3),
        (first + 2, 0, 0, 3),
        (first + 3, 0, 0, 3),
        (first + 4, 0, 0, 3),
        (today.year, 1, 1, 3),
    ]


def test_the_dashboard_shows_a_new_event_at_once_and_an_ended_one_leaves(client, supervisor):
    """The figures come rendered from the shared cache: still a new event shows at once, and
    one listed leaves once it has ended, with no row written."""
    soon = timezone.now() + datetime.timedelta(minutes=30)
    ending = EventFactory(
        title="午间政策快讲", starts_at=soon - datetime.timedelta(hours=1), ends_at=soon
    )
    client.force_login(supervisor)
    client.get(reverse("reports:dashboard"))
    assert ending.title in client.get(reverse("reports:dashboard")).content.decode()

    coming = EventFactory(title="秋季企业家沙龙", starts_at=in_days(3))
    assert coming.title in client.get(reverse("reports:dashboard")).content.decode()
    with time_machine.travel(soon + datetime.timedelta(minutes=1)):
        page = client.get(reverse("reports:dashboard")).content.decode()
    assert ending.title not in page and coming.title in page


def test_the_dashboard_lists_only_the_events_each_viewer_may_see(client, secretary, supervisor):
    EventFactory(title="秘书处内部培训", audience=Event.Audience.STAFF, starts_at=in_days(2))
    client.force_login(secretary)
    assert "秘书处内部培训" in client.get(reverse("reports:dashboard")).content.decode()
    client.force_login(supervisor)
    assert "秘书处内部培训" not in client.get(reverse("reports:dashboard")).content.decode()
