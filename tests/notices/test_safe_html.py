"""Only safe HTML survives in notices and spotlights: no script, event handler, style,
frame or javascript: link reaches a page, however it is written."""

import pytest
from django.urls import reverse

from notices.html import clean_html, render_html
from notices.models import Notice

from .factories import NoticeFactory, SpotlightFactory

XSS_PAYLOADS = [
    "<script>alert('xss')</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert('xss')</scr</script>ipt>",
    "<img src=x onerror=alert('xss')>",
    "<img src=x onerror\n=alert('xss')>",
    "<svg onload=alert('xss')>",
    "<svg/onload=alert('xss')>",
    "<body onload=alert('xss')>",
    "<iframe src=\"javascript:alert('xss')\"></iframe>",
    "<iframe srcdoc=\"<script>alert('xss')</script>\"></iframe>",
    "<object data=\"javascript:alert('xss')\"></object>",
    "<embed src=\"javascript:alert('xss')\">",
    "<a href=\"javascript:alert('xss')\">click</a>",
    "<a href=\"JaVaScRiPt:alert('xss')\">click</a>",
    "<a href=\" javascript:alert('xss')\">click</a>",
    "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;:alert('xss')\">x</a>",
    "<a href=\"&#x6A;avascript:alert('xss')\">x</a>",
    "<a href=\"jav&#x09;ascript:alert('xss')\">x</a>",
    "<a href=\"vbscript:msgbox('xss')\">x</a>",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgneHNzJyk8L3NjcmlwdD4=">x</a>',
    '<a href="https://example.cn" onclick="alert(\'xss\')">x</a>',
    "<a href=\"https://example.cn\" onmouseover=alert('xss')>x</a>",
    "<p style=\"background:url(javascript:alert('xss'))\">x</p>",
    "<p style=\"width: expression(alert('xss'))\">x</p>",
    '<div style="behavior: url(xss.htc)">x</div>',
    "<style>body{background:url(\"javascript:alert('xss')\")}</style>",
    "<link rel=stylesheet href=\"javascript:alert('xss')\">",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(\'xss\')">',
    "<base href=\"javascript:alert('xss')//\">",
    "<form action=\"javascript:alert('xss')\"><button>x</button></form>",
    "<input autofocus onfocus=alert('xss')>",
    "<details open ontoggle=alert('xss')>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('xss')>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert('xss')>\">",
    "<!--<img src=x onerror=alert('xss')>-->",
    "<video><source onerror=\"alert('xss')\"></video>",
    "<marquee onstart=alert('xss')>x</marquee>",
    "<table background=\"javascript:alert('xss')\"><tr><td>x</td></tr></table>",
    "<td onmouseover=alert('xss')>x</td>",
    "\"><script>alert('xss')</script>",
    "&lt;script&gt;alert('xss')&lt;/script&gt;",
    "%3Cscript%3Ealert('xss')%3C/script%3E",
]
DANGEROUS = [
    "<script",
    "<iframe",
    "<object",
    "<embed",
    "<svg",
    "<img",
    "<style",
    "<link",
    "<meta",
    "<base",
    "<form",
    "<input",
    "<details",
    "<video",
    "<marquee",
    "javascript:",
    "vbscript:",
    "data:text/html",
    "expression(",
    "behavior:",
    "onerror",
    "onload",
    "onclick",
    "onmouseover",
    "onfocus",
    "ontoggle",
    "onstart",
    "style=",
]


def assert_harmless(html: str):
    lowered = html.lower()
    for marker in DANGEROUS:
        assert marker not in lowered, (marker, html)


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_the_sanitizer_leaves_nothing_that_runs(payload):
    assert_harmless(clean_html(f"<p>通知正文</p>{payload}"))
    assert_harmless(str(render_html(payload)))


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_no_payload_reaches_the_notice_page(client, member, payload):
    notice = NoticeFactory(body=f"<p>各会员企业：</p>{payload}<p>请准时参加。</p>")
    stored = Notice.objects.get(pk=notice.pk).body
    assert_harmless(stored)
    client.force_login(member)
    page = client.get(notice.get_absolute_url()).content.decode()
    body = page[page.index('class="prose notice-body"') :]
    body = body[: body.index("</div>")]
    assert_harmless(body)
    assert "<p>各会员企业：</p>" in body


def test_a_payload_written_past_the_model_is_still_cleaned_on_the_page(client, member):
    notice = NoticeFactory()
    # A row changed without save() (a bulk update, a shell): the page cleans it again.
    Notice.objects.filter(pk=notice.pk).update(
        body="<p>正文</p><img src=x onerror=alert('xss')><script>alert(1)</script>"
    )
    client.force_login(member)
    page = client.get(notice.get_absolute_url()).content.decode()
    body = page[page.index('class="prose notice-body"') :]
    assert_harmless(body[: body.index("</div>")])


def test_the_allowed_formatting_survives(client, member):
    notice = NoticeFactory(
        body=(
            "<h2>一、会议内容</h2><p><strong>时间</strong>：<em>下午两点</em></p>"
            "<ol><li>通报工作</li></ol><ul><li>经验分享</li></ul>"
            "<blockquote>引用</blockquote>"
            "<table><tr><th>指标</th><td>30分</td></tr></table>"
            '<p><a href="https://www.shanghai.gov.cn/" target="_blank">市政府网站</a></p>'
        )
    )
    client.force_login(member)
    page = client.get(notice.get_absolute_url()).content.decode()
    for fragment in [
        "<h2>一、会议内容</h2>",
        "<strong>时间</strong>",
        "<em>下午两点</em>",
        "<ol><li>通报工作</li></ol>",
        "<blockquote>引用</blockquote>",
        "<th>指标</th>",
        '<a href="https://www.shanghai.gov.cn/" rel="noopener noreferrer">市政府网站</a>',
    ]:
        assert fragment in page


def test_plain_text_keeps_its_paragraphs_and_line_breaks(client, member):
    notice = NoticeFactory(body="各会员企业：\n\n请于月底前报名。\n联系电话：69761234")
    client.force_login(member)
    page = client.get(notice.get_absolute_url()).content.decode()
    assert "<p>各会员企业：</p>" in page
    assert "<p>请于月底前报名。<br>联系电话：69761234</p>" in page


def test_plain_text_with_angle_brackets_is_shown_as_text(client, member):
    notice = NoticeFactory(body="成绩 < 60 分与 > 90 分的对比")
    client.force_login(member)
    page = client.get(notice.get_absolute_url()).content.decode()
    assert "成绩 &lt; 60 分与 &gt; 90 分的对比" in page


def test_a_spotlight_story_is_cleaned_too(client, member):
    spotlight = SpotlightFactory(
        story="<p>事迹</p><script>alert(1)</script><a href='javascript:x'>a</a>"
    )
    client.force_login(member)
    page = client.get(spotlight.get_absolute_url()).content.decode()
    story = page[page.index('class="prose notice-body"') :]
    assert_harmless(story[: story.index("</div>")])
    assert "事迹" in story


def test_the_admin_form_has_an_editor_and_says_what_is_removed(client, secretary):
    client.force_login(secretary)
    page = client.get(reverse("admin:notices_notice_add")).content.decode()
    assert "data-django-prose-editor-configurable" in page and "脚本" in page
