"""The back office in real Chromium: the 四好 report's print button and what paper leaves
out, and the notice editor under the Content-Security-Policy."""

import re

import pytest
from django.utils import timezone

from .test_journeys import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_four_goods_report_prints_only_its_paper_content(page, live_server, secretary):
    log_in(page, live_server, "secretary")
    page.goto(f"{live_server.url}/reports/four-goods/{timezone.localdate().year}/")
    assert page.locator("[data-print]").is_visible()
    assert page.locator(".report-toolbar").is_visible()
    page.emulate_media(media="print")
    for screen_only in ("[data-print]", ".report-toolbar", ".screen-only", ".site-nav"):
        assert not page.locator(screen_only).first.is_visible(), screen_only
    assert page.locator(".report-data-date").is_visible()
    assert page.locator(".report-signoff").is_visible()
    text = page.locator("main").inner_text() if page.locator("main").count() else ""
    assert "（后台）" not in text
    pdf = page.pdf(format="A4")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) <= 3


def test_the_notice_editor_runs_under_the_content_security_policy(page, live_server, secretary):
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text)
            if "Content Security Policy" in message.text or "prose editor" in message.text
            else None
        ),
    )
    log_in(page, live_server, "secretary")
    page.goto(f"{live_server.url}/admin/notices/notice/add/")
    editor = page.locator(".ProseMirror:visible")
    editor.click()
    page.keyboard.type("通知正文")
    assert "通知正文" in editor.inner_text()
    assert refused == []
