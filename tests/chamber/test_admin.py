"""The secretariat's back office for the organisation, and who may do what in it."""

import datetime
import itertools
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chamber.models import SUPERVISORS_GROUP, Document, Position, User
from tests.factories import (
    CompanyFactory,
    DocumentFactory,
    GroupMembershipFactory,
    HonorFactory,
    PersonFactory,
    PositionFactory,
    TermFactory,
    UserFactory,
    WorkingGroupFactory,
)

CHAMBER_MODELS = ["user", "term", "position", "workinggroup", "document", "honor"]
numbers = itertools.count(100)


def make(model: str, term, count: int):
    """``count`` rows of a model, each with the related rows its list shows."""
    for _ in range(count):
        n = next(numbers)
        if model == "user":
            UserFactory(groups=[SUPERVISORS_GROUP])
        elif model == "term":
            PositionFactory(
                term=TermFactory(
                    number=n,
                    starts_on=datetime.date(1000 + n, 1, 1),
                    ends_on=datetime.date(1005 + n, 1, 1),
                )
            )
        elif model == "position":
            PositionFactory(term=term, portfolio="分管会员发展")
        elif model == "workinggroup":
            GroupMembershipFactory(group=WorkingGroupFactory(name=f"工作小组{n}"), term=term)
        elif model == "document":
            DocumentFactory()
        elif model == "honor":
            HonorFactory(year=2000 + n % 20, company=CompanyFactory() if n % 2 else None)


def get_counting_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(queries)


@pytest.mark.parametrize("model", CHAMBER_MODELS)
def test_changelist_queries_stay_the_same_with_5_and_50_rows(client, secretary, term, model):
    url = reverse(f"admin:chamber_{model}_changelist")
    client.force_login(secretary)
    make(model, term, 5)
    client.get(url)  # warm the session and content-type caches

    few, few_queries = get_counting_queries(client, url)
    make(model, term, 45)
    many, many_queries = get_counting_queries(client, url)

    assert many.context["cl"].result_count == few.context["cl"].result_count + 45
    assert many_queries == few_queries
    assert few_queries <= 15


@pytest.mark.parametrize("model", CHAMBER_MODELS)
def test_add_and_change_pages_render_for_the_secretary(client, secretary, term, model):
    make(model, term, 2)
    obj = secretary if model == "user" else None
    client.force_login(secretary)

    add = client.get(reverse(f"admin:chamber_{model}_add"))
    changelist = client.get(reverse(f"admin:chamber_{model}_changelist"))
    obj = obj or changelist.context["cl"].result_list[0]
    change = client.get(reverse(f"admin:chamber_{model}_change", args=[obj.pk]))

    assert (add.status_code, changelist.status_code, change.status_code) == (200, 200, 200)


def test_the_position_list_shows_term_title_person_and_company(client, secretary, leader, term):
    client.force_login(secretary)

    response = client.get(reverse("admin:chamber_position_changelist"), {"q": "副会长甲"})

    page = response.content.decode()
    assert [p.person for p in response.context["cl"].result_list] == [leader.person]
    assert "副会长甲" in page and leader.person.company.name in page
    assert str(term) in page


def test_the_honor_list_names_the_chamber_when_no_company_was_awarded(client, secretary):
    HonorFactory(title="四好商会", company=None)
    HonorFactory(title="优秀会员企业", company=CompanyFactory(name="上好佳（中国）有限公司"))
    client.force_login(secretary)

    chamber_only = client.get(reverse("admin:chamber_honor_changelist"), {"awarded_to": "chamber"})
    everything = client.get(reverse("admin:chamber_honor_changelist"))

    assert [h.title for h in chamber_only.context["cl"].result_list] == ["四好商会"]
    assert "本会" in everything.content.decode()
    assert "上好佳（中国）有限公司" in everything.content.decode()


def test_the_user_list_shows_person_and_groups(client, secretary, supervisor):
    client.force_login(secretary)

    response = client.get(reverse("admin:chamber_user_changelist"))

    page = response.content.decode()
    assert "监事甲" in page and "秘书长甲" in page
    assert "监事会" in page and "秘书处" in page


def test_the_person_list_offers_the_invite_action_to_the_secretary(client, secretary):
    client.force_login(secretary)

    response = client.get(reverse("admin:members_person_changelist"))

    assert response.status_code == 200
    assert "邀请登录（发送设置密码链接）" in response.content.decode()


@pytest.mark.parametrize("model", CHAMBER_MODELS)
def test_the_supervisor_can_view_but_not_change(client, supervisor, term, model):
    make(model, term, 1)
    client.force_login(supervisor)

    changelist = client.get(reverse(f"admin:chamber_{model}_changelist"))
    obj = changelist.context["cl"].result_list[0]
    change_url = reverse(f"admin:chamber_{model}_change", args=[obj.pk])

    assert changelist.status_code == 200
    assert client.get(change_url).status_code == 200
    assert client.post(change_url, {}).status_code == 403
    assert client.get(reverse(f"admin:chamber_{model}_add")).status_code == 403


def user_change_data(user: User, **changes) -> dict:
    data = {
        "username": user.username,
        "person": user.person_id or "",
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "groups": [g.pk for g in user.groups.all()],
        "date_joined_0": "2024-05-01",
        "date_joined_1": "09:00:00",
        "last_login_0": "",
        "last_login_1": "",
    }
    data.update(changes)
    return data


def test_a_secretary_cannot_make_anyone_a_superuser(client, secretary, leader):
    some_power = Permission.objects.get(codename="delete_logentry")
    client.force_login(secretary)

    response = client.post(
        reverse("admin:chamber_user_change", args=[leader.pk]),
        user_change_data(
            leader,
            first_name="新名字",
            is_staff="on",
            is_superuser="on",
            user_permissions=[some_power.pk],
        ),
    )

    assert response.status_code == 302
    leader.refresh_from_db()
    assert leader.first_name == "新名字" and leader.is_staff
    assert not leader.is_superuser
    assert not leader.user_permissions.exists()


def test_a_secretary_cannot_make_themselves_a_superuser(client, secretary):
    client.force_login(secretary)

    client.post(
        reverse("admin:chamber_user_change", args=[secretary.pk]),
        user_change_data(secretary, is_staff="on", is_superuser="on"),
    )

    secretary.refresh_from_db()
    assert not secretary.is_superuser


def test_a_secretary_cannot_change_a_superusers_account(client, secretary):
    root = UserFactory(username="root", person=None, is_staff=True, is_superuser=True)
    client.force_login(secretary)

    response = client.post(
        reverse("admin:chamber_user_change", args=[root.pk]),
        user_change_data(root, email="takeover@example.com", is_staff="on"),
    )

    assert response.status_code == 403
    root.refresh_from_db()
    assert root.email == "root@example.com"
    password_url = reverse("admin:auth_user_password_change", args=[root.pk])
    assert client.get(password_url).status_code == 403


def test_a_superuser_can_grant_superuser_status(client, leader):
    root = UserFactory(username="root", person=None, is_staff=True, is_superuser=True)
    client.force_login(root)

    response = client.post(
        reverse("admin:chamber_user_change", args=[leader.pk]),
        user_change_data(leader, is_staff="on", is_superuser="on"),
    )

    assert response.status_code == 302
    leader.refresh_from_db()
    assert leader.is_superuser


def test_the_admin_login_is_allauths(client, db):
    response = client.get("/admin/", follow=True)

    last_redirect = urlsplit(response.redirect_chain[-1][0])
    assert last_redirect.path == reverse("account_login") == "/accounts/login/"
    assert parse_qs(last_redirect.query) == {"next": ["/admin/"]}
    assert "account/login.html" in [t.name for t in response.templates]


def test_a_logged_in_member_is_refused_the_admin(client, member):
    client.force_login(member)

    response = client.get("/admin/", follow=True)

    assert response.status_code == 403


def test_the_admin_names_the_chamber_and_links_home(client, secretary, settings):
    settings.CHAMBER_NAME = "徐泾镇商会"
    client.force_login(secretary)

    response = client.get(reverse("admin:index"))

    page = response.content.decode()
    assert "徐泾镇商会" in page
    assert f'href="{reverse("chamber:home")}"' in page


def test_the_position_history_shows_the_change_and_who_made_it(client, secretary, term):
    position = PositionFactory(term=term, person=PersonFactory(name="副会长乙"))
    client.force_login(secretary)

    response = client.post(
        reverse("admin:chamber_position_change", args=[position.pk]),
        {
            "person": position.person_id,
            "term": term.pk,
            "title": Position.Title.EXECUTIVE_VICE_PRESIDENT,
            "order": 1,
            "portfolio": "分管公益慈善",
        },
    )
    assert response.status_code == 302

    history = client.get(reverse("admin:chamber_position_history", args=[position.pk]))

    page = history.content.decode()
    assert "分管公益慈善" in page
    assert str(secretary) in page
    latest = position.history.first()
    assert latest.history_user == secretary and latest.portfolio == "分管公益慈善"


def test_the_supervisor_sees_who_changed_a_rule(client, secretary, supervisor):
    rule = DocumentFactory(title="会议制度", kind=Document.Kind.MEETING)
    client.force_login(secretary)
    response = client.post(
        reverse("admin:chamber_document_change", args=[rule.pk]),
        {
            "title": "会议制度（修订）",
            "kind": Document.Kind.MEETING,
            "is_published": "on",
            "effective_on": "2024-01-01",
            "order": 0,
            "body": rule.body,
        },
    )
    assert response.status_code == 302
    client.force_login(supervisor)

    history = client.get(reverse("admin:chamber_document_history", args=[rule.pk]))

    assert history.status_code == 200
    page = history.content.decode()
    assert "会议制度（修订）" in page
    assert str(secretary) in page


def test_the_supervisor_cannot_revert_a_position_to_an_old_version(client, supervisor, term):
    position = PositionFactory(term=term, portfolio="分管会员发展")
    old_version = position.history.get()
    position.portfolio = "分管公益慈善"
    position.save()
    client.force_login(supervisor)
    revert_url = reverse(
        "admin:chamber_position_simple_history", args=[position.pk, old_version.pk]
    )

    page = client.get(revert_url)
    response = client.post(
        revert_url,
        {
            "person": position.person_id,
            "term": term.pk,
            "title": position.title,
            "order": 0,
            "portfolio": "分管会员发展",
        },
    )

    assert page.status_code == 200
    assert response.status_code == 403
    position.refresh_from_db()
    assert position.portfolio == "分管公益慈善"


def test_the_secretary_can_revert_a_rule_to_an_old_version(client, secretary):
    rule = DocumentFactory(title="联系制度")
    old_version = rule.history.get()
    rule.title = "联系制度（草稿）"
    rule.save()
    client.force_login(secretary)
    revert_url = reverse("admin:chamber_document_simple_history", args=[rule.pk, old_version.pk])

    assert client.get(revert_url).status_code == 200
    response = client.post(
        revert_url,
        {
            "title": "联系制度",
            "kind": rule.kind,
            "is_published": "on",
            "effective_on": "2020-01-01",
            "order": 0,
            "body": rule.body,
        },
    )

    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.title == "联系制度"
    assert rule.history.first().history_user == secretary


def test_a_secretary_cannot_add_an_email_address_to_a_superusers_account(client, secretary):
    root = UserFactory(username="root", person=None, is_staff=True, is_superuser=True)
    EmailAddress.objects.create(user=root, email="root@example.com", primary=True, verified=True)
    client.force_login(secretary)

    response = client.post(
        reverse("admin:account_emailaddress_add"),
        {"user": root.pk, "email": "mine@example.com", "verified": "on", "primary": ""},
    )
    listed = client.get(reverse("admin:account_emailaddress_changelist"))

    assert response.status_code == 200 and response.context["adminform"].form.errors["user"]
    assert not EmailAddress.objects.filter(email="mine@example.com").exists()
    assert "root@example.com" not in listed.content.decode()
