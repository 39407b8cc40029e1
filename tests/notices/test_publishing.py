"""Writing a notice in the back office: the editor, 存为草稿, 预览 and 发布 with a confirmation
that names to whom it goes."""

import pytest
from django.urls import reverse

from members.models import Company
from notices.models import Notice

from ..factories import CompanyFactory
from .factories import NoticeFactory

pytestmark = pytest.mark.django_db

ADD = "admin:notices_notice_add"


def notice_form(**changes):
    data = {
        "title": "关于召开第一季度例会的通知",
        "body": (
            "<p>各会员企业：</p><p><strong>时间：</strong>1月15日</p><ul><li>经验分享</li></ul>"
        ),
        "audience": "members",
        "group": "",
        "publish_at_0": "",
        "publish_at_1": "",
        "expires_at_0": "",
        "expires_at_1": "",
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
        "attachments-MIN_NUM_FORMS": "0",
        "attachments-MAX_NUM_FORMS": "1000",
    }
    return data | changes


def test_the_form_has_the_editor_and_starts_without_a_publish_time(client, secretary):
    client.force_login(secretary)
    response = client.get(reverse(ADD))
    page = response.content.decode()
    assert "data-django-prose-editor-configurable" in page
    assert '<script type="importmap" nonce="' in page
    nonce = page.split('<script type="importmap" nonce="')[1].split('"')[0]
    assert nonce and f"'nonce-{nonce}'" in response["Content-Security-Policy"]
    assert 'name="publish_at_0" value=""' in page or 'name="publish_at_0"' in page
    assert 'value="发布…"' in page and 'value="存为草稿"' in page and 'value="预览"' in page


def test_saving_keeps_a_draft_members_do_not_see(client, secretary, member):
    client.force_login(secretary)
    response = client.post(reverse(ADD), notice_form(_save="存为草稿"))
    assert response.status_code == 302
    notice = Notice.objects.get()
    assert notice.publish_at is None and notice.state() == "draft"
    client.get(response["Location"])  # the secretary reads the "saved" message
    client.force_login(member)
    assert notice.title not in client.get(reverse("notices:notice_list")).content.decode()
    assert client.get(notice.get_absolute_url()).status_code == 404


def test_the_text_is_sanitised_when_saved(client, secretary):
    client.force_login(secretary)
    body = (
        '<p onclick="steal()">通知<script>alert(1)</script></p>'
        '<p><a href="javascript:alert(1)">链接</a><img src="https://tracker.example/x.png">'
        '<img src="/notices/1/attachments/1/" alt="附件">'
        '<img src="/notices/pictures/1/" alt="会场"></p>'
    )
    client.post(reverse(ADD), notice_form(body=body, _save="存为草稿"))
    saved = Notice.objects.get().body
    assert "<script" not in saved and "alert" not in saved and "onclick" not in saved
    assert "tracker.example" not in saved
    # Only our uploaded pictures' addresses: not another address of this site.
    assert "附件" not in saved
    assert '<img src="/notices/pictures/1/" alt="会场">' in saved


def test_a_picture_inserted_by_the_editor_keeps_its_caption(client, secretary):
    client.force_login(secretary)
    body = (
        '<figure><img src="/notices/pictures/1/" alt="会场"><figcaption>例会现场</figcaption>'
        "</figure>"
    )
    client.post(reverse(ADD), notice_form(body=body, _save="存为草稿"))
    assert Notice.objects.get().body == body


def test_publish_asks_first_naming_the_audience_and_its_count(client, secretary, member):
    CompanyFactory.create_batch(2)
    CompanyFactory(status="left")
    active = Company.objects.active().count()
    client.force_login(secretary)
    response = client.post(reverse(ADD), notice_form(_publish="发布…"))
    notice = Notice.objects.get()
    assert response["Location"] == reverse("admin:notices_notice_publish", args=[notice.pk])
    assert notice.state() == "draft"  # nothing is out before the confirmation
    page = client.get(response["Location"]).content.decode()
    assert f"现在就把这条通知发布给<strong>全体会员（{active} 家）</strong>吗？" in page
    assert f'value="确认发布给全体会员（{active} 家）"' in page

    response = client.post(response["Location"])
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.state() == "published"
    client.get(response["Location"])
    client.force_login(member)
    assert notice.title in client.get(reverse("notices:notice_list")).content.decode()


def test_a_leadership_notice_names_its_people(client, secretary, leader, president):
    notice = NoticeFactory(audience=Notice.Audience.LEADERSHIP, publish_at=None)
    client.force_login(secretary)
    page = client.get(reverse("admin:notices_notice_publish", args=[notice.pk])).content
    assert "班子成员（2 人）" in page.decode() or "（2 人）" in page.decode()


def test_the_preview_shows_the_notice_as_a_member_will_see_it(client, secretary):
    notice = NoticeFactory(publish_at=None, body="<p>请<strong>准时</strong>参加。</p>")
    client.force_login(secretary)
    response = client.post(
        reverse("admin:notices_notice_change", args=[notice.pk]),
        notice_form(title=notice.title, body=notice.body, _preview="预览"),
    )
    assert response["Location"] == reverse("admin:notices_notice_preview", args=[notice.pk])
    page = client.get(response["Location"]).content.decode()
    assert '<div class="prose notice-body"><p>请<strong>准时</strong>参加。</p></div>' in page
    assert "本通知仍是草稿" in page
    assert Notice.objects.get().publish_at is None


@pytest.mark.parametrize("persona", ["president", "supervisor", "member", "leader"])
def test_only_the_secretariat_previews_and_publishes(client, request, persona):
    notice = NoticeFactory(publish_at=None)
    client.force_login(request.getfixturevalue(persona))
    for name in ("preview", "publish"):
        url = reverse(f"admin:notices_notice_{name}", args=[notice.pk])
        assert client.get(url).status_code in (302, 403)
        assert client.post(url).status_code in (302, 403)
    assert Notice.objects.get().publish_at is None


def test_a_missing_notice_is_not_found(client, secretary):
    client.force_login(secretary)
    assert client.get(reverse("admin:notices_notice_preview", args=[999])).status_code == 404
