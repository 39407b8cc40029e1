"""The back office for companies, people, prospects and tags: who may do what, and queries."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from members.models import Company, Person, Tag, pinyin_initials, pinyin_sort_key
from tests.factories import CompanyFactory, PersonFactory, ProspectFactory, TagFactory, credit_code

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:members_company_changelist")
ADD = reverse("admin:members_company_add")


def change_url(company):
    return reverse("admin:members_company_change", args=[company.pk])


def history_url(company):
    return reverse("admin:members_company_history", args=[company.pk])


def make_companies(count, start=1000):
    """Companies with a main contact and two tags each, written in bulk."""
    tags = [TagFactory(name="上市企业"), TagFactory(name="亿元楼")]
    names = [f"上海徐泾批量{n}号实业有限公司" for n in range(start, start + count)]
    companies = Company.objects.bulk_create(
        Company(
            name=name,
            credit_code=credit_code(start + n),
            name_initials=pinyin_initials(name),
            name_pinyin=pinyin_sort_key(name),
        )
        for n, name in enumerate(names)
    )
    Person.objects.bulk_create(
        Person(name=f"联系人{n}", company=company, is_main_contact=True, mobile="13812345678")
        for n, company in enumerate(companies)
    )
    Company.tags.through.objects.bulk_create(
        Company.tags.through(company=company, tag=tag) for company in companies for tag in tags
    )


def company_form(**fields):
    """The company change form as a browser posts it, with an empty people inline."""
    data = {
        "name": "上海灿辉国际贸易有限公司",
        "credit_code": "91350100M000100Y43",
        "industry": "trade",
        "tier": "member",
        "status": "active",
        "member_since": "2024-05-01",
        "address": "",
        "profile": "",
        "party_organisation": "none",
        "party_members": "0",
        "people-TOTAL_FORMS": "0",
        "people-INITIAL_FORMS": "0",
        "people-MIN_NUM_FORMS": "0",
        "people-MAX_NUM_FORMS": "1000",
    }
    data.update(fields)
    return data


def png(width, height):
    out = io.BytesIO()
    Image.new("RGB", (width, height), "red").save(out, format="PNG")
    return SimpleUploadedFile("logo.png", out.getvalue(), content_type="image/png")


def test_the_company_list_takes_as_many_queries_for_500_companies_as_for_10(client, secretary):
    client.force_login(secretary)
    make_companies(10)
    client.get(CHANGELIST)  # warm the content-type and permission caches

    with CaptureQueriesContext(connection) as ten:
        response = client.get(CHANGELIST)
    assert response.status_code == 200
    assert "联系人0" in response.content.decode()

    make_companies(490, start=2000)
    with CaptureQueriesContext(connection) as five_hundred:
        response = client.get(CHANGELIST)
    assert response.status_code == 200

    assert len(five_hundred) == len(ten)
    assert len(ten) <= 15


def test_the_people_list_takes_as_many_queries_for_500_people_as_for_10(client, secretary):
    client.force_login(secretary)
    make_companies(10)
    url = reverse("admin:members_person_changelist")
    client.get(url)

    with CaptureQueriesContext(connection) as ten:
        client.get(url)
    make_companies(490, start=2000)
    with CaptureQueriesContext(connection) as five_hundred:
        client.get(url)

    assert len(five_hundred) == len(ten)


def test_the_list_shows_companies_on_the_register_unless_asked_for_all(client, secretary):
    client.force_login(secretary)
    CompanyFactory(name="上海在册企业有限公司")
    CompanyFactory(name="上海退会企业有限公司", status=Company.Status.LEFT)

    default = client.get(CHANGELIST).content.decode()
    everyone = client.get(CHANGELIST, {"status": "all"}).content.decode()

    assert "上海在册企业有限公司" in default and "上海退会企业有限公司" not in default
    assert "上海在册企业有限公司" in everyone and "上海退会企业有限公司" in everyone


def test_the_secretary_searches_companies_by_pinyin_initials_and_credit_code(client, secretary):
    client.force_login(secretary)
    shanghaojia = CompanyFactory(name="上好佳食品有限公司")
    CompanyFactory(name="周黑鸭食品有限公司")

    by_initials = client.get(CHANGELIST, {"q": "shj"}).content.decode()
    by_code = client.get(CHANGELIST, {"q": shanghaojia.credit_code}).content.decode()

    assert "上好佳食品有限公司" in by_initials and "周黑鸭食品有限公司" not in by_initials
    assert "上好佳食品有限公司" in by_code and "周黑鸭食品有限公司" not in by_code


def test_the_secretary_sees_import_and_export_on_the_company_list(client, secretary):
    client.force_login(secretary)

    page = client.get(CHANGELIST).content.decode()

    assert reverse("admin:members_company_import") in page
    assert reverse("admin:members_company_export") in page


def test_the_secretary_adds_a_company_and_the_history_says_who(client, secretary):
    client.force_login(secretary)

    response = client.post(ADD, company_form())

    assert response.status_code == 302
    company = Company.objects.get(credit_code="91350100M000100Y43")
    assert company.name_initials == "shchgjmyyxgs"
    [record] = company.history.all()
    assert record.history_user == secretary
    page = client.get(history_url(company)).content.decode()
    assert "secretary" in page
    version = client.get(
        reverse("admin:members_company_simple_history", args=[company.pk, record.pk])
    )
    assert 'name="_save"' in version.content.decode()  # the secretary may revert


def test_a_wrong_credit_code_in_the_form_is_named(client, secretary):
    client.force_login(secretary)

    response = client.post(ADD, company_form(credit_code="91350100M000100Y44"))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["credit_code"]
    assert not Company.objects.exists()


def test_a_logo_is_stored_scaled_down_and_a_fake_image_is_refused(
    client, secretary, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(secretary)
    company = CompanyFactory()

    client.post(change_url(company), company_form(name=company.name, logo=png(1200, 600)))
    company.refresh_from_db()
    assert company.logo
    assert Image.open(company.logo.path).size == (512, 256)

    fake = SimpleUploadedFile("logo.png", b"not an image", content_type="image/png")
    response = client.post(change_url(company), company_form(name=company.name, logo=fake))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["logo"]


def test_the_supervisor_reads_the_list_a_company_and_its_history(client, supervisor):
    company = CompanyFactory(name="上海麦迪睿医疗科技有限公司")
    company.name = "麦迪睿医疗科技（上海）有限公司"
    company.save()
    record = company.history.first()
    client.force_login(supervisor)

    listing = client.get(CHANGELIST)
    detail = client.get(change_url(company))
    history = client.get(history_url(company))
    version = client.get(
        reverse("admin:members_company_simple_history", args=[company.pk, record.pk])
    )

    assert (
        listing.status_code == 200 and "麦迪睿医疗科技（上海）有限公司" in listing.content.decode()
    )
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.content.decode()
    assert history.status_code == 200
    assert "上海麦迪睿医疗科技有限公司" in history.content.decode()
    assert version.status_code == 200
    assert reverse("admin:members_company_import") not in listing.content.decode()


def test_the_supervisor_changes_nothing(client, supervisor):
    company = CompanyFactory(name="上海原名有限公司")
    record = company.history.first()
    companies = Company.objects.count()
    client.force_login(supervisor)

    add_page = client.get(ADD)
    add = client.post(ADD, company_form())
    change = client.post(change_url(company), company_form(name="上海改名有限公司"))
    revert = client.post(
        reverse("admin:members_company_simple_history", args=[company.pk, record.pk]),
        company_form(name="上海改名有限公司"),
    )
    delete = client.post(
        reverse("admin:members_company_delete", args=[company.pk]), {"post": "yes"}
    )

    assert [r.status_code for r in (add_page, add, change, revert, delete)] == [403] * 5
    company.refresh_from_db()
    assert company.name == "上海原名有限公司"
    assert Company.objects.count() == companies
    assert company.history.count() == 1


def test_the_supervisor_does_not_see_mobiles_in_the_people_list(client, supervisor, secretary):
    PersonFactory(name="孙悦", mobile="13811112222")
    url = reverse("admin:members_person_changelist")

    client.force_login(supervisor)
    as_supervisor = client.get(url).content.decode()
    client.force_login(secretary)
    as_secretary = client.get(url).content.decode()

    assert "孙悦" in as_supervisor and "13811112222" not in as_supervisor
    assert "13811112222" in as_secretary


@pytest.mark.parametrize("persona", ["member", "leader", "outsider"])
def test_people_without_staff_access_are_sent_to_log_in(client, request, persona):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(CHANGELIST)

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(CHANGELIST)

    assert response.status_code == 302


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:members_person_changelist",
        "admin:members_prospect_changelist",
        "admin:members_tag_changelist",
    ],
)
def test_the_other_lists_open_for_the_secretary_and_the_supervisor(
    client, secretary, supervisor, url_name
):
    ProspectFactory(company_name="上海拟入会企业有限公司")
    TagFactory(name="专精特新")
    for user in (secretary, supervisor):
        client.force_login(user)
        assert client.get(reverse(url_name)).status_code == 200


def test_tags_are_listed_with_their_number_of_companies(client, secretary):
    client.force_login(secretary)
    tag = TagFactory(name="亿元楼")
    for company in CompanyFactory.create_batch(3):
        company.tags.add(tag)

    response = client.get(reverse("admin:members_tag_changelist"))

    assert Tag.objects.get().companies.count() == 3
    assert response.context["cl"].result_list[0].company_count == 3


def test_person_autocomplete_names_the_company(client, secretary):
    client.force_login(secretary)
    PersonFactory(name="钱多多", company=CompanyFactory(name="上海德邦物流有限公司"))

    response = client.get(
        reverse("admin:autocomplete"),
        {
            "term": "钱",
            "app_label": "members",
            "model_name": "prospect",
            "field_name": "owner",
        },
    )

    assert response.status_code == 200
    assert response.json()["results"][0]["text"] == "钱多多（上海德邦物流有限公司）"
