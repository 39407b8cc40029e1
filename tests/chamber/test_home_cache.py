"""The home page's sections kept rendered in the shared cache (core.sections, ``tables=``),
read with the page's own figures in one cache query: each shows a change at once, each viewer
sees their own, and the clock alone (an event ending, a notice published) shows too."""

import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from activities.models import Registration
from chamber.models import WorkingGroup
from tests.activities.events.factories import EventFactory, RegistrationFactory
from tests.activities.visits.factories import ProblemFactory, VisitFactory
from tests.factories import (
    GroupMembershipFactory,
    PersonFactory,
    ProspectFactory,
    UserFactory,
    WorkingGroupFactory,
)
from tests.notices.factories import NoticeFactory

HOME = reverse("chamber:home")
pytestmark = pytest.mark.django_db


def home(client) -> str:
    """The home page, read twice: the second time every section comes from the cache."""
    client.get(HOME)
    return re.sub(r"\s+", " ", client.get(HOME).content.decode())


def unread_rows(html: str) -> int:
    return html.count('class="notice-row is-unread"')


def test_a_warm_home_reads_all_its_cached_parts_in_one_cache_query(client, member):
    client.force_login(member)
    home(client)
    with CaptureQueriesContext(connection) as context:
        client.get(HOME)
    cache_reads = [q for q in context.captured_queries if '"chamber_cache"' in q["sql"]]
    assert len(cache_reads) == 1, [q["sql"] for q in cache_reads]


def test_a_notice_published_read_or_scheduled_shows_on_the_home_at_once(client, member):
    first = NoticeFactory(title="关于召开会员大会的通知")
    client.force_login(member)
    html = home(client)
    assert first.title in html and unread_rows(html) == 1

    second = NoticeFactory(title="关于缴纳年度会费的通知")
    html = home(client)
    assert second.title in html and unread_rows(html) == 2

    assert client.get(first.get_absolute_url()).status_code == 200  # opening it reads it
    assert unread_rows(home(client)) == 1

    later = timezone.now() + datetime.timedelta(hours=1)
    scheduled = NoticeFactory(title="关于春节放假安排的通知", publish_at=later)
    assert scheduled.title not in home(client)
    with time_machine.travel(later + datetime.timedelta(minutes=1)):
        assert scheduled.title in home(client)


def test_an_event_and_a_sign_up_show_on_the_home_at_once_and_an_ended_event_leaves(client, member):
    event = EventFactory(title="数字化转型沙龙")
    client.force_login(member)
    html = home(client)
    assert event.title in html and "已报名" not in html

    RegistrationFactory(event=event, person=member.person, status=Registration.Status.REGISTERED)
    assert "已报名" in home(client)

    soon = timezone.now() + datetime.timedelta(minutes=30)
    ending = EventFactory(
        title="青年企业家座谈会", starts_at=soon - datetime.timedelta(hours=1), ends_at=soon
    )
    assert ending.title in home(client)
    with time_machine.travel(soon + datetime.timedelta(minutes=1)):
        html = home(client)
    assert ending.title not in html and event.title in html


def test_a_leaders_visit_counts_in_their_month_at_once(client, leader):
    client.force_login(leader)
    assert '<p class="quota-count"><strong>0</strong>' in home(client)
    VisitFactory(leader=leader.person)
    assert '<p class="quota-count"><strong>1</strong>' in home(client)


def test_each_member_sees_their_own_companys_new_problem_at_once(client, member):
    other = UserFactory(username="other-member", person=PersonFactory(name="联系人乙"))
    client.force_login(member)
    home(client)
    client.force_login(other)
    home(client)

    ProblemFactory(visit=None, company=member.person.company, description="招工难，缺技术工人。")
    client.force_login(member)
    assert "招工难，缺技术工人" in home(client)
    client.force_login(other)
    assert "招工难，缺技术工人" not in home(client)


def test_the_development_group_sees_a_new_prospect_on_its_home_at_once(client, term):
    group = WorkingGroupFactory(name="会员发展工作小组", kind=WorkingGroup.Kind.MEMBERSHIP)
    person = PersonFactory(name="何建刚")
    group_member = UserFactory(username="grower", person=person)
    client.force_login(group_member)
    assert 'id="development-heading"' not in home(client)
    GroupMembershipFactory(group=group, person=person, term=term)  # a seat shows the card
    assert 'id="development-heading"' in home(client)
    home(client)
    ProspectFactory(
        company_name="上海新晋科技有限公司",
        owner=group_member.person,
        next_step_on=timezone.localdate(),
    )
    assert "上海新晋科技有限公司" in home(client)
