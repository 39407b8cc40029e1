"""/me/company/ kept rendered in the shared cache (members.me_views.company_record): a saved
profile, a colleague added, changed or gone, a change request asked or decided show at once;
each member sees their own company and their own line; the form carries this visit's token
and a posted form is bound to the company itself."""

import re

import pytest
from django.contrib.admin import helpers
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from members.models import CompanyChangeRequest, Person
from tests.factories import PersonFactory, UserFactory

URL = reverse("members:me_company")
pytestmark = pytest.mark.django_db


def page(client, **headers) -> str:
    return re.sub(r"\s+", " ", client.get(URL, **headers).content.decode())


def test_a_visit_costs_the_frame_and_one_cache_read(client, member, django_assert_num_queries):
    PersonFactory.create_batch(3, company=member.person.company)
    client.force_login(member)
    page(client)  # renders the record and keeps it
    # The session, the account, the cache read.
    with django_assert_num_queries(3):
        assert client.get(URL).status_code == 200


def test_a_saved_profile_shows_at_once_and_the_form_carries_this_visits_token(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    html = page(client)
    assert "csrf-token-of-this-request" not in html
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert token, "the profile form has its CSRF token"
    response = client.post(
        URL,
        {
            "profile": "专注汽车零部件二十年。",
            "address": "华徐公路3029号",
            "csrfmiddlewaretoken": token[1],
        },
    )
    assert response.status_code == 302
    html = page(client)
    assert "专注汽车零部件二十年。" in html and "华徐公路3029号" in html


def test_colleagues_added_changed_and_gone_show_at_once(client, member):
    company = member.person.company
    client.force_login(member)
    assert "王小青" not in page(client)
    client.post(
        reverse("members:me_person_add"),
        {"name": "王小青", "title": "人事专员", "mobile": "", "email": ""},
    )
    assert "人事专员" in page(client)
    colleague = Person.objects.get(name="王小青", company=company)
    client.post(
        reverse("members:me_person_edit", args=[colleague.pk]),
        {"name": "王小青", "title": "人事经理", "mobile": "", "email": ""},
    )
    html = page(client)
    assert "人事经理" in html and "人事专员" not in html
    edit = reverse("members:me_person_edit", args=[colleague.pk])
    assert edit in html
    client.post(reverse("members:me_person_left", args=[colleague.pk]))
    assert edit not in page(client)


def test_a_request_asked_and_decided_shows_at_once(client, member, secretary):
    client.force_login(member)
    assert "我们的申请" not in page(client)
    client.post(
        reverse("members:me_change_request"),
        {"name": "", "credit_code": "", "tier": "executive", "status": "", "reason": "升级"},
    )
    change = CompanyChangeRequest.objects.get()
    with translation.override("zh-hans"):
        pending = str(change.get_state_display())
    html = page(client)
    assert "我们的申请" in html and pending in html

    staff = Client()
    staff.force_login(secretary)
    staff.post(
        reverse("admin:members_companychangerequest_changelist"),
        {"action": "approve", helpers.ACTION_CHECKBOX_NAME: [change.pk]},
    )
    change.refresh_from_db()
    with translation.override("zh-hans"):
        approved = str(change.get_state_display())
        tier = str(change.company.get_tier_display())
    assert approved != pending
    html = page(client)
    assert approved in html and tier in html


def test_each_member_sees_their_own_company_and_their_own_line(member):
    company = member.person.company
    colleague = UserFactory(person=PersonFactory(name="同事乙", company=company))
    stranger = UserFactory(person=PersonFactory(name="外人丙"))
    left = reverse("members:me_person_left", args=[member.person.pk])
    left_colleague = reverse("members:me_person_left", args=[colleague.person.pk])

    mine, theirs, strangers = Client(), Client(), Client()
    mine.force_login(member)
    theirs.force_login(colleague)
    strangers.force_login(stranger)
    html = page(mine)
    assert left_colleague in html and left not in html  # never "mark myself as left"
    html = page(theirs)
    assert left in html and left_colleague not in html
    html = page(strangers)
    assert stranger.person.company.name in html
    assert company.name not in html and "同事乙" not in html


def test_the_language_is_part_of_the_record(client, member):
    client.force_login(member)
    assert "Our people" in page(client, HTTP_ACCEPT_LANGUAGE="en")
    html = page(client, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "本企业人员" in html and "Our people" not in html
    assert "Our people" in page(client, HTTP_ACCEPT_LANGUAGE="en")


def test_a_refused_upload_is_shown_with_the_company_as_it_is(client, member):
    company = member.person.company
    company.profile = "原来的简介"
    company.save()
    client.force_login(member)
    page(client)
    response = client.post(
        URL,
        {
            "profile": "新的简介",
            "address": "",
            "logo": SimpleUploadedFile("logo.png", b"not an image", content_type="image/png"),
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "新的简介" in html  # the form as posted, with its error
    assert response.context["form"].instance.pk == company.pk
    assert response.context["form"].errors["logo"]
    company.refresh_from_db()
    assert company.profile == "原来的简介"
    assert "原来的简介" in page(client)
