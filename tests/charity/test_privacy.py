"""Students, disabled people and poor families (PIPL): names for the secretariat alone, masked
everywhere else, every unmasked view logged, and names published only with consent."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from charity.models import Beneficiary, UnmaskLog
from charity.services import (
    NameNotPublishable,
    beneficiary_public_label,
    beneficiary_public_name,
    may_publish_name,
)

from .factories import ConsentFactory, DonationFactory, StudentFactory, VillageFactory

pytestmark = pytest.mark.django_db

NOT_SECRETARIAT = ["president", "leader", "other_leader", "supervisor", "member", "outsider"]


def read_workbook(content: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [[cell.value for cell in cells] for cells in sheet.iter_rows()]


def text_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- Pages -----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", NOT_SECRETARIAT)
def test_everyone_but_the_secretariat_sees_a_student_masked_on_every_charity_page(
    client, request, charity, persona
):
    DonationFactory(campaign=None, pairing=charity["student_pairing"])
    client.force_login(request.getfixturevalue(persona))
    for url in [
        reverse("charity:overview"),
        charity["campaigns"][0].get_absolute_url(),
    ]:
        html = text_of(client.get(url))
        assert "李小明" not in html, url
        assert "家庭经济困难" not in html, url
    assert not UnmaskLog.objects.exists()


@pytest.mark.parametrize("persona", [p for p in NOT_SECRETARIAT if p != "member"])
def test_a_student_pairing_the_lists_do_not_name_is_not_opened_by_its_number(
    client, request, charity, persona
):
    """The reproduction: /charity/pairings/<id>/ opened pairings the lists hide."""
    pairing = charity["student_pairing"]
    DonationFactory(campaign=None, pairing=pairing)
    client.force_login(request.getfixturevalue(persona))

    assert client.get(pairing.get_absolute_url()).status_code == 404
    scoped = client.get(reverse("charity:contributor_list"), {"pairing": pairing.pk})
    assert scoped.status_code == 404
    assert not UnmaskLog.objects.exists()


def test_a_member_company_opens_its_own_student_pairing_masked(client, member, charity):
    pairing = charity["student_pairing"]
    assert member.person.company in pairing.companies.all()
    client.force_login(member)

    html = text_of(client.get(pairing.get_absolute_url()))

    assert "李**" in html and "李小明" not in html and "家庭经济困难" not in html
    assert not UnmaskLog.objects.exists()


def test_the_overview_counts_protected_pairings_instead_of_naming_them(client, member, charity):
    client.force_login(member)
    response = client.get(reverse("charity:overview"))
    area = next(a for a in response.context["areas"] if a["name"] == "徐泾镇")
    assert area["protected"] == 1 and area["pairings"] == []


def test_the_secretariat_sees_the_name_and_the_view_is_logged(client, secretary, charity):
    client.force_login(secretary)
    url = charity["student_pairing"].get_absolute_url()
    html = text_of(client.get(url))
    assert "李小明" in html and "家庭经济困难" in html
    log = UnmaskLog.objects.get()
    assert (log.user, log.beneficiary, log.where) == (secretary, charity["student"], url)
    text_of(client.get(url))
    assert UnmaskLog.objects.count() == 2  # every view, not just the first


def test_a_village_is_no_secret_and_its_page_logs_nothing(client, secretary, charity):
    client.force_login(secretary)
    assert "东庄村" in text_of(client.get(charity["village"].get_absolute_url()))
    assert not UnmaskLog.objects.exists()


# --- The back office --------------------------------------------------------------------------


def test_a_supervisor_sees_students_masked_in_the_back_office(client, supervisor, charity):
    student = charity["student"]
    DonationFactory(campaign=None, pairing=charity["student_pairing"])
    client.force_login(supervisor)
    urls = [
        reverse("admin:charity_beneficiary_changelist"),
        reverse("admin:charity_beneficiary_change", args=[student.pk]),
        reverse("admin:charity_consent_changelist"),
        reverse("admin:charity_pairing_changelist"),
        reverse("admin:charity_pairing_change", args=[charity["student_pairing"].pk]),
        reverse("admin:charity_donation_changelist"),
        reverse("admin:charity_project_changelist"),
    ]
    for url in urls:
        html = text_of(client.get(url))
        assert "李小明" not in html, url
        assert "李大明" not in html, url  # the guardian's name points to the child
        assert "家庭经济困难" not in html, url
    assert "李**" in text_of(client.get(urls[1]))
    assert not UnmaskLog.objects.exists()


def test_a_supervisor_cannot_find_a_student_by_name(client, supervisor, charity):
    client.force_login(supervisor)
    url = reverse("admin:charity_beneficiary_changelist")
    assert client.get(url, {"q": "李小明"}).context["cl"].result_count == 0
    assert client.get(url, {"q": "东庄村"}).context["cl"].result_count == 1


def test_a_supervisor_sees_a_students_history_masked_and_no_old_version(
    client, secretary, supervisor, charity
):
    student = charity["student"]
    client.force_login(secretary)
    change_url = reverse("admin:charity_beneficiary_change", args=[student.pk])
    data = {
        "kind": "student",
        "name": "李小红",
        "area": "徐泾镇",
        "organisation": "徐泾中学",
        "is_sensitive": "on",
        "is_under_14": "on",
        "details": "家庭经济困难",
        "consents-TOTAL_FORMS": "0",
        "consents-INITIAL_FORMS": "0",
    }
    assert client.post(change_url, data).status_code == 302
    assert Beneficiary.objects.get(pk=student.pk).name == "李小红"
    history_url = reverse("admin:charity_beneficiary_history", args=[student.pk])
    secretary_history = text_of(client.get(history_url))
    assert "李小明" in secretary_history and "李小红" in secretary_history

    client.force_login(supervisor)
    history = text_of(client.get(history_url))
    assert "李小明" not in history and "李小红" not in history
    assert "李**" in history
    version = student.history.first().history_id
    old = reverse("admin:charity_beneficiary_simple_history", args=[student.pk, version])
    assert client.get(old).status_code == 403


def test_the_secretariat_opens_a_student_in_the_back_office_and_it_is_logged(
    client, secretary, charity
):
    client.force_login(secretary)
    changelist = text_of(client.get(reverse("admin:charity_beneficiary_changelist")))
    assert "李小明" not in changelist  # lists mask for everyone
    assert not UnmaskLog.objects.exists()
    url = reverse("admin:charity_beneficiary_change", args=[charity["student"].pk])
    assert "李小明" in text_of(client.get(url))
    log = UnmaskLog.objects.get()
    assert (log.user, log.beneficiary, log.where) == (secretary, charity["student"], url)


def test_a_supervisors_export_is_masked_and_the_secretariats_is_whole_and_logged(
    client, secretary, supervisor, charity
):
    url = reverse("admin:charity_beneficiary_export")
    client.force_login(supervisor)
    rows = read_workbook(client.post(url, {"format": "0", "resource": "0"}).content)
    names = [row[0] for row in rows[1:]]
    assert "李**" in names and "李小明" not in names and "东庄村" in names
    assert all("家庭经济困难" not in str(row) for row in rows)
    assert not UnmaskLog.objects.exists()

    client.force_login(secretary)
    rows = read_workbook(client.post(url, {"format": "0", "resource": "0"}).content)
    assert "李小明" in [row[0] for row in rows[1:]]
    log = UnmaskLog.objects.get()
    assert (log.user, log.beneficiary) == (secretary, charity["student"])


def test_a_supervisors_donations_export_masks_the_student(client, supervisor, charity):
    DonationFactory(campaign=None, pairing=charity["student_pairing"])
    client.force_login(supervisor)
    rows = read_workbook(
        client.post(
            reverse("admin:charity_donation_export"), {"format": "0", "resource": "0"}
        ).content
    )
    assert rows[1][3] == "李**"


def test_the_unmask_log_cannot_be_edited_or_pruned(client, secretary, charity):
    log = UnmaskLog.objects.create(user=secretary, beneficiary=charity["student"], where="x")
    client.force_login(secretary)
    assert client.get(reverse("admin:charity_unmasklog_add")).status_code == 403
    delete = reverse("admin:charity_unmasklog_delete", args=[log.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert UnmaskLog.objects.filter(pk=log.pk).exists()


# --- The consent rule -------------------------------------------------------------------------


def test_a_village_may_always_be_named():
    village = VillageFactory(name="东庄村")
    assert beneficiary_public_name(village) == "东庄村"


def test_a_students_name_is_refused_for_publication_without_consent():
    student = StudentFactory(name="李小明")
    with pytest.raises(NameNotPublishable):
        beneficiary_public_name(student)
    assert beneficiary_public_label(student) == "李**"


def test_a_consent_that_does_not_allow_publishing_refuses_it_too():
    consent = ConsentFactory(publish_name=False)
    assert not may_publish_name(consent.beneficiary)
    with pytest.raises(NameNotPublishable):
        beneficiary_public_name(consent.beneficiary)


def test_a_consent_to_publish_lets_the_name_be_published():
    consent = ConsentFactory(beneficiary=StudentFactory(name="王小红"), publish_name=True)
    assert beneficiary_public_name(consent.beneficiary) == "王小红"


def test_a_withdrawn_or_superseded_consent_no_longer_allows_publishing():
    student = StudentFactory(name="王小红")
    ConsentFactory(beneficiary=student, publish_name=True, given_on=datetime.date(2020, 1, 1))
    ConsentFactory(beneficiary=student, publish_name=False, given_on=datetime.date(2024, 1, 1))
    with pytest.raises(NameNotPublishable):
        beneficiary_public_name(student)

    other = StudentFactory(name="赵小刚")
    ConsentFactory(
        beneficiary=other,
        publish_name=True,
        given_on=datetime.date(2020, 1, 1),
        withdrawn_on=datetime.date(2021, 1, 1),
    )
    with pytest.raises(NameNotPublishable):
        beneficiary_public_name(other)


def test_an_acknowledgement_names_the_student_once_the_guardian_consents_to_publish(
    client, member, charity
):
    ConsentFactory(
        beneficiary=charity["student"], publish_name=True, given_on=datetime.date(2025, 1, 1)
    )
    donation = DonationFactory(
        company=member.person.company, campaign=None, pairing=charity["student_pairing"]
    )
    client.force_login(member)
    url = reverse("charity:donation_acknowledgement", args=[donation.pk])
    assert "李小明" in text_of(client.get(url))
