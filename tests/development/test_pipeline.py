"""/development/: the group's and the secretariat's pipeline, duplicates, and the charter's
steps to an approved member company with its contact invited."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from development import services
from development.models import Application, Note
from members.models import Company, Person, Prospect
from reports.metrics import compute
from tests.factories import CompanyFactory, ProspectFactory

from .factories import ApplicationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", ["leader", "president", "supervisor", "member", "outsider"])
def test_only_the_group_and_the_secretariat_open_the_pipeline(client, request, persona):
    prospect = ProspectFactory()
    client.force_login(request.getfixturevalue(persona))
    for url in [
        reverse("development:pipeline"),
        reverse("development:prospect_create"),
        reverse("development:prospect_detail", args=[prospect.pk]),
    ]:
        assert client.get(url).status_code == 403, url
    for name in ["prospect_update", "note_add", "application_recommend", "application_decide"]:
        assert client.post(reverse(f"development:{name}", args=[prospect.pk])).status_code == 403


def test_a_former_seat_in_the_group_does_not_open_the_pipeline(client, group_member, term):
    term.ends_on = timezone.localdate() - datetime.timedelta(days=1)
    term.starts_on = term.ends_on - datetime.timedelta(days=365)
    term.save()
    client.force_login(group_member)
    assert client.get(reverse("development:pipeline")).status_code == 403


def test_the_group_sees_prospects_and_applications_in_one_list(client, group_member):
    courted = ProspectFactory(
        company_name="上海泾航跨境电子商务有限公司",
        owner=group_member.person,
        next_step="上门介绍商会服务",
        next_step_on=timezone.localdate(),
    )
    application = ApplicationFactory(company_name="上海会展通数字科技有限公司")
    ProspectFactory(company_name="上海已婉拒有限公司", stage=Prospect.Stage.DECLINED)
    client.force_login(group_member)
    html = client.get(reverse("development:pipeline")).content.decode()
    assert courted.company_name in html and "上门介绍商会服务" in html
    assert application.company_name in html
    assert "上海已婉拒有限公司" not in html  # closed stages are a tab away
    assert (
        "上海已婉拒有限公司"
        in client.get(reverse("development:pipeline") + "?stage=declined").content.decode()
    )
    mine = client.get(reverse("development:pipeline") + "?mine=1").content.decode()
    assert courted.company_name in mine and application.company_name not in mine


def test_duplicates_are_caught_by_credit_code_and_by_name(client, group_member):
    same_code = CompanyFactory(name="上海老会员实业有限公司")
    same_name = CompanyFactory(name="上好佳（中国）有限公司")
    by_code = ApplicationFactory(
        company_name="上海新名字有限公司", credit_code=same_code.credit_code
    )
    by_name = ProspectFactory(company_name="上好佳(中国)有限公司")
    fresh = ProspectFactory(company_name="上海全新企业有限公司")
    found = services.duplicates_for(
        list(
            Prospect.objects.select_related("application").filter(
                pk__in=[by_code.prospect_id, by_name.pk, fresh.pk]
            )
        )
    )
    assert found[by_code.prospect_id].by_code == [same_code]
    assert found[by_name.pk].by_name == [same_name]
    assert not found[fresh.pk]
    client.force_login(group_member)
    html = client.get(reverse("development:prospect_detail", args=[by_name.pk])).content.decode()
    assert same_name.name in html
    assert (
        client.get(reverse("development:pipeline")).content.decode().count("可能重复")
        + client.get(reverse("development:pipeline")).content.decode().count("Possible duplicate")
        == 2
    )


def test_the_pipeline_costs_the_same_queries_whatever_its_size(
    client, group_member, django_assert_max_num_queries
):
    def load():
        """The queries of the list rendered afresh, then of the list kept in the cache."""
        counts = []
        for most in (16, 8):
            with django_assert_max_num_queries(most) as context:
                assert client.get(reverse("development:pipeline")).status_code == 200
            counts.append(len(context.captured_queries))
        return counts

    client.force_login(group_member)
    ApplicationFactory.create_batch(2)
    ProspectFactory.create_batch(2, owner=group_member.person)
    few = load()
    ApplicationFactory.create_batch(15)
    ProspectFactory.create_batch(15, owner=group_member.person)
    CompanyFactory.create_batch(5)
    assert load() == few


def test_the_prospect_page_costs_few_queries(
    client, secretary, group_member, django_assert_max_num_queries
):
    application = ApplicationFactory()
    for n in range(5):
        Note.objects.create(prospect=application.prospect, author=group_member, text=f"第{n}次电话")
    client.force_login(secretary)
    with django_assert_max_num_queries(15):
        response = client.get(
            reverse("development:prospect_detail", args=[application.prospect_id])
        )
    assert "第4次电话" in response.content.decode()


def test_the_group_follows_a_prospect_up(client, group_member):
    prospect = ProspectFactory(owner=None)
    client.force_login(group_member)
    soon = timezone.localdate() + datetime.timedelta(days=7)
    response = client.post(
        reverse("development:prospect_update", args=[prospect.pk]),
        {
            "company_name": prospect.company_name,
            "source": "visit",
            "stage": "contacted",
            "owner": group_member.person.pk,
            "contact": "李女士",
            "next_step": "约访总经理",
            "next_step_on": soon.isoformat(),
        },
    )
    assert response.status_code == 302
    prospect.refresh_from_db()
    assert (prospect.stage, prospect.owner, prospect.next_step_on) == (
        "contacted",
        group_member.person,
        soon,
    )
    client.post(reverse("development:note_add", args=[prospect.pk]), {"text": "已电话联系"})
    note = Note.objects.get()
    assert (note.text, note.author) == ("已电话联系", group_member)


def test_the_pipeline_form_cannot_make_a_prospect_joined(client, group_member):
    prospect = ProspectFactory()
    client.force_login(group_member)
    response = client.post(
        reverse("development:prospect_update", args=[prospect.pk]),
        {"company_name": prospect.company_name, "source": "visit", "stage": "joined"},
    )
    assert response.status_code == 200
    assert Prospect.objects.get().stage == Prospect.Stage.LEAD


def test_from_application_to_member_company_through_the_charters_steps(
    client, secretary, group_member, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    application = ApplicationFactory(tier="executive")
    prospect_url = reverse("development:prospect_detail", args=[application.prospect_id])

    # The group recommends; it may not check or decide.
    client.force_login(group_member)
    client.post(reverse("development:application_recommend", args=[application.prospect_id]))
    assert (
        client.post(
            reverse("development:application_check", args=[application.prospect_id])
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("development:application_decide", args=[application.prospect_id])
        ).status_code
        == 403
    )
    application.refresh_from_db()
    assert application.status == Application.Status.RECOMMENDED
    assert application.recommended_by == group_member

    # The secretariat checks, then records the executive committee's decision.
    client.force_login(secretary)
    client.post(reverse("development:application_check", args=[application.prospect_id]))
    meeting = timezone.localdate() - datetime.timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("development:application_decide", args=[application.prospect_id]),
            {"decision": "approved", "decided_on": meeting.isoformat(), "note": "第三次执委会"},
        )
    assert response["Location"] == prospect_url
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED
    assert (application.decided_on, application.decided_by) == (meeting, secretary)
    assert application.checked_by == secretary
    company = application.company
    assert (
        company.name == application.company_name and company.credit_code == application.credit_code
    )
    assert (company.status, company.tier, company.member_since) == ("active", "executive", meeting)
    assert company.history.get().history_user == secretary
    contact = Person.objects.get(company=company)
    assert contact.is_main_contact and contact.mobile == application.contact_mobile
    assert contact.user.email == application.contact_email  # invited
    prospect = application.prospect
    assert (prospect.stage, prospect.converted_company) == (Prospect.Stage.JOINED, company)
    subjects = [message.subject for message in mail.outbox]
    assert any(application.contact_email in message.to for message in mail.outbox)
    assert len(subjects) == 2  # the invitation and the decision
    assert Note.objects.filter(prospect=prospect).count() == 3

    # The 四好 report counts it among the new members from the development group.
    figures = compute(meeting.year)
    assert figures["development_group"].value == "1"


def test_a_decision_is_refused_while_a_member_has_the_same_credit_code(client, secretary):
    application = ApplicationFactory(status=Application.Status.CHECKED)
    CompanyFactory(credit_code=application.credit_code)
    client.force_login(secretary)
    response = client.post(
        reverse("development:application_decide", args=[application.prospect_id]),
        {"decision": "approved", "decided_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 200
    assert (
        Company.objects.count()
        == 1 + Company.objects.exclude(credit_code=application.credit_code).count()
    )
    application.refresh_from_db()
    assert application.status == Application.Status.CHECKED and application.decided_by is None


def test_a_declined_application_is_recorded_and_the_prospect_closed(client, secretary):
    application = ApplicationFactory(status=Application.Status.CHECKED)
    client.force_login(secretary)
    client.post(
        reverse("development:application_decide", args=[application.prospect_id]),
        {
            "decision": "declined",
            "decided_on": timezone.localdate().isoformat(),
            "note": "不在本镇注册",
        },
    )
    application.refresh_from_db()
    assert (application.status, application.decided_by) == (Application.Status.DECLINED, secretary)
    assert application.prospect.stage == Prospect.Stage.DECLINED
    assert application.company is None


def test_the_licence_is_served_only_to_the_pipeline(client, secretary, group_member, member, media):
    from django.core.files.base import ContentFile

    from .conftest import licence_upload

    application = ApplicationFactory()
    application.licence.save("x.jpg", ContentFile(licence_upload().read()))
    url = reverse("development:licence", args=[application.pk])
    assert application.licence.url == url
    client.force_login(member)
    assert client.get(url).status_code == 403
    client.force_login(group_member)
    assert client.get(url).status_code == 200
    client.logout()
    assert client.get(url).status_code == 302


def test_the_group_members_home_shows_their_next_steps(client, group_member, member):
    ProspectFactory(
        company_name="上海我跟进的企业有限公司",
        owner=group_member.person,
        next_step="约访",
        next_step_on=timezone.localdate(),
    )
    client.force_login(group_member)
    html = client.get(reverse("chamber:home")).content.decode()
    assert "上海我跟进的企业有限公司" in html
    assert reverse("development:pipeline") in html
    client.force_login(member)
    assert (
        reverse("development:pipeline") not in client.get(reverse("chamber:home")).content.decode()
    )


def test_the_secretariat_finds_the_pipeline_in_the_menu(client, secretary):
    client.force_login(secretary)
    assert reverse("development:pipeline") in client.get(reverse("chamber:home")).content.decode()


def test_the_pipeline_shows_a_change_at_once(client, group_member):
    """The list is kept rendered in the shared cache: a new prospect, a stage moved, an
    owner renamed and an application show on the next visit."""
    client.force_login(group_member)
    url = reverse("development:pipeline")
    prospect = ProspectFactory(company_name="上海虚构辛科技有限公司", owner=group_member.person)
    assert "上海虚构辛科技有限公司" in client.get(url).content.decode()

    ProspectFactory(company_name="上海虚构壬贸易有限公司")
    group_member.person.name = "发展组新名字"
    group_member.person.save()
    html = client.get(url).content.decode()
    assert "上海虚构壬贸易有限公司" in html and "发展组新名字" in html

    prospect.stage = Prospect.Stage.DECLINED
    prospect.save()
    assert "上海虚构辛科技有限公司" not in client.get(url).content.decode()
    assert "上海虚构辛科技有限公司" in client.get(url, {"stage": "declined"}).content.decode()
    mine = client.get(url, {"stage": "all", "mine": "1"}).content.decode()
    assert "上海虚构辛科技有限公司" in mine and "上海虚构壬贸易有限公司" not in mine
