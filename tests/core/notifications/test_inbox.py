"""/inbox/: everyone logged in reads their own messages (and nobody else's), newest first, in
a fixed number of queries; the header shows the unread count; /me/ and /inbox/ keep the
person's choice of channels."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.notifications.models import Message, NotificationPreference
from tests.conftest import PERSONAS
from tests.notices.factories import NoticeFactory

INBOX = reverse("notifications:inbox")


def tell(users, count=1, title="例会通知"):
    """``count`` messages to each user, through the service."""
    from core.notifications import notify

    notice = NoticeFactory(title=title)
    for n in range(count):
        notify(users, "notice_unread", {"notice": notice, "url": f"http://testserver/n/{n}/"})


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("persona", PERSONAS)
def test_everyone_logged_in_sees_only_their_own_messages(client, request, persona, member):
    user = request.getfixturevalue(persona)
    other = member if persona != "member" else request.getfixturevalue("leader")
    tell([user], title="给我的通知")
    tell([other], title="给别人的通知")
    client.force_login(user)

    page = client.get(INBOX).content.decode()

    assert "请阅读：给我的通知" in page
    assert "给别人的通知" not in page
    theirs = Message.objects.get(user=other)
    assert client.get(reverse("notifications:message", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(INBOX)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_newest_first_and_opening_marks_read(client, member):
    tell([member], title="旧通知")
    tell([member], title="新通知")
    client.force_login(member)
    page = client.get(INBOX).content.decode()
    assert page.index("新通知") < page.index("旧通知")
    assert "2 条未读消息" in page

    newest = Message.objects.filter(user=member).order_by("-pk").first()
    detail = client.get(reverse("notifications:message", args=[newest.pk])).content.decode()
    assert "新通知" in detail and "http://testserver/n/0/" in detail
    newest.refresh_from_db()
    assert newest.read_at is not None
    assert "1 条未读消息" in client.get(INBOX).content.decode()


def test_mark_all_as_read(client, member, leader):
    tell([member, leader], count=3)
    client.force_login(member)
    response = client.post(reverse("notifications:read_all"), follow=True)
    assert "全部消息已标为已读" in response.content.decode()
    assert not Message.objects.filter(user=member, read_at__isnull=True).exists()
    assert Message.objects.filter(user=leader, read_at__isnull=True).count() == 3
    assert client.get(reverse("notifications:read_all")).status_code == 405


def test_the_header_shows_the_unread_count(client, member):
    tell([member], count=3)
    client.force_login(member)
    home = client.get(reverse("chamber:home")).content.decode()
    assert '<span class="inbox-count">3</span>' in home
    client.post(reverse("notifications:read_all"))
    home = client.get(reverse("chamber:home")).content.decode()
    assert "inbox-count" not in home


def test_the_inbox_costs_the_same_queries_for_1_and_50_messages(
    client, member, django_assert_max_num_queries
):
    tell([member], count=1)
    client.force_login(member)
    few = queries(client, INBOX)
    tell([member], count=49)
    with django_assert_max_num_queries(few):
        page = client.get(INBOX).content.decode()
    assert page.count('<li class="inbox-row') == 20  # one page
    assert "50 条未读消息" in page
    assert queries(client, INBOX + "?page=3") == few
    # The header's count is one query on every page: the home page with 1 or 50 unread.
    tell([member], count=1)
    home = reverse("chamber:home")
    few = queries(client, home)
    tell([member], count=10)
    with django_assert_max_num_queries(few):
        client.get(home)


def test_a_page_of_the_inbox_is_one_query_with_its_count(
    client, member, leader, django_assert_num_queries
):
    """The page's rows carry the number of all the messages (a window): the session, the
    account and that one query, on the first page, the last, and an empty inbox."""
    client.force_login(member)
    with django_assert_num_queries(3):
        assert "inbox-row" not in client.get(INBOX).content.decode()
    for n in range(45):
        tell([member], title=f"通知{n:02d}")
    tell([leader], title="别人的通知")
    with django_assert_num_queries(3):
        page = client.get(INBOX).content.decode()
    assert page.count('<li class="inbox-row') == 20 and "第 1 页，共 3 页" in page
    assert "通知44" in page and "通知25" in page and "通知24" not in page
    with django_assert_num_queries(3):
        page = client.get(INBOX, {"page": "3"}).content.decode()
    assert page.count('<li class="inbox-row') == 5 and "第 3 页，共 3 页" in page
    assert "通知04" in page and "通知00" in page and "别人的通知" not in page
    # Past the last page: the last, as the paginator answers it (with a count first).
    page = client.get(INBOX, {"page": "7"}).content.decode()
    assert "第 3 页，共 3 页" in page and "通知00" in page


@pytest.mark.parametrize("page", ["0", "-1", "abc", "999999", "1" * 300])
def test_any_page_number_answers(client, member, page):
    tell([member])
    client.force_login(member)
    assert client.get(INBOX, {"page": page}).status_code == 200


def test_a_person_chooses_channels_on_me_and_the_choice_is_kept(client, member, capsys):
    client.force_login(member)
    me = client.get(reverse("members:me")).content.decode()
    assert "联系您的方式" in me and 'name="sms" checked' in me

    response = client.post(
        reverse("notifications:channels"), {"email": "on", "next": "/me/"}, follow=False
    )
    assert response.status_code == 302 and response["Location"] == "/me/"
    choice = NotificationPreference.objects.get(user=member)
    assert (choice.email, choice.sms, choice.wechat) == (True, False, False)
    me = client.get(reverse("members:me")).content.decode()
    assert 'name="email" checked' in me and 'name="sms" checked' not in me


def test_the_channel_form_never_redirects_off_the_site(client, member):
    client.force_login(member)
    response = client.post(reverse("notifications:channels"), {"next": "https://evil.example.com/"})
    assert response["Location"] == INBOX


ADMIN_PAGES = [
    reverse("admin:core_message_changelist"),
    reverse("admin:core_delivery_changelist"),
    reverse("admin:core_delivery_changelist") + "?status__exact=failed",
    reverse("admin:core_message_changelist") + "?failed=1",
]


def test_the_secretariat_sees_who_got_each_message_how(client, secretary, member, leader):
    tell([member, leader])
    client.force_login(secretary)
    page = client.get(ADMIN_PAGES[0]).content.decode()
    assert "联系人甲" in page and "收件箱 ✓" in page and "邮件 ✓" in page
    message = Message.objects.get(user=member)
    detail = client.get(reverse("admin:core_message_change", args=[message.pk])).content.decode()
    assert "person" not in detail or "联系人甲" in detail
    assert member.person.email in detail
    for url in ADMIN_PAGES[1:]:
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("persona", ["supervisor", "president", "leader", "member", "outsider"])
def test_no_one_else_sees_the_record(client, request, persona, member):
    tell([member])
    client.force_login(request.getfixturevalue(persona))
    message = Message.objects.get()
    urls = [*ADMIN_PAGES, reverse("admin:core_message_change", args=[message.pk])]
    for url in urls:
        response = client.get(url)
        # Staff without the rule get a 403; everyone else the admin's login page.
        assert response.status_code in (302, 403), url
        assert member.person.email not in response.content.decode()


def test_the_admin_hides_an_invitations_text(client, secretary, member):
    from core.notifications import notify

    notify(
        [member],
        "invitation",
        {
            "email_to": member.person.email,
            "username": "member",
            "email": member.person.email,
            "inviter_name": "秘书长",
            "password_set_url": "http://testserver/accounts/password/reset/key/secret-token/",
            "login_url": "http://testserver/login/",
            "expires_days": 3,
        },
    )
    client.force_login(secretary)
    message = Message.objects.get()
    detail = client.get(reverse("admin:core_message_change", args=[message.pk])).content.decode()
    assert "secret-token" not in detail
    assert "不显示" in detail
