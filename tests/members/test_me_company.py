"""/me/company/…: a member keeps their own company's record. Profile, logo, address and people
change at once, in the history under their name; the register's facts become a request the
secretariat decides in the back office."""

import pytest
from django.contrib.admin import helpers
from django.db import transaction
from django.urls import reverse

from activities.models import Assignment
from chamber.roles import roles_for
from core.notifications.models import Message
from members import services
from members.models import Company, CompanyChangeRequest, Person
from tests.factories import CompanyChangeRequestFactory, PersonFactory, UserFactory, credit_code

pytestmark = pytest.mark.django_db


def test_a_member_edits_the_profile_and_address_directly_with_history(client, member):
    company = member.person.company
    client.force_login(member)
    response = client.post(
        reverse("members:me_company"),
        {"profile": "专注汽车零部件二十年。", "address": "上海市青浦区徐泾镇华徐公路3029号"},
    )
    assert response.status_code == 302
    company.refresh_from_db()
    assert company.profile == "专注汽车零部件二十年。"
    assert company.address == "上海市青浦区徐泾镇华徐公路3029号"
    assert company.history.first().history_user == member


def test_the_profile_form_cannot_change_register_facts(client, member):
    company = member.person.company
    client.force_login(member)
    client.post(
        reverse("members:me_company"),
        {"profile": "x", "address": "y", "name": "改名", "tier": "president", "status": "left"},
    )
    company.refresh_from_db()
    assert (company.tier, company.status) == ("member", "active") and company.name != "改名"


def test_a_member_adds_changes_and_marks_a_colleague_as_left(client, member):
    company = member.person.company
    client.force_login(member)
    client.post(
        reverse("members:me_person_add"),
        {"name": "王小青", "title": "人事专员", "mobile": "139 1234 5678", "email": ""},
    )
    colleague = Person.objects.get(name="王小青")
    assert (colleague.company, colleague.mobile) == (company, "13912345678")
    assert colleague.history.get().history_user == member

    client.post(
        reverse("members:me_person_edit", args=[colleague.pk]),
        {"name": "王小青", "title": "人事经理", "mobile": "13912345679", "email": ""},
    )
    colleague.refresh_from_db()
    assert (colleague.title, colleague.mobile) == ("人事经理", "13912345679")

    account = UserFactory(person=colleague)
    assert roles_for(account).is_member
    client.post(reverse("members:me_person_left", args=[colleague.pk]))
    colleague.refresh_from_db()
    assert colleague.left_on is not None and colleague.company == company
    assert colleague.history.first().history_user == member
    account = type(account).objects.get(pk=account.pk)
    assert not roles_for(account).is_member  # no longer a member through the company
    client.get(reverse("members:me_company"))  # shows (and so clears) the messages
    assert "王小青" not in client.get(reverse("members:me_company")).content.decode()
    assert "王小青" not in client.get(company.get_absolute_url()).content.decode()


def test_a_colleague_with_an_account_cannot_take_a_mobile_that_logs_in_someone_else(client, member):
    """A mobile logs in one account: the member's edit is refused, in Chinese, as in the
    admin, and the colleague's number stays as it was."""
    colleague = PersonFactory(company=member.person.company, name="李会计", mobile="13900000001")
    UserFactory(username="li", person=colleague)
    UserFactory(username="other", person=PersonFactory(mobile="13800000002"))
    client.force_login(member)
    response = client.post(
        reverse("members:me_person_edit", args=[colleague.pk]),
        {"name": "李会计", "title": "会计", "mobile": "138 0000 0002", "email": ""},
    )
    assert response.status_code == 200
    assert "已有另一位有账号的人员登记了手机号 13800000002" in response.content.decode()
    colleague.refresh_from_db()
    assert colleague.mobile == "13900000001"


def test_a_member_cannot_mark_themselves_as_left(client, member):
    client.force_login(member)
    client.post(reverse("members:me_person_left", args=[member.person.pk]))
    member.person.refresh_from_db()
    assert member.person.left_on is None


def test_a_member_cannot_touch_another_companys_people(client, member):
    stranger = PersonFactory(title="总经理")
    client.force_login(member)
    edit = reverse("members:me_person_edit", args=[stranger.pk])
    assert client.get(edit).status_code == 404
    data = {"name": "x", "title": "清洁工", "mobile": "", "email": ""}
    assert client.post(edit, data).status_code == 404
    assert client.post(reverse("members:me_person_left", args=[stranger.pk])).status_code == 404
    stranger.refresh_from_db()
    assert (stranger.title, stranger.left_on) == ("总经理", None)


def test_register_facts_become_a_request_the_secretariat_approves(client, member, secretary):
    company = member.person.company
    client.force_login(member)
    new_code = credit_code(777)
    response = client.post(
        reverse("members:me_change_request"),
        {
            "name": "上海徐泾更名后有限公司",
            "credit_code": new_code,
            "tier": "",
            "status": "",
            "reason": "已换发新营业执照。",
        },
    )
    assert response.status_code == 302
    change = CompanyChangeRequest.objects.get()
    assert (change.state, change.requested_by, change.company) == ("pending", member, company)
    company.refresh_from_db()
    assert company.name != "上海徐泾更名后有限公司"  # nothing changes before approval

    client.force_login(secretary)
    response = client.post(
        reverse("admin:members_companychangerequest_changelist"),
        {"action": "approve", helpers.ACTION_CHECKBOX_NAME: [change.pk]},
    )
    assert response.status_code == 302
    company.refresh_from_db()
    assert (company.name, company.credit_code) == ("上海徐泾更名后有限公司", new_code)
    assert company.history.first().history_user == secretary
    change.refresh_from_db()
    assert (change.state, change.decided_by) == ("approved", secretary)


def test_a_refused_request_changes_nothing(client, secretary):
    change = CompanyChangeRequestFactory(tier="president")
    client.force_login(secretary)
    client.post(
        reverse("admin:members_companychangerequest_changelist"),
        {"action": "refuse", helpers.ACTION_CHECKBOX_NAME: [change.pk]},
    )
    change.refresh_from_db()
    assert change.state == "refused"
    assert Company.objects.get(pk=change.company_id).tier == "member"


def test_a_request_that_changes_nothing_is_refused_by_the_form(client, member):
    client.force_login(member)
    company = member.person.company
    response = client.post(
        reverse("members:me_change_request"),
        {"name": company.name, "credit_code": "", "tier": "", "status": "", "reason": "无"},
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert not CompanyChangeRequest.objects.exists()


def test_supervisors_cannot_approve_a_request(client, supervisor):
    change = CompanyChangeRequestFactory()
    client.force_login(supervisor)
    client.post(
        reverse("admin:members_companychangerequest_changelist"),
        {"action": "approve", helpers.ACTION_CHECKBOX_NAME: [change.pk]},
    )
    change.refresh_from_db()
    assert change.state == "pending"


def test_the_member_sees_their_liaison_leader_and_how_to_reach_them(client, member, leader, term):
    Assignment.objects.create(term=term, leader=leader.person, company=member.person.company)
    client.force_login(member)
    html = client.get(reverse("members:me")).content.decode()
    assert leader.person.name in html
    assert f"tel:{leader.person.mobile}" in html


@pytest.mark.parametrize("url_name", ["members:me", "members:me_company"])
def test_me_pages_cost_the_same_queries_whatever_the_company_size(
    client, member, url_name, django_assert_max_num_queries
):
    def load():
        # /me/ renders its cached sections again on the first visit after a change (and
        # writes them to the shared cache); measured is the visit after.
        client.get(reverse(url_name))
        with django_assert_max_num_queries(20) as context:
            assert client.get(reverse(url_name)).status_code == 200
        return len(context.captured_queries)

    company = member.person.company
    client.force_login(member)
    PersonFactory.create_batch(2, company=company)
    CompanyChangeRequestFactory(company=company)
    few = load()
    PersonFactory.create_batch(20, company=company)
    CompanyChangeRequestFactory.create_batch(5, company=company)
    assert load() == few


# ---------- Who hears of a request (the notification service) ----------


def test_a_request_tells_the_secretariat_once_with_what_changes_and_a_link(
    client, member, secretary
):
    company = member.person.company
    old_name = company.name
    client.force_login(member)
    client.post(
        reverse("members:me_change_request"),
        {
            "name": "上海徐泾新名有限公司",
            "credit_code": "",
            "tier": "",
            "status": "",
            "reason": "换照",
        },
    )
    change = CompanyChangeRequest.objects.get()

    message = Message.objects.get(kind="change_request")
    assert message.user == secretary
    assert company.name in message.subject and "申请变更" in message.subject
    assert f"{old_name} → 上海徐泾新名有限公司" in message.body
    assert "换照" in message.body and member.person.name in message.body
    assert message.url.endswith(
        reverse("admin:members_companychangerequest_change", args=[change.pk])
    )
    assert not Message.objects.filter(user=member).exists()

    # Told once: the same request told again reaches nobody twice.
    services.change_request_submit(change_request=change, acting_user=member)
    assert Message.objects.filter(kind="change_request").count() == 1


@pytest.mark.parametrize("action, words", [("approve", "已同意"), ("refuse", "未同意")])
def test_the_decision_tells_the_member_who_asked_once(client, member, secretary, action, words):
    change = CompanyChangeRequestFactory(
        company=member.person.company, requested_by=member, tier="executive"
    )
    client.force_login(secretary)
    for _ in range(2):  # a second click changes nothing and tells nobody again
        client.post(
            reverse("admin:members_companychangerequest_changelist"),
            {"action": action, helpers.ACTION_CHECKBOX_NAME: [change.pk]},
        )

    message = Message.objects.get(kind="change_request_decided")
    assert message.user == member
    assert words in message.subject
    assert member.person.company.name in message.body
    assert message.url.endswith(reverse("members:me_company"))
    assert not Message.objects.filter(user=secretary, kind="change_request_decided").exists()


def test_a_rolled_back_request_tells_nobody(member, secretary):
    change = CompanyChangeRequest(company=member.person.company, tier="president", reason="x")
    with pytest.raises(RuntimeError), transaction.atomic():
        services.change_request_submit(change_request=change, acting_user=member)
        raise RuntimeError
    assert not Message.objects.exists()
    assert not CompanyChangeRequest.objects.exists()


def test_the_company_edit_page_stays_within_twelve_queries_then_costs_three(
    client, member, django_assert_max_num_queries, django_assert_num_queries
):
    PersonFactory.create_batch(5, company=member.person.company)
    CompanyChangeRequestFactory.create_batch(3, company=member.person.company)
    client.force_login(member)
    # The first visit reads the record and keeps it rendered (members.me_views.company_record).
    with django_assert_max_num_queries(12):
        assert client.get(reverse("members:me_company")).status_code == 200
    with django_assert_num_queries(3):  # the session, the account, the cache read
        assert client.get(reverse("members:me_company")).status_code == 200
