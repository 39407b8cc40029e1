"""The inbox in real Chromium, on a 375 px phone and a 1280 px screen: the unread count in the
header, the list, a message opened (and then read), 全部标为已读. Screenshots in
artifacts/screens/notify/."""

from pathlib import Path

import pytest
from django.utils import timezone

from core.notifications import notify
from core.notifications.models import Message
from tests.activities.events.factories import EventFactory, in_days
from tests.notices.factories import NoticeFactory

from .test_journeys import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SCREENS = Path(__file__).resolve().parents[2] / "artifacts" / "screens" / "notify"


def shoot(page, name):
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{name}.png"), full_page=True)


def fill_inbox(user):
    event = EventFactory(title="2026年度政策宣讲会（第四期）", starts_at=in_days(1, 14))
    notify([user], "event_reminder", {"event": event, "url": "http://testserver/events/1/"})
    salon = EventFactory(title="企业家沙龙：数字化转型")
    notify([user], "event_cancelled", {"event": salon, "url": "http://testserver/events/2/"})
    for n in range(22):
        notice = NoticeFactory(title=f"关于召开第四季度例会暨经验分享会的通知（第{n + 1}号）")
        notify([user], "notice_unread", {"notice": notice, "url": "http://testserver/n/"})
    # The oldest few already read.
    oldest = Message.objects.filter(user=user).order_by("pk")[:5]
    Message.objects.filter(pk__in=[m.pk for m in oldest]).update(read_at=timezone.now())


@pytest.mark.parametrize("device", ["phone", "page"])
def test_a_member_reads_the_inbox(request, device, live_server, member):
    browser = request.getfixturevalue(device)
    width = 375 if device == "phone" else 1280
    fill_inbox(member)
    log_in(browser, live_server, "member")

    # Publishing each notice told the member too (notice_published): count what is unread.
    unread = Message.objects.filter(user=member, read_at__isnull=True).count()
    assert unread > 20
    badge = browser.locator(".inbox-count")
    assert badge.inner_text() == str(unread)
    browser.locator(".inbox-link").click()
    browser.wait_for_load_state()
    assert f"{unread} 条未读消息" in browser.locator(".page-lead").inner_text()
    rows = browser.locator("li.inbox-row")
    assert rows.count() == 20
    shoot(browser, f"inbox-{width}")
    assert browser.evaluate("document.documentElement.scrollWidth") <= width

    rows.first.get_by_role("link").click()
    browser.wait_for_load_state()
    assert "商会" in browser.locator(".inbox-message-body").inner_text()
    shoot(browser, f"inbox-message-{width}")
    assert browser.evaluate("document.documentElement.scrollWidth") <= width
    assert browser.locator(".inbox-count").inner_text() == str(unread - 1)

    browser.goto(f"{live_server.url}/inbox/")
    browser.get_by_role("button", name="全部标为已读").click()
    browser.wait_for_load_state()
    assert browser.locator(".inbox-count").count() == 0
    shoot(browser, f"inbox-all-read-{width}")
    assert not Message.objects.filter(user=member, read_at__isnull=True).exists()
