"""The applications to join in the back office: the secretariat's list, read only, with the
licence through the pipeline's view and the history; supervisors read it without the
applicant's contacts; deleting one takes its licence photo and history with it."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from development import services
from development.models import Application
from members.models import Prospect
from tests.factories import UserFactory

from .conftest import licence_upload
from .factories import ApplicationFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:development_application_changelist")


def change_url(application):
    return reverse("admin:development_application_change", args=[application.pk])


def test_the_secretariat_lists_searches_and_filters_applications(
    client, secretary, django_assert_max_num_queries
):
    wanted = ApplicationFactory(company_name="上海青浦申请甲有限公司")
    ApplicationFactory(company_name="上海青浦申请乙有限公司", status="recommended")
    ApplicationFactory.create_batch(3)
    client.force_login(secretary)

    with django_assert_max_num_queries(15):
        html = client.get(CHANGELIST).content.decode()
    assert "上海青浦申请甲有限公司" in html and "上海青浦申请乙有限公司" in html
    assert "已申请" in html  # the pipeline's stage, in Chinese
    assert reverse("development:prospect_detail", args=[wanted.prospect_id]) in html

    found = client.get(CHANGELIST, {"q": wanted.contact_mobile}).content.decode()
    assert "上海青浦申请甲有限公司" in found and "上海青浦申请乙有限公司" not in found
    filtered = client.get(CHANGELIST, {"status__exact": "recommended"}).content.decode()
    assert "上海青浦申请乙有限公司" in filtered and "上海青浦申请甲有限公司" not in filtered
    staged = client.get(CHANGELIST, {"prospect__stage__exact": "applied"})
    assert staged.status_code == 200


def test_the_change_page_is_read_only_and_shows_the_licence_through_the_private_view(
    client, secretary, media
):
    application = ApplicationFactory()
    application.licence.save("x.jpg", ContentFile(licence_upload().read()))
    client.force_login(secretary)

    response = client.get(change_url(application))
    html = response.content.decode()

    assert response.status_code == 200
    assert application.contact_mobile in html
    assert reverse("development:licence", args=[application.pk]) in html
    assert "/media/private/" not in html
    assert '<input type="text"' not in html  # nothing to type into: steps are on /development/
    assert client.post(change_url(application), {"company_name": "改"}).status_code == 403
    assert client.get(reverse("admin:development_application_add")).status_code == 403


def test_the_history_shows_who_moved_the_application_on(client, secretary, group_member):
    application = ApplicationFactory()
    client.force_login(group_member)
    client.post(reverse("development:application_recommend", args=[application.prospect_id]))
    client.force_login(secretary)

    html = client.get(
        reverse("admin:development_application_history", args=[application.pk])
    ).content.decode()

    assert group_member.person.name in html or group_member.username in html
    record = application.history.first()
    assert (record.status, record.history_user) == ("recommended", group_member)
    assert not hasattr(record, "code_hash")  # the code's hash is never kept in history


def test_supervisors_read_applications_without_the_applicants_contacts_or_licence(
    client, supervisor, media
):
    application = ApplicationFactory(contact_email="secret-applicant@example.com")
    application.licence.save("x.jpg", ContentFile(licence_upload().read()))
    client.force_login(supervisor)

    listing = client.get(CHANGELIST).content.decode()
    page = client.get(change_url(application)).content.decode()

    assert application.company_name in listing and application.company_name in page
    for private in (application.contact_mobile, "secret-applicant@example.com"):
        assert private not in listing and private not in page
    assert reverse("development:licence", args=[application.pk]) not in page
    # Searching by a mobile cannot tell them whose it is.
    found = client.get(CHANGELIST, {"q": application.contact_mobile}).content.decode()
    assert application.company_name not in found
    # Nor may they delete, nor open the pipeline itself (the group's working page).
    assert (
        client.post(
            reverse("admin:development_application_delete", args=[application.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert client.get(reverse("development:pipeline")).status_code == 403
    assert Application.objects.filter(pk=application.pk).exists()


def test_staff_outside_the_secretariat_and_the_supervisors_do_not_see_applications(client):
    staff = UserFactory(username="staff_only", is_staff=True)
    ApplicationFactory()
    client.force_login(staff)
    assert client.get(CHANGELIST).status_code == 403


def test_the_secretariat_deletes_a_spam_application_with_its_licence_and_history(
    client, secretary, media, django_capture_on_commit_callbacks
):
    application = ApplicationFactory()
    application.licence.save("x.jpg", ContentFile(licence_upload().read()))
    path = media / application.licence.name
    assert path.exists()
    client.force_login(secretary)

    with django_capture_on_commit_callbacks(execute=True):  # the file goes at the commit
        response = client.post(
            reverse("admin:development_application_delete", args=[application.pk]),
            {"post": "yes"},
        )

    assert response.status_code == 302
    assert not Application.objects.filter(pk=application.pk).exists()
    assert not Application.history.filter(id=application.pk).exists()
    assert not Prospect.objects.filter(pk=application.prospect_id).exists()
    assert not path.exists()


def test_an_approved_application_cannot_be_deleted(client, secretary):
    application = ApplicationFactory(status="checked")
    services.application_decide(
        application=application,
        approved=True,
        decided_on=timezone.localdate() - datetime.timedelta(days=1),
        note="",
        acting_user=secretary,
    )
    client.force_login(secretary)
    url = reverse("admin:development_application_delete", args=[application.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Application.objects.filter(pk=application.pk).exists()
