"""An application to join from a phone, to an approved member company with an invited contact."""

import io
import re
from pathlib import Path

import pytest
from django.core import mail
from PIL import Image

from development import forms as join_forms
from development import verification
from development.models import Application
from members.models import Company, Person
from tests.factories import credit_code

from .test_journeys import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SCREENS = Path(__file__).resolve().parents[2] / "artifacts" / "screens" / "join"


def shot(page, name):
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{name}.png"), full_page=True)


def test_a_company_applies_from_a_phone_and_becomes_a_member(
    phone, page, live_server, secretary, monkeypatch, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(join_forms, "MIN_FILL_SECONDS", 0)
    monkeypatch.setattr(verification, "sms_configured", lambda: False)
    licence = tmp_path / "licence.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (3000, 2000), (230, 230, 210)).save(buffer, format="JPEG")
    licence.write_bytes(buffer.getvalue())

    phone.goto(f"{live_server.url}/join/")
    shot(phone, "join-phone")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    phone.fill("input[name=company_name]", "上海徐泾新申科技有限公司")
    phone.fill("input[name=credit_code]", credit_code(4343))
    phone.fill("input[name=industry_words]", "软件开发")
    phone.fill("input[name=address]", "上海市青浦区徐泾镇徐乐路88号")
    phone.select_option("select[name=tier]", "member")
    phone.fill("textarea[name=profile]", "做仓储机器人调度软件。")
    phone.set_input_files("input[name=licence]", str(licence))
    phone.fill("input[name=contact_name]", "周晓明")
    phone.fill("input[name=contact_mobile]", "13800001234")
    phone.fill("input[name=contact_email]", "zhou@example.com")
    phone.check("input[name=consent]")
    phone.locator("form.join-form button[type=submit]").click()
    phone.wait_for_load_state()
    assert Application.objects.get().status == Application.Status.UNCONFIRMED

    link = re.search(r"http://[^/\s]+(/join/confirm/\S+/)", mail.outbox[-1].body).group(1)
    phone.goto(f"{live_server.url}{link}")
    phone.locator("main form button[type=submit]").click()
    phone.wait_for_load_state()
    assert "/join/track/" in phone.url
    shot(phone, "track-phone")
    tracking_url = phone.url

    page.goto(f"{live_server.url}/join/")
    shot(page, "join-desktop")
    log_in(page, live_server, "secretary")
    page.goto(f"{live_server.url}/development/")
    shot(page, "pipeline-desktop")
    log_in(phone, live_server, "secretary")
    phone.goto(f"{live_server.url}/development/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    shot(phone, "pipeline-phone")
    phone.goto(tracking_url)
    page.click("text=上海徐泾新申科技有限公司")
    page.locator("form[action$='/recommend/'] button").click()
    page.locator("form[action$='/check/'] button").click()
    page.check("input[name=decision][value=approved]")
    page.locator("form[action$='/decision/'] button[type=submit]").click()
    page.wait_for_load_state()
    shot(page, "prospect-approved-desktop")

    company = Company.objects.get(name="上海徐泾新申科技有限公司")
    contact = Person.objects.get(company=company)
    assert contact.is_main_contact and contact.user.email == "zhou@example.com"
    assert any("zhou@example.com" in message.to for message in mail.outbox)
    phone.goto(tracking_url)
    assert "周晓明" not in phone.content()
    shot(phone, "track-approved-phone")


def test_a_member_keeps_the_company_record_from_a_phone(
    phone, page, live_server, member, leader, term
):
    from activities.models import Assignment
    from tests.factories import PersonFactory

    company = member.person.company
    PersonFactory(company=company, name="王小青", title="人事专员")
    Assignment.objects.create(term=term, leader=leader.person, company=company)
    log_in(phone, live_server, "member")
    phone.goto(f"{live_server.url}/me/")
    shot(phone, "me-phone")
    phone.click("text=维护本企业信息")
    phone.fill("textarea[name=profile]", "专注汽车零部件二十年，员工三百人。")
    phone.locator("main form button[type=submit]").first.click()
    phone.wait_for_load_state()
    assert "员工三百人" in Company.objects.get(pk=company.pk).profile
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    shot(phone, "me-company-phone")
    log_in(page, live_server, "member")
    page.goto(f"{live_server.url}/me/company/")
    shot(page, "me-company-desktop")
