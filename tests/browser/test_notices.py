"""Journeys through real Chromium: the secretary publishes a notice to members through the
back office; a member sees it on the home page, opens it (on a phone), and it counts as read."""

import io

import pytest
import zxingcpp
from PIL import Image

from notices.models import Notice, NoticeRead

from .test_journeys import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLE = "关于召开第四季度例会暨经验分享会的通知"


def test_the_secretary_publishes_a_notice_and_a_member_reads_it_from_the_home_page(
    page, phone, live_server, secretary, member, screenshot
):
    log_in(page, live_server, "secretary")
    page.goto(f"{live_server.url}/admin/notices/notice/add/")
    page.fill("input[name=title]", TITLE)
    # The editor (django-prose-editor, loaded under the CSP with its nonce): typed text,
    # bold from the keyboard.
    editor = page.locator(".ProseMirror:visible")
    editor.click()
    page.keyboard.type("各会员企业：")
    page.keyboard.press("Enter")
    page.keyboard.type("定于12月18日下午")
    page.keyboard.press("Control+b")
    page.keyboard.type("14:00")
    page.keyboard.press("Control+b")
    page.keyboard.type("召开例会。<script>alert('xss')</script>")
    page.select_option("select[name=audience]", "members")
    page.check("input[name=is_pinned]")
    screenshot(page, "notices-admin-add")
    # 发布… saves a draft and asks first, naming to whom.
    page.locator("input[name=_publish]").click()
    page.wait_for_load_state()
    notice = Notice.objects.get(title=TITLE)
    assert notice.state() == "draft"
    assert "全体会员（" in page.locator(".notice-publish-question").inner_text()
    page.locator("input[type=submit].default").click()
    page.wait_for_load_state()
    notice.refresh_from_db()
    assert notice.created_by == secretary
    assert notice.state() == "published"
    assert "<strong>14:00</strong>" in notice.body
    assert "<script" not in notice.body
    assert notice.history.first().history_user == secretary

    log_in(phone, live_server, "member")
    home = phone.locator(".home-notices")
    item = home.locator(".notice-row", has_text=TITLE)
    assert "未读" in item.inner_text()
    assert "置顶" in item.inner_text()
    screenshot(phone, "notices-home-unread-phone")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    assert not NoticeRead.objects.filter(notice=notice).exists()

    item.get_by_role("link").click()
    phone.wait_for_load_state()
    assert "定于12月18日下午14:00召开例会。" in phone.locator(".notice-body").inner_text()
    assert "<script" not in phone.locator(".notice-body").inner_html()  # typed, so text
    screenshot(phone, "notices-detail-phone")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    receipt = NoticeRead.objects.get(notice=notice)
    assert receipt.person == member.person

    phone.goto(live_server.url + "/")
    assert "未读" not in phone.locator(".home-notices .notice-row", has_text=TITLE).inner_text()

    # The secretary sees it read; the poster's QR code opens the notice.
    page.goto(f"{live_server.url}{notice.get_absolute_url()}")
    reading = page.locator(".notice-reading")
    assert "已读（1）" in reading.inner_text()
    screenshot(page, "notices-detail-staff")
    poster = page.request.get(f"{live_server.url}/share/notice/{notice.pk}/poster.png")
    image = Image.open(io.BytesIO(poster.body()))
    assert image.size == (750, 1334)
    found = [result.text for result in zxingcpp.read_barcodes(image)]
    assert found == [f"{live_server.url}{notice.get_absolute_url()}"]
