"""Read receipts: opening a notice counts as reading it, once per person; staff see who has
read it and email those who have not; the pages cost a fixed number of queries."""

import datetime

import pytest
from django.contrib.admin.models import LogEntry
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from chamber.roles import roles_for
from core.notifications.models import Message
from notices.models import Notice, NoticeRead
from notices.sections import home_notices
from tests.factories import CompanyFactory, PersonFactory, UserFactory

from .factories import NoticeFactory, NoticeReadFactory


@pytest.fixture
def notice(db):
    return NoticeFactory(title="关于召开第四季度例会的通知")


def test_opening_a_notice_counts_it_as_read_once(client, member, notice):
    client.force_login(member)
    client.get(notice.get_absolute_url())
    first = NoticeRead.objects.get(notice=notice, person=member.person)
    client.get(notice.get_absolute_url())
    assert NoticeRead.objects.filter(notice=notice).count() == 1
    assert NoticeRead.objects.get(notice=notice, person=member.person).read_at == first.read_at


def test_the_list_marks_unread_notices_until_opened(client, member, notice):
    client.force_login(member)
    listing = client.get(reverse("notices:notice_list")).content.decode()
    assert "is-unread" in listing and "未读" in listing
    client.get(notice.get_absolute_url())
    listing = client.get(reverse("notices:notice_list")).content.decode()
    assert "is-unread" not in listing
    assert "关于召开第四季度例会的通知" in listing


def test_the_unread_filter_shows_only_unread_notices(client, member, notice):
    NoticeFactory(title="已经读过的通知")
    read = Notice.objects.get(title="已经读过的通知")
    NoticeReadFactory(notice=read, person=member.person)
    client.force_login(member)
    page = client.get(reverse("notices:notice_list"), {"show": "unread"}).content.decode()
    assert "关于召开第四季度例会的通知" in page
    assert "已经读过的通知" not in page


def test_the_secretariat_who_publish_notices_are_not_counted_as_readers(client, secretary, notice):
    draft = NoticeFactory(publish_at=None)
    client.force_login(secretary)
    assert client.get(draft.get_absolute_url()).status_code == 200
    assert client.get(notice.get_absolute_url()).status_code == 200
    assert not NoticeRead.objects.exists()
    listing = client.get(reverse("notices:notice_list")).content.decode()
    assert "is-unread" not in listing and "badge-unread" not in listing


def test_staff_see_who_has_read_it_and_who_has_not(
    client, secretary, president, leader, member, notice
):
    NoticeReadFactory(notice=notice, person=president.person)
    NoticeReadFactory(notice=notice, person=member.person)
    client.force_login(secretary)
    page = client.get(notice.get_absolute_url()).content.decode()
    assert "阅读情况" in page
    reading = page[page.index("阅读情况") :]
    unread = reading[reading.index("未读（") : reading.index("已读（")]
    read = reading[reading.index("已读（") :]
    assert leader.person.name in unread
    assert president.person.name in read and member.person.name in read
    assert "未读（1）" in reading and "已读（2）" in reading


def test_members_do_not_see_who_has_read_it(client, member, president, notice):
    NoticeReadFactory(notice=notice, person=president.person)
    client.force_login(member)
    page = client.get(notice.get_absolute_url()).content.decode()
    assert "阅读情况" not in page
    assert president.person.name not in page


def test_the_secretary_emails_those_who_have_not_read_it(
    client, secretary, president, leader, member, notice
):
    NoticeReadFactory(notice=notice, person=president.person)
    no_email = PersonFactory(name="无邮箱联系人", email="")
    UserFactory(username="no_email", person=no_email, email="")
    client.force_login(secretary)
    response = client.post(reverse("notices:notice_remind", args=[notice.pk]), follow=True)
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([leader.person.email, member.person.email])
    message = mail.outbox[0]
    assert "请阅读：关于召开第四季度例会的通知" in message.subject
    assert notice.get_absolute_url() in message.body
    page = response.content.decode()
    # The one without an email address is reminded in their inbox.
    assert "已提醒 3 名未读人员" in page
    assert Message.objects.get(user__username="no_email").kind == "notice_unread"
    notice.refresh_from_db()
    assert notice.reminded_at is not None
    assert LogEntry.objects.filter(object_id=str(notice.pk), user=secretary).exists()


@pytest.mark.parametrize("persona", ["member", "supervisor", "president"])
def test_only_the_secretariat_may_send_reminders(client, request, persona, notice):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(reverse("notices:notice_remind", args=[notice.pk]))
    assert response.status_code == 403
    assert mail.outbox == []


def test_the_home_page_shows_the_persons_notices_pinned_first_unread_marked(client, member, notice):
    NoticeFactory(
        title="置顶的通知", is_pinned=True, publish_at=timezone.now() - datetime.timedelta(days=3)
    )
    NoticeFactory(title="班子成员的通知", audience=Notice.Audience.LEADERSHIP)
    NoticeReadFactory(notice=notice, person=member.person)
    client.force_login(member)
    home = client.get(reverse("chamber:home")).content.decode()
    section = home[home.index('class="card home-notices"') :]
    section = section[: section.index("</section>")]
    assert section.index("置顶的通知") < section.index("关于召开第四季度例会的通知")
    assert "班子成员的通知" not in section
    assert "1 条未读" in section


def test_the_home_page_has_no_notices_section_for_an_outsider(client, outsider, notice):
    client.force_login(outsider)
    assert "home-notices" not in client.get(reverse("chamber:home")).content.decode()


def many_people_and_notices(n: int):
    for i in range(n):
        person = PersonFactory(company=CompanyFactory())
        UserFactory(person=person)
        notice = NoticeFactory(is_pinned=i % 3 == 0)
        NoticeReadFactory(notice=notice, person=person)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("persona", ["secretary", "member", "leader"])
def test_notice_pages_and_home_take_a_fixed_number_of_queries(client, request, persona, notice):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    urls = [reverse("notices:notice_list"), notice.get_absolute_url(), reverse("chamber:home")]
    client.get(notice.get_absolute_url())  # the first opening writes the receipt
    # The first home page after a change counts the visits into the shared cache
    # (core.counts): warm each page once, then measure the everyday request.
    few = [(client.get(url), count_queries(client, url))[1] for url in urls]
    many_people_and_notices(30)
    many = [(client.get(url), count_queries(client, url))[1] for url in urls]
    assert many == few, (urls, few, many)
    # The notice pages stay within the budget; the home page holds every app's sections.
    assert max(many[:2]) <= 15, (urls, many)


@pytest.mark.parametrize("persona", ["secretary", "member", "supervisor", "outsider"])
def test_the_home_section_costs_two_queries_when_rendered_afresh(rf, request, persona, notice):
    # The notices, and when the clock next publishes or expires one (the home page keeps
    # the section rendered until then, or until a notice or a reading changes).
    many_people_and_notices(10)
    http_request = rf.get("/")
    http_request.user = request.getfixturevalue(persona)
    http_request.roles = roles_for(http_request.user)
    with CaptureQueriesContext(connection) as context:
        home_notices(http_request)
    assert len(context.captured_queries) == 2


def test_the_admin_action_emails_the_unread_of_the_selected_notices(
    client, secretary, leader, member, notice
):
    NoticeReadFactory(notice=notice, person=leader.person)
    client.force_login(secretary)
    response = client.post(
        reverse("admin:notices_notice_changelist"),
        {"action": "remind_unread", "_selected_action": [notice.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert member.person.email in [address for m in mail.outbox for address in m.to]
    assert leader.person.email not in [address for m in mail.outbox for address in m.to]


@pytest.mark.parametrize("persona", ["secretary", "supervisor"])
def test_the_admin_lists_notices_with_their_readers_in_few_queries(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    url = reverse("admin:notices_notice_changelist")
    few = count_queries(client, url)
    many_people_and_notices(20)
    page = client.get(url).content.decode()
    assert "已读人数" in page
    assert count_queries(client, url) == few
