"""No open sign-up: the secretariat invites people from the admin, by a set-password email."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.admin.models import ADDITION, LogEntry
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from chamber.models import User
from chamber.services import invite_person
from tests.factories import PersonFactory, UserFactory

PERSON_CHANGELIST = reverse("admin:members_person_changelist")
USER_CHANGELIST = reverse("admin:chamber_user_changelist")
NEW_PASSWORD = "Xujing-2026-shanghui"


def invite(client, *people):
    return client.post(
        PERSON_CHANGELIST,
        {"action": "invite_to_log_in", "_selected_action": [person.pk for person in people]},
        follow=True,
    )


def link_in(message) -> str:
    return re.search(r"https?://testserver/accounts/password/reset/key/\S+", message.body)[0]


def set_password_by_link(client, link: str, password: str):
    """Follow the emailed link as allauth expects: GET it, then POST the new password."""
    response = client.get(link, follow=True)
    assert response.status_code == 200
    assert "form" in response.context and not response.context.get("token_fail")
    set_password_url = response.redirect_chain[-1][0]
    return client.post(
        set_password_url, {"password1": password, "password2": password}, follow=True
    )


def log_in(client, login: str, password: str) -> bool:
    client.post(reverse("account_login"), {"login": login, "password": password})
    return "_auth_user_id" in client.session


@pytest.fixture
def wang(db):
    return PersonFactory(name="王丽", email="Wang.Li@example.com")


@pytest.fixture
def zhang(db):
    return PersonFactory(name="张伟", email="zhang.wei@example.com")


def test_secretary_invites_two_people_who_then_set_a_password_and_log_in(
    client, secretary, wang, zhang
):
    client.force_login(secretary)

    response = invite(client, wang, zhang)

    assert response.status_code == 200
    page = response.content.decode()
    assert "已发送设置密码链接" in page and "王丽" in page and "张伟" in page
    wang_user = User.objects.get(person=wang)
    zhang_user = User.objects.get(person=zhang)
    assert (wang_user.username, wang_user.email) == ("wang.li", "wang.li@example.com")
    assert (zhang_user.username, zhang_user.email) == ("zhang.wei", "zhang.wei@example.com")
    assert not wang_user.has_usable_password() and wang_user.is_active
    assert not wang_user.is_staff and not wang_user.is_superuser
    assert EmailAddress.objects.filter(
        user=wang_user, email="wang.li@example.com", primary=True, verified=True
    ).exists()

    assert sorted(m.to[0] for m in mail.outbox) == ["wang.li@example.com", "zhang.wei@example.com"]
    message = next(m for m in mail.outbox if m.to == ["wang.li@example.com"])
    assert message.subject == f"【商会工作台】您在{settings.CHAMBER_NAME}工作台的账号"
    assert "王丽，您好" in message.body
    assert f"{settings.CHAMBER_NAME}的秘书长甲已为您在商会工作台开通了账号" in message.body
    assert "您的用户名：wang.li" in message.body
    assert "该链接 3 天内有效" in message.body
    assert "http://testserver/accounts/login/" in message.body

    client.logout()
    response = set_password_by_link(client, link_in(message), NEW_PASSWORD)
    assert response.status_code == 200
    wang_user.refresh_from_db()
    assert wang_user.check_password(NEW_PASSWORD)

    assert log_in(client, "wang.li@example.com", NEW_PASSWORD)
    client.logout()
    assert log_in(client, "wang.li", NEW_PASSWORD)
    assert int(client.session["_auth_user_id"]) == wang_user.pk


def test_the_link_works_only_once(client, secretary, wang):
    invite_person(person=wang, acting_user=secretary)
    link = (
        "http://testserver" + re.search(r"/accounts/password/reset/key/\S+", mail.outbox[0].body)[0]
    )

    set_password_by_link(client, link, NEW_PASSWORD)
    response = client.get(link, follow=True)

    assert response.context["token_fail"]
    assert User.objects.get(person=wang).check_password(NEW_PASSWORD)


def test_a_person_without_an_email_is_skipped_with_a_message(client, secretary, wang):
    nomail = PersonFactory(name="李强", email="")
    client.force_login(secretary)

    response = invite(client, wang, nomail)

    assert "以下人员没有电子邮箱，未发送邀请：李强。" in response.content.decode()
    assert not User.objects.filter(person=nomail).exists()
    assert User.objects.filter(person=wang).exists()
    assert [m.to for m in mail.outbox] == [["wang.li@example.com"]]


def test_a_member_cannot_invite_anyone(client, member, wang):
    client.force_login(member)

    response = client.post(
        PERSON_CHANGELIST, {"action": "invite_to_log_in", "_selected_action": [wang.pk]}
    )

    assert response.status_code in (302, 403)
    assert not User.objects.filter(person=wang).exists()
    assert mail.outbox == []


def test_a_supervisor_sees_the_people_but_cannot_invite_them(client, supervisor, wang):
    client.force_login(supervisor)

    response = invite(client, wang)

    assert response.status_code == 200
    assert "invite_to_log_in" not in response.content.decode()
    assert not User.objects.filter(person=wang).exists()
    assert mail.outbox == []


def test_reinviting_reuses_the_same_account(client, secretary, wang):
    client.force_login(secretary)
    invite(client, wang)
    first = User.objects.get(person=wang)

    invite(client, wang)

    assert User.objects.filter(person=wang).count() == 1
    assert User.objects.get(person=wang).username == first.username == "wang.li"
    assert EmailAddress.objects.filter(user=first).count() == 1
    assert len(mail.outbox) == 2
    assert "您的用户名：wang.li" in mail.outbox[1].body


def test_reinviting_someone_who_already_logs_in_keeps_their_password(secretary, member):
    invite_person(person=member.person, acting_user=secretary)

    member.refresh_from_db()
    assert member.has_usable_password()
    assert member.email == member.person.email.lower()
    assert mail.outbox[0].to == [member.person.email.lower()]


def test_secretary_resends_the_link_from_the_account_list(client, secretary, wang):
    invite_person(person=wang, acting_user=secretary)
    user = User.objects.get(person=wang)
    unlinked = UserFactory(username="nobody", person=None)
    client.force_login(secretary)

    response = client.post(
        USER_CHANGELIST,
        {"action": "send_password_set_link", "_selected_action": [user.pk, unlinked.pk]},
        follow=True,
    )

    page = response.content.decode()
    assert "已发送设置密码链接：王丽。" in page
    assert "以下账号未关联人员，未发送：nobody。" in page
    assert [m.to for m in mail.outbox] == [["wang.li@example.com"]] * 2


def test_usernames_are_made_unique(secretary, wang):
    UserFactory(username="wang.li", email="another.wang@example.com", person=None)

    user = invite_person(person=wang, acting_user=secretary)

    assert user.username == "wang.li2"
    assert "您的用户名：wang.li2" in mail.outbox[0].body


def test_an_email_used_by_another_account_is_refused_and_nothing_is_created(
    client, secretary, wang
):
    UserFactory(username="taken", email="wang.li@example.com", person=None)
    client.force_login(secretary)

    response = invite(client, wang)

    assert "未能邀请王丽：邮箱 wang.li@example.com 已被其他账号（taken）使用。" in (
        response.content.decode()
    )
    assert not User.objects.filter(person=wang).exists()
    assert mail.outbox == []


def test_a_deactivated_account_is_not_invited(secretary, wang):
    UserFactory(username="wangli", person=wang, is_active=False)

    with pytest.raises(ValidationError) as error:
        invite_person(person=wang, acting_user=secretary)

    assert error.value.code == "inactive"
    assert mail.outbox == []


def test_the_invitation_is_logged_against_the_account(secretary, wang):
    user = invite_person(person=wang, acting_user=secretary)

    entry = LogEntry.objects.get(object_id=str(user.pk), content_type__model="user")
    assert entry.user == secretary
    assert entry.action_flag == ADDITION
    assert "wang.li@example.com" in entry.change_message
