"""Who may read a notice: all members, the leadership, or a working group; drafts and
scheduled notices only for the secretariat; expired ones leave the lists."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from notices.models import Notice
from tests.factories import GroupMembershipFactory, PersonFactory, TermFactory, UserFactory

from .factories import NoticeFactory

PERSONAS = ["secretary", "president", "leader", "other_leader", "supervisor", "member", "outsider"]
ALL_BUT_OUTSIDER = set(PERSONAS) - {"outsider"}
READERS = {
    Notice.Audience.MEMBERS: ALL_BUT_OUTSIDER,
    # The leadership (班子成员), and the secretariat, president and supervisors who see all.
    Notice.Audience.LEADERSHIP: {"secretary", "president", "leader", "other_leader", "supervisor"},
    # The group's members this term (the other leader), and those who see all.
    Notice.Audience.GROUP: {"secretary", "president", "supervisor", "other_leader"},
}


@pytest.fixture
def notices(membership_group):
    return {
        Notice.Audience.MEMBERS: NoticeFactory(title="致全体会员的通知"),
        Notice.Audience.LEADERSHIP: NoticeFactory(
            title="致班子成员的通知", audience=Notice.Audience.LEADERSHIP
        ),
        Notice.Audience.GROUP: NoticeFactory(
            title="致会员发展工作小组的通知",
            audience=Notice.Audience.GROUP,
            group=membership_group,
        ),
    }


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_reads_the_notices_for_their_audience_and_no_others(
    client, request, notices, persona
):
    client.force_login(request.getfixturevalue(persona))
    listing = client.get(reverse("notices:notice_list")).content.decode()
    for audience, notice in notices.items():
        may_read = persona in READERS[audience]
        assert (notice.title in listing) is may_read, (persona, audience)
        status = client.get(notice.get_absolute_url()).status_code
        assert status == (200 if may_read else 404), (persona, audience)


def test_a_group_notice_is_for_the_groups_members_of_the_current_term_only(
    client, notices, membership_group, leader, other_leader
):
    group_notice = notices[Notice.Audience.GROUP]
    client.force_login(leader)
    assert client.get(group_notice.get_absolute_url()).status_code == 404
    # Last term's seat in the group does not count.
    old_term = TermFactory(
        number=7,
        starts_on=datetime.date(2010, 1, 1),
        ends_on=datetime.date(2014, 12, 31),
    )
    GroupMembershipFactory(group=membership_group, person=leader.person, term=old_term)
    assert client.get(group_notice.get_absolute_url()).status_code == 404


def test_drafts_and_scheduled_notices_are_for_the_secretariat_only(client, secretary, member):
    draft = NoticeFactory(title="尚在起草的通知", publish_at=None)
    scheduled = NoticeFactory(
        title="明天发布的通知", publish_at=timezone.now() + datetime.timedelta(days=1)
    )
    client.force_login(member)
    listing = client.get(reverse("notices:notice_list")).content.decode()
    assert "尚在起草的通知" not in listing and "明天发布的通知" not in listing
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(scheduled.get_absolute_url()).status_code == 404

    client.force_login(secretary)
    listing = client.get(reverse("notices:notice_list")).content.decode()
    assert "尚在起草的通知" in listing and "明天发布的通知" in listing
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "草稿：仅秘书处可见" in page


def test_an_expired_notice_leaves_the_list_but_its_page_still_opens(client, member):
    expired = NoticeFactory(
        title="已过期的会费通知",
        publish_at=timezone.now() - datetime.timedelta(days=30),
        expires_at=timezone.now() - datetime.timedelta(days=1),
    )
    client.force_login(member)
    assert "已过期的会费通知" not in client.get(reverse("notices:notice_list")).content.decode()
    page = client.get(expired.get_absolute_url()).content.decode()
    assert "已过期的会费通知" in page and "已过期" in page


def test_pinned_notices_come_first(client, member):
    NoticeFactory(title="较新的普通通知", publish_at=timezone.now() - datetime.timedelta(hours=1))
    NoticeFactory(
        title="较早的置顶通知",
        is_pinned=True,
        publish_at=timezone.now() - datetime.timedelta(days=5),
    )
    client.force_login(member)
    listing = client.get(reverse("notices:notice_list")).content.decode()
    assert listing.index("较早的置顶通知") < listing.index("较新的普通通知")


def test_the_recipients_are_the_audience_with_a_login_and_not_the_secretariat(
    notices, secretary, president, leader, other_leader, supervisor, member, outsider
):
    PersonFactory(name="没有账号的联系人")  # a member company's contact without a login
    UserFactory(username="former", person=PersonFactory(name="停用账号的人"), is_active=False)

    def names(audience):
        return set(notices[audience].recipients().values_list("name", flat=True))

    assert names(Notice.Audience.MEMBERS) == {
        president.person.name,
        leader.person.name,
        other_leader.person.name,
        supervisor.person.name,
        member.person.name,
    }
    assert names(Notice.Audience.LEADERSHIP) == {
        president.person.name,
        leader.person.name,
        other_leader.person.name,
    }
    assert names(Notice.Audience.GROUP) == {other_leader.person.name}


def test_the_outsider_is_told_why_there_are_no_notices(client, outsider):
    NoticeFactory(title="致全体会员的通知")
    client.force_login(outsider)
    page = client.get(reverse("notices:notice_list")).content.decode()
    assert "致全体会员的通知" not in page
    assert "目前没有发给您的通知" in page
