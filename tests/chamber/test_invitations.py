"""No open sign-up: the secretariat invites people from the admin, by a set-password email."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from chamber.models import SECRETARIAT_GROUP, User
from chamber.services import invite_person
from tests.factories import PASSWORD, PersonFactory, UserFactory

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
    EmailAddress.objects.create(
        user=member, email=member.person.email.lower(), primary=True, verified=True
    )

    invite_person(person=member.person, acting_user=secretary)

    member.refresh_from_db()
    assert member.has_usable_password()
    assert mail.outbox[0].to == [member.person.email.lower()]


def test_an_invitation_never_changes_an_accounts_address(client, secretary, member):
    """The roster's address changed: the link does not follow it, the person changes their
    account's address themselves."""
    EmailAddress.objects.create(
        user=member, email="member@example.com", primary=True, verified=True
    )
    member.person.email = "new.address@example.com"
    member.person.save()
    client.force_login(secretary)

    response = invite(client, member.person)

    assert (
        "账号 member 登录用的是另一个邮箱（member@example.com）。发送邀请不会更改账号的邮箱"
        in response.content.decode()
    )
    member.refresh_from_db()
    assert member.email == "member@example.com"
    assert list(EmailAddress.objects.filter(user=member).values_list("email", flat=True)) == [
        "member@example.com"
    ]
    assert mail.outbox == []


@pytest.fixture
def superuser_with_a_person(db):
    person = PersonFactory(name="管理员", email="root@example.com")
    user = UserFactory(
        username="root",
        email="root@example.com",
        person=person,
        is_staff=True,
        is_superuser=True,
    )
    EmailAddress.objects.create(user=user, email="root@example.com", primary=True, verified=True)
    return user


def test_the_secretariat_cannot_take_over_a_superuser_by_its_persons_email(
    client, secretary, superuser_with_a_person
):
    """The reproduction: the roster's email changed in the admin, then 发送设置密码链接 on the
    superuser's account."""
    root = superuser_with_a_person
    client.force_login(secretary)
    # The roster is the secretariat's to edit: the person's email may change.
    root.person.email = "secretary.owns.this@example.com"
    root.person.save()

    response = client.post(
        USER_CHANGELIST,
        {"action": "send_password_set_link", "_selected_action": [root.pk]},
        follow=True,
    )

    assert "以下账号的权限比您的高，未发送（只有超级管理员可以发送）：root。" in (
        response.content.decode()
    )
    assert mail.outbox == []
    root.refresh_from_db()
    assert root.email == "root@example.com"
    assert not EmailAddress.objects.filter(email="secretary.owns.this@example.com").exists()
    with pytest.raises(ValidationError) as error:
        invite_person(person=root.person, acting_user=secretary)
    assert error.value.code == "not_allowed"
    assert root.check_password(PASSWORD)


@pytest.fixture
def stronger_staff(db):
    """A staff account with a right the secretariat does not have."""
    user = UserFactory(username="auditor", person=PersonFactory(name="审计"), is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="delete_group"))
    EmailAddress.objects.create(
        user=user, email=user.person.email.lower(), primary=True, verified=True
    )
    return user


def test_the_secretariat_cannot_reset_or_re_email_a_staff_account_with_more_rights(
    client, secretary, stronger_staff
):
    client.force_login(secretary)

    response = invite(client, stronger_staff.person)
    assert "账号 auditor 的权限比您的高，只有超级管理员才能向其发送链接。" in (
        response.content.decode()
    )
    assert mail.outbox == []
    password_url = reverse("admin:auth_user_password_change", args=[stronger_staff.pk])
    assert client.get(password_url).status_code == 403
    assert (
        client.post(
            password_url,
            {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
        ).status_code
        == 403
    )
    change = client.get(reverse("admin:chamber_user_change", args=[stronger_staff.pk]))
    assert "email" not in change.context["adminform"].form.fields
    add_address = client.get(reverse("admin:account_emailaddress_add"))
    assert stronger_staff not in add_address.context["adminform"].form.fields["user"].queryset
    stronger_staff.refresh_from_db()
    assert stronger_staff.check_password(PASSWORD)


def test_the_secretariat_still_manages_another_secretarys_account(client, secretary):
    colleague = UserFactory(
        username="colleague",
        is_staff=True,
        groups=[SECRETARIAT_GROUP],
        person=PersonFactory(name="干事乙", email="colleague@example.com"),
    )
    EmailAddress.objects.create(
        user=colleague, email="colleague@example.com", primary=True, verified=True
    )
    client.force_login(secretary)

    response = invite(client, colleague.person)

    assert "已发送设置密码链接：干事乙。" in response.content.decode()
    assert [m.to for m in mail.outbox] == [["colleague@example.com"]]
    password_url = reverse("admin:auth_user_password_change", args=[colleague.pk])
    assert client.get(password_url).status_code == 200


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


def test_an_account_holder_without_staff_status_manages_no_staff_account(db):
    """``chamber.manage_account``: the right to change accounts does not reach staff accounts
    for someone who is not staff themselves."""
    from chamber.rules import manageable_accounts

    actor = UserFactory(username="clerk")
    actor.user_permissions.add(Permission.objects.get(codename="change_user"))
    actor = User.objects.get(pk=actor.pk)  # permissions are cached per instance
    plain = UserFactory(username="plain")
    staff = UserFactory(username="staffer", is_staff=True)
    manageable = set(manageable_accounts(actor))
    assert plain in manageable
    assert staff not in manageable


def test_an_account_whose_group_holds_more_rights_is_not_the_secretarys_to_manage(secretary):
    """A group's permissions count as the account's own: a secretary who lacks one of them
    cannot re-email or reset an account in that group."""
    from django.contrib.auth.models import Group

    from chamber.rules import manageable_accounts

    stronger = Group.objects.create(name="系统管理")
    stronger.permissions.add(Permission.objects.get(codename="delete_group"))
    target = UserFactory(username="in_stronger_group", groups=[stronger.name])
    peer = UserFactory(username="plain_member")
    manageable = set(manageable_accounts(secretary))
    assert peer in manageable
    assert target not in manageable
