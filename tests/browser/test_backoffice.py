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


def test_a_picture_uploaded_in_the_editor_lands_in_the_text(
    page, live_server, secretary, settings, tmp_path
):
    import io

    from PIL import Image

    from notices.models import EditorImage, Notice

    settings.MEDIA_ROOT = tmp_path
    picture = tmp_path / "合影.png"
    out = io.BytesIO()
    Image.new("RGB", (800, 400), "red").save(out, format="PNG")
    picture.write_bytes(out.getvalue())
    not_a_picture = tmp_path / "假图片.png"
    not_a_picture.write_bytes(b"%PDF-1.4 not a picture")

    log_in(page, live_server, "secretary")
    page.goto(f"{live_server.url}/admin/notices/notice/add/")
    page.fill("input[name=title]", "图片通知")
    page.locator(".tiptap.ProseMirror").click()
    page.keyboard.type("现场照片：")
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="上传图片").click()
    chooser.value.set_files(str(picture))
    page.locator(".tiptap.ProseMirror img").wait_for()
    assert "图片已插入" in page.locator(".editor-image-status").inner_text()
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="上传图片").click()
    chooser.value.set_files(str(not_a_picture))
    page.locator(".editor-image-status.errornote").wait_for()
    assert "不是 JPEG、PNG 或 WebP 图片" in page.locator(".editor-image-status").inner_text()
    # The toolbar speaks Chinese to those who hover or listen.
    assert page.locator(".prose-menubar button[title='加粗']").count() == 1
    page.locator("input[name=_save]").click()
    page.wait_for_load_state()
    notice = Notice.objects.get(title="图片通知")
    picture_row = EditorImage.objects.get()
    assert f'<img src="{picture_row.get_absolute_url()}"' in notice.body
    assert list(picture_row.notices.all()) == [notice]


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/members/company/",
        "/admin/members/company/{pk}/change/",
        "/admin/members/company/import/",
        "/admin/notices/notice/add/",
    ],
)
def test_the_back_office_on_a_phone_never_scrolls_sideways(phone, live_server, secretary, path):
    from tests.factories import CompanyFactory

    company = CompanyFactory(name="上海示例交通运输有限公司", industry="logistics")
    log_in(phone, live_server, "secretary")
    phone.goto(live_server.url + path.format(pk=company.pk))
    phone.wait_for_load_state("networkidle")
    widths = phone.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], (path, widths)
    # Greeted by name, not by the login name with an English full stop.
    assert "欢迎， 秘书长甲" in " ".join(phone.locator("#user-tools").inner_text().split())
    if path == "/admin/members/company/":
        # A long value stays on one line; the table scrolls inside its box.
        cell = phone.locator("#result_list td.field-industry").first
        assert cell.inner_text() == "交通运输、仓储和邮政业"
        assert cell.bounding_box()["height"] < 60
