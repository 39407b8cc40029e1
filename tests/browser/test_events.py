"""Journeys through real Chromium: a member signs up for an event on a phone, and the
secretary finds the sign-up in the back office and shows the check-in code."""

import io

import icalendar
import pytest
import zxingcpp
from django.urls import reverse
from PIL import Image

from activities.models import Registration
from tests.activities.events.factories import EventFactory

from .test_journeys import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_member_on_a_phone_signs_up_and_downloads_the_ics_and_the_secretary_sees_it(
    phone, page, live_server, member, secretary, screenshot
):
    event = EventFactory(title="居住证积分政策解读", capacity=40, venue="徐泾镇社区文化活动中心")
    month = f"{event.local_start:%Y-%m}"

    log_in(phone, live_server, "member")
    phone.goto(f"{live_server.url}/calendar/?month={month}")
    screenshot(phone, "events-calendar-phone")
    # On a phone the month is a day-by-day list; the grid is hidden and nothing spills.
    assert not phone.locator(".month-grid").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    phone.locator(".day-list a.event-card", has_text="居住证积分政策解读").click()
    phone.wait_for_load_state()
    assert "剩余 40 个名额" in phone.locator("body").inner_text()

    phone.get_by_role("button", name="我要报名").click()
    phone.wait_for_load_state()
    screenshot(phone, "events-signed-up-phone")
    assert "报名成功" in phone.locator("body").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    registration = Registration.objects.get(event=event, person=member.person)
    assert registration.status == Registration.Status.REGISTERED

    with phone.expect_download() as download_info:
        phone.get_by_role("link", name="加入我的日历（.ics）").click()
    download = download_info.value
    assert download.suggested_filename == f"event-{event.pk}.ics"
    calendar = icalendar.Calendar.from_ical(open(download.path(), "rb").read())
    (vevent,) = calendar.walk("VEVENT")
    assert vevent["SUMMARY"] == "居住证积分政策解读"
    assert vevent["DTSTART"].params["TZID"] == "Asia/Shanghai"

    log_in(page, live_server, "secretary")
    page.goto(f"{live_server.url}{reverse('admin:activities_registration_changelist')}")
    screenshot(page, "events-admin-sign-ups")
    row = page.locator("#result_list tbody tr", has_text=member.person.name)
    assert "居住证积分政策解读" in row.inner_text()


def test_the_check_in_code_on_the_events_page_scans(page, live_server, secretary, screenshot):
    event = EventFactory(title="金融专家政策宣讲会")
    log_in(page, live_server, "secretary")
    page.goto(f"{live_server.url}{event.get_absolute_url()}")
    screenshot(page, "events-event-page-secretary")

    picture = page.locator("svg.qr-code").screenshot()
    found = [result.text for result in zxingcpp.read_barcodes(Image.open(io.BytesIO(picture)))]

    path = reverse("activities:event_check_in", args=[event.pk, event.check_in_code])
    assert found == [f"{live_server.url}{path}"]
