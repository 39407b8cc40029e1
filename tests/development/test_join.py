"""/join/: an application sent by anyone, confirmed by its contact, tracked by a signed link;
refused to robots and to too many tries; showing nothing of the register."""

import datetime
import re
import time

import pytest
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from core.mail import address_of
from core.notifications.models import Message
from development import join_views, verification
from development.forms import STARTED_SALT
from development.models import Application
from members.models import Prospect
from tests.factories import CompanyFactory, PersonFactory, credit_code

from .conftest import licence_upload
from .factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def started(seconds_ago=30):
    return signing.dumps(time.time() - seconds_ago, salt=STARTED_SALT)


def application_data(**overrides):
    data = {
        "company_name": "上海徐泾新申科技有限公司",
        "credit_code": " " + credit_code(4242)[:9] + "-" + credit_code(4242)[9:].lower(),
        "industry_words": "软件开发",
        "address": "上海市青浦区徐泾镇徐乐路88号",
        "tier": "member",
        "profile": "做仓储机器人调度软件，员工四十人。",
        "contact_name": "周晓明",
        "contact_title": "总经理",
        "contact_mobile": "138 0000 1234",
        "contact_email": "zhou@example.com",
        "consent": "on",
        "website": "",
        "started": started(),
        "licence": licence_upload(),
    }
    data.update(overrides)
    return data


@pytest.fixture(autouse=True)
def email_only(monkeypatch, media):
    monkeypatch.setattr(verification, "sms_configured", lambda: False)


def test_the_form_opens_without_logging_in_and_shows_nothing_of_the_register(client):
    CompanyFactory(name="上海已入会机密实业有限公司")
    PersonFactory(mobile="13912340000", email="secret@example.com")
    response = client.get(reverse("development:join"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="licence"' in html and 'name="website"' in html
    assert "上海已入会机密实业有限公司" not in html
    assert "13912340000" not in html and "secret@example.com" not in html


def test_an_application_confirmed_by_email_enters_the_pipeline(
    client, secretary, django_capture_on_commit_callbacks
):
    response = client.post(reverse("development:join"), application_data())
    assert response.status_code == 200, response.context["form"].errors
    application = Application.objects.get()
    assert application.status == Application.Status.UNCONFIRMED
    assert application.credit_code == credit_code(4242)
    assert application.contact_mobile == "13800001234"
    assert application.industry == "it" and application.industry_text == "软件开发"
    # The licence is stored privately, under a random name, scaled down.
    assert application.licence.name.startswith("private/licences/")
    assert "营业执照" not in application.licence.name
    with Image.open(application.licence.path) as image:
        assert max(image.size) == 1600
    assert Prospect.objects.count() == 0  # nothing is passed on before the contact confirms

    (email,) = mail.outbox
    assert email.to == ["zhou@example.com"]
    link = re.search(r"http://testserver(/join/confirm/\S+/)", email.body).group(1)
    assert client.get(link).status_code == 200
    assert (
        Application.objects.get().status == Application.Status.UNCONFIRMED
    )  # GET confirms nothing

    response = client.post(link)
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert response["Location"] == reverse(
        "development:track", args=[verification.track_token(application)]
    )
    prospect = application.prospect
    assert prospect.stage == Prospect.Stage.APPLIED and prospect.source == Prospect.Source.SELF
    assert prospect.owner is None
    recipients = {address for message in mail.outbox[1:] for address in message.to}
    assert {"zhou@example.com", address_of(secretary.person)} <= recipients
    # The secretariat hears of it through the notification service: in its inbox too.
    assert Message.objects.filter(user=secretary, kind="new_application").count() == 1
    # A second click changes nothing.
    client.post(link)
    assert Prospect.objects.count() == 1
    assert Message.objects.filter(kind="new_application").count() == 1


def test_an_application_confirmed_by_sms_code(client, monkeypatch):
    sent = {}
    monkeypatch.setattr(verification, "sms_configured", lambda: True)
    monkeypatch.setattr(
        verification, "send_code", lambda mobile, code: sent.update(m=mobile, c=code)
    )
    response = client.post(reverse("development:join"), application_data(contact_email=""))
    assert response.status_code == 302
    assert sent["m"] == "13800001234"
    code_url = response["Location"]
    assert (
        client.post(code_url, {"code": "000000" if sent["c"] != "000000" else "111111"}).status_code
        == 200
    )
    assert Application.objects.get().status == Application.Status.UNCONFIRMED
    response = client.post(code_url, {"code": sent["c"]})
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.status == Application.Status.SUBMITTED and application.code_hash == ""


def test_a_wrong_code_five_times_locks_the_application(client, monkeypatch):
    monkeypatch.setattr(verification, "sms_configured", lambda: True)
    monkeypatch.setattr(verification, "send_code", lambda mobile, code: None)
    code_url = client.post(reverse("development:join"), application_data())["Location"]
    application = Application.objects.get()
    application.code_hash = verification.new_code()[1]
    application.save()
    for _ in range(verification.CODE_MAX_TRIES):
        client.post(code_url, {"code": "999999"})
    application.refresh_from_db()
    assert application.code_tries == verification.CODE_MAX_TRIES
    application.code_hash = "known"
    assert client.post(code_url, {"code": "123456"}).status_code == 200
    assert Application.objects.get().status == Application.Status.UNCONFIRMED


@pytest.mark.parametrize(
    "overrides",
    [
        {"website": "http://spam.example"},  # the honeypot
        {"started": 1},  # faster than a person types
        {"started": 2 * 24 * 3600},
        {"started": "forged"},
        {"credit_code": "913101181234567890"},  # a wrong check character
        {"contact_mobile": "1234"},
        {"consent": ""},
        {"licence": ""},
    ],
)
def test_what_a_person_would_not_send_is_refused_and_nothing_is_stored(client, overrides):
    if isinstance(overrides.get("started"), int):
        overrides = {"started": started(seconds_ago=overrides["started"])}
    response = client.post(reverse("development:join"), application_data(**overrides))
    assert response.status_code == 200
    assert response.context["form"].errors
    assert Application.objects.count() == 0 and not mail.outbox


def test_a_file_that_is_not_an_image_is_refused(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile(
        "licence.jpg", b"<script>alert(1)</script>", content_type="image/jpeg"
    )
    response = client.post(reverse("development:join"), application_data(licence=fake))
    assert "licence" in response.context["form"].errors
    assert Application.objects.count() == 0


def test_applications_from_one_address_are_limited(client):
    for n in range(join_views.APPLICATIONS_PER_HOUR):
        data = application_data(company_name=f"上海限流测试{n}有限公司")
        assert client.post(reverse("development:join"), data).status_code == 200
    response = client.post(reverse("development:join"), application_data())
    assert response.status_code == 429
    assert Application.objects.count() == join_views.APPLICATIONS_PER_HOUR


def test_the_tracking_page_shows_the_stage_and_the_decision_only(client, secretary):
    application = ApplicationFactory(
        status=Application.Status.APPROVED,
        decided_by=secretary,
        decided_on=datetime.date(2026, 3, 2),
        decision_note="执委会一致通过，内部备注",
    )
    response = client.get(
        reverse("development:track", args=[verification.track_token(application)])
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "noindex" in html
    for private in (
        application.company_name,
        application.credit_code,
        application.contact_mobile,
        application.contact_email,
        application.contact_name,
        application.address,
        "内部备注",
        secretary.username,
    ):
        assert private not in html


def test_a_forged_or_confirmation_token_does_not_open_the_tracking_page(client):
    application = ApplicationFactory()
    for token in ["1", verification.confirm_token(application), signing.dumps(application.pk)]:
        assert client.get(reverse("development:track", args=[token])).status_code == 404
    assert client.get(reverse("development:join_confirm", args=["x"])).status_code == 404


def test_an_expired_code_confirms_nothing(client, monkeypatch):
    sent = {}
    monkeypatch.setattr(verification, "sms_configured", lambda: True)
    monkeypatch.setattr(verification, "send_code", lambda mobile, code: sent.update(c=code))
    code_url = client.post(reverse("development:join"), application_data())["Location"]
    Application.objects.update(
        created_at=timezone.now() - datetime.timedelta(minutes=verification.CODE_MINUTES + 1)
    )
    assert client.post(code_url, {"code": sent["c"]}).status_code == 200
    assert Application.objects.get().status == Application.Status.UNCONFIRMED


def test_the_code_is_texted_through_core_sms(client, monkeypatch, settings):
    from core import sms

    texts = []
    monkeypatch.setattr(verification, "sms_configured", lambda: True)
    monkeypatch.setattr(sms, "send_sms", lambda *args: texts.append(args) or "id-1")
    response = client.post(reverse("development:join"), application_data(contact_email=""))
    assert response.status_code == 302
    ((mobile, template, params),) = texts
    assert (mobile, template, params["minutes"]) == ("13800001234", "verify_mobile", "30")
    assert re.fullmatch(r"\d{6}", params["code"])


def test_when_the_provider_fails_the_email_link_stands_in(client, monkeypatch):
    from core import sms

    def refuse(*args):
        raise sms.SmsError("refused")

    monkeypatch.setattr(verification, "sms_configured", lambda: True)
    monkeypatch.setattr(sms, "send_sms", refuse)
    response = client.post(reverse("development:join"), application_data())
    assert response.status_code == 200
    assert "/join/confirm/" in mail.outbox[-1].body


def test_the_login_page_leads_a_company_that_is_not_a_member_to_the_application(client):
    page = client.get(reverse("account_login")).content.decode()
    assert "申请入会" in page and f'href="{reverse("development:join")}"' in page


def test_the_join_form_reads_nothing_from_the_database(client, django_assert_max_num_queries):
    """An anonymous page anyone may load: it asks the database nothing (the rate limit is
    counted on sending, in the cache)."""
    with django_assert_max_num_queries(0):
        assert client.get(reverse("development:join")).status_code == 200
