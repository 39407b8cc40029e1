"""Sharing to WeChat: the page's QR code, a server-drawn poster with a decodable QR code, and
Open Graph tags pointing at the poster; no poster of what the person may not see."""

import io
import logging

import pytest
import zxingcpp
from django.core.checks import run_checks
from django.urls import reverse
from PIL import Image

from activities.models import Event
from notices.models import Notice
from notices.share import POSTER_SIZE, render_poster
from tests.activities.events.factories import EventFactory

from .factories import NoticeFactory, SpotlightFactory


def decode_qr(png: bytes) -> list[str]:
    image = Image.open(io.BytesIO(png))
    return [result.text for result in zxingcpp.read_barcodes(image)]


@pytest.fixture
def notice(db):
    return NoticeFactory(
        title="关于召开2026年第四季度例会暨经验分享会的通知",
        body="<p>定于12月18日下午在徐泾镇社区文化活动中心召开。</p>",
    )


def test_the_poster_is_a_png_of_the_phone_size_whose_qr_code_opens_the_notice(
    client, member, notice
):
    client.force_login(member)
    response = client.get(reverse("notices:share_poster", args=["notice", notice.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    png = response.content
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    assert image.size == POSTER_SIZE == (750, 1334)
    assert decode_qr(png) == [f"http://testserver{notice.get_absolute_url()}"]


def test_the_poster_draws_the_chinese_title_with_a_cjk_font(notice, settings):
    """Drawn with the CJK font the title's characters are real glyphs: the poster differs
    from one drawn with an empty title (boxes from a font without Chinese would too, so the
    font is also checked to have the characters)."""
    from notices.share import font, poster_font_path

    if not poster_font_path().exists():  # as the browser tests skip without chromium
        pytest.skip(f"no CJK font at {poster_font_path()} (apt-get install fonts-noto-cjk)")
    cjk = font(40)
    assert cjk.getbbox("商")[2] > 20  # a full-width glyph, not a narrow box
    with_title = render_poster(
        title=notice.title, url="http://testserver/notices/1/", kind_label="通知公告", date=None
    )
    without = render_poster(
        title="", url="http://testserver/notices/1/", kind_label="通知公告", date=None
    )
    assert with_title != without


def test_a_missing_font_still_gives_a_poster_and_says_what_to_install(
    client, member, notice, settings, caplog
):
    settings.CHAMBER_POSTER_FONT = "/nonexistent/NotoSansCJK-Regular.ttc"
    client.force_login(member)
    with caplog.at_level(logging.ERROR, logger="notices.share"):
        response = client.get(reverse("notices:share_poster", args=["notice", notice.pk]))
    assert response.status_code == 200
    assert Image.open(io.BytesIO(response.content)).size == POSTER_SIZE
    assert decode_qr(response.content) == [f"http://testserver{notice.get_absolute_url()}"]
    assert "fonts-noto-cjk" in caplog.text
    warnings = [message for message in run_checks() if message.id == "notices.W001"]
    assert warnings and "CHAMBER_POSTER_FONT" in warnings[0].hint


def test_the_notice_page_has_the_qr_code_and_open_graph_tags(client, member, notice):
    client.force_login(member)
    page = client.get(notice.get_absolute_url()).content.decode()
    poster = f"http://testserver/share/notice/{notice.pk}/poster.png"
    assert f'<meta property="og:title" content="{notice.title}">' in page
    assert (
        '<meta property="og:description" content="定于12月18日下午在徐泾镇社区文化活动中心召开。">'
        in page
    )
    assert f'<meta property="og:image" content="{poster}">' in page
    assert (
        f'<meta property="og:url" content="http://testserver{notice.get_absolute_url()}">' in page
    )
    assert 'class="share-qr"><title>本页二维码</title>' in page
    assert "分享到微信" in page and "保存分享海报" in page


def test_the_spotlight_page_shares_its_own_poster(client, member):
    spotlight = SpotlightFactory(title="两个月内搬离腾地")
    client.force_login(member)
    page = client.get(spotlight.get_absolute_url()).content.decode()
    assert f"/share/spotlight/{spotlight.pk}/poster.png" in page
    response = client.get(reverse("notices:share_poster", args=["spotlight", spotlight.pk]))
    assert decode_qr(response.content) == [f"http://testserver{spotlight.get_absolute_url()}"]


def test_no_poster_of_a_notice_the_person_may_not_read(client, member, outsider, notice):
    leadership = NoticeFactory(audience=Notice.Audience.LEADERSHIP)
    client.force_login(member)
    assert (
        client.get(reverse("notices:share_poster", args=["notice", leadership.pk])).status_code
        == 404
    )
    client.force_login(outsider)
    assert (
        client.get(reverse("notices:share_poster", args=["notice", notice.pk])).status_code == 404
    )
    assert client.get("/share/visit/1/poster.png").status_code == 404


def test_the_poster_can_be_downloaded_as_a_file(client, member, notice):
    client.force_login(member)
    response = client.get(
        reverse("notices:share_poster", args=["notice", notice.pk]), {"download": "1"}
    )
    assert (
        response["Content-Disposition"] == f'attachment; filename="notice-{notice.pk}-poster.png"'
    )


def test_a_draft_has_no_share_box(client, secretary):
    draft = NoticeFactory(publish_at=None)
    client.force_login(secretary)
    assert "分享到微信" not in client.get(draft.get_absolute_url()).content.decode()


def test_the_event_page_is_shared_with_its_own_poster(client, member):
    event = EventFactory(title="居住证积分政策解读会", venue="徐泾镇社区文化活动中心")
    client.force_login(member)
    page = client.get(event.get_absolute_url()).content.decode()
    poster = f"http://testserver/share/event/{event.pk}/poster.png"
    assert f'<meta property="og:image" content="{poster}">' in page
    assert '<meta property="og:title" content="居住证积分政策解读会">' in page
    assert "分享到微信" in page
    response = client.get(reverse("notices:share_poster", args=["event", event.pk]))
    assert Image.open(io.BytesIO(response.content)).size == POSTER_SIZE
    assert decode_qr(response.content) == [f"http://testserver{event.get_absolute_url()}"]


def test_no_poster_of_an_event_the_person_may_not_see(client, member):
    event = EventFactory(audience=Event.Audience.LEADERSHIP)
    client.force_login(member)
    url = reverse("notices:share_poster", args=["event", event.pk])
    assert client.get(url).status_code == 404


def test_poster_lines_never_start_with_closing_punctuation():
    from notices.share import font, wrap

    text = "通过“走出去、学进来、广推开”模式，让企业学习成熟经验，开拓经营思路。" * 3
    for width in range(300, 640, 7):
        lines = wrap(text, font(28), width, 20)
        assert all(line[0] not in "，。、”）》" for line in lines[1:]), (width, lines)
