"""The member's liaison card on /me/ (联系服务表): who in the chamber looks after their company."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from chamber.models import Position
from tests.activities.visits.factories import AssignmentFactory
from tests.factories import PersonFactory, PositionFactory, TermFactory

pytestmark = pytest.mark.django_db


def liaison_card(client) -> str:
    html = client.get(reverse("members:me")).content.decode()
    start = html.index('id="liaison-heading"')
    return html[start : html.index("</section>", start)]


def test_the_card_shows_the_leaders_chamber_seat_not_their_job_at_their_company(
    client, member, leader
):
    term = leader.person.positions.get().term
    leader.person.title = "总经理"
    leader.person.mobile = "13800001234"
    leader.person.save()
    AssignmentFactory(term=term, leader=leader.person, company=member.person.company)
    client.force_login(member)

    html = liaison_card(client)

    assert "我们的联系领导" in html
    assert "副会长甲 · 副会长" in html
    assert "总经理" not in html
    assert 'href="tel:13800001234"' in html


def test_a_leader_with_two_seats_shows_the_higher_and_last_terms_seat_is_not_shown(client, member):
    today = timezone.localdate()
    term = TermFactory(number=8)
    old = TermFactory(
        number=7,
        starts_on=today - datetime.timedelta(days=3000),
        ends_on=term.starts_on - datetime.timedelta(days=1),
    )
    person = PersonFactory(name="常务乙", title="董事长")
    PositionFactory(person=person, term=term, title=Position.Title.EXECUTIVE)
    PositionFactory(person=person, term=term, title=Position.Title.EXECUTIVE_VICE_PRESIDENT)
    PositionFactory(person=person, term=old, title=Position.Title.PRESIDENT)
    AssignmentFactory(term=term, leader=person, company=member.person.company)
    client.force_login(member)

    html = liaison_card(client)

    assert "常务乙 · 常务副会长" in html
    assert "董事长" not in html and "常务乙 · 会长" not in html


def test_the_page_keeps_its_query_budget_with_several_leaders_and_their_seats(
    client, member, django_assert_max_num_queries
):
    term = TermFactory(number=8)
    for n in range(4):
        person = PersonFactory(name=f"领导{n}")
        PositionFactory(person=person, term=term, title=Position.Title.VICE_PRESIDENT)
        AssignmentFactory(term=term, leader=person, company=member.person.company)
    client.force_login(member)

    # The first visit renders /me/'s cached sections and writes them to the database cache
    # (SQL here, not with Redis): bounded, and the visit after keeps the page's budget.
    with django_assert_max_num_queries(45):
        client.get(reverse("members:me"))
    with django_assert_max_num_queries(6):  # the session, the roles, the cache, the feed
        html = client.get(reverse("members:me")).content.decode()

    assert html.count(" · 副会长") == 4
