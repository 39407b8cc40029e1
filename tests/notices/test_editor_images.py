"""Pictures uploaded from the notice editor: only the secretariat uploads (checked and scaled
by core.images, refused in Chinese); the text keeps only our own pictures; a picture is served
to those who may read a text it is in, to anyone when that text is shared publicly, and to
the secretariat alone while it is in no saved text."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from notices.models import EditorImage, Notice, Spotlight

from ..factories import CompanyFactory
from .factories import NoticeFactory
from .test_publishing import notice_form

pytestmark = pytest.mark.django_db

UPLOAD = "admin:notices_editor_image_upload"


def picture(width=2400, height=600, kind="PNG", name="合影.png"):
    out = io.BytesIO()
    Image.new("RGB", (width, height), "red").save(out, format=kind)
    out.name = name
    out.seek(0)
    return out


def upload(client, file):
    return client.post(reverse(UPLOAD), {"image": file})


def test_the_secretariat_uploads_a_picture_stored_privately_and_scaled_down(
    client, secretary, media_root
):
    client.force_login(secretary)
    response = upload(client, picture())
    assert response.status_code == 201
    stored = EditorImage.objects.get()
    assert response.json() == {"url": reverse("notices:editor_image", args=[stored.pk])}
    assert stored.created_by == secretary
    assert stored.image.name.startswith("private/notices/pictures/")
    assert "合影" not in stored.image.name
    assert stored.image.width == 1600 and stored.image.height == 400
    # Not yet in a saved text: the secretariat alone sees it.
    assert client.get(response.json()["url"]).status_code == 200


def test_a_member_is_refused_and_nothing_is_stored(client, member):
    client.force_login(member)
    response = upload(client, picture())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert not EditorImage.objects.exists()


def test_a_supervisor_in_the_back_office_may_not_upload(client, supervisor):
    client.force_login(supervisor)
    assert upload(client, picture()).status_code == 403
    assert not EditorImage.objects.exists()


def test_the_upload_view_takes_only_posts(client, secretary):
    client.force_login(secretary)
    assert client.get(reverse(UPLOAD)).status_code == 405


@pytest.mark.parametrize(
    "file, message",
    [
        (io.BytesIO(b"%PDF-1.7 not a picture"), "不是 JPEG、PNG 或 WebP 图片"),
        (picture(kind="GIF", name="动图.gif"), "不是 JPEG、PNG 或 WebP 图片"),
        (
            io.BytesIO(b"\xff\xd8\xff" + b"\x00" * (11 * 2**19)),
            "图片大小为 5.5\xa0MB，超过了 5.0\xa0MB 的上限",
        ),
    ],
    ids=["pdf", "gif", "too-big"],
)
def test_a_file_that_is_not_a_picture_or_too_big_is_refused_in_chinese(
    client, secretary, file, message
):
    file.name = getattr(file, "name", "文件.png")
    client.force_login(secretary)
    response = upload(client, file)
    assert response.status_code == 400
    assert message in response.json()["error"]
    assert not EditorImage.objects.exists()


def test_no_file_is_refused_in_chinese(client, secretary):
    client.force_login(secretary)
    response = client.post(reverse(UPLOAD), {})
    assert response.status_code == 400
    assert response.json()["error"] == "请选择要上传的图片。"


def test_a_request_above_the_limit_is_refused_before_it_is_read(client, secretary):
    client.force_login(secretary)
    file = io.BytesIO(b"\xff\xd8\xff" + b"\x00" * (7 * 1024 * 1024))
    file.name = "大图.jpg"
    assert upload(client, file).status_code == 413
    assert not EditorImage.objects.exists()


def test_the_editor_offers_the_upload_on_notices(client, secretary):
    client.force_login(secretary)
    page = client.get(reverse("admin:notices_notice_add")).content.decode()
    assert f'data-image-upload-url="{reverse(UPLOAD)}"' in page
    assert "js/editor-images.js" in page


def saved_with_picture(client, secretary, **changes):
    """A notice saved in the admin with an uploaded picture and a foreign one in its text."""
    client.force_login(secretary)
    url = upload(client, picture()).json()["url"]
    body = (
        f'<p>现场照片：</p><figure><img src="{url}" alt="现场"><figcaption>合影</figcaption>'
        '</figure><p><img src="https://tracker.example/p.png"><img src="/media/logos/x.png">'
        '<img src="//evil.example/x.png"><img src="/notices/1/"></p>'
    )
    response = client.post(
        reverse("admin:notices_notice_add"), notice_form(body=body, _save="存为草稿", **changes)
    )
    assert response.status_code == 302
    return Notice.objects.latest("pk"), url


def test_the_text_keeps_our_picture_and_drops_every_other(client, secretary):
    notice, url = saved_with_picture(client, secretary)
    assert f'<img src="{url}" alt="现场">' in notice.body
    assert "<figcaption>合影</figcaption>" in notice.body
    assert notice.body.count("<img") == 1
    assert list(notice.images.all()) == list(EditorImage.objects.all())


def test_a_picture_is_served_once_its_notice_is_published_to_whom_it_may_concern(
    client, secretary, member, outsider
):
    notice, url = saved_with_picture(client, secretary)
    client.force_login(member)
    assert client.get(url).status_code == 404  # still a draft
    Notice.objects.filter(pk=notice.pk).update(publish_at=timezone.now())
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"].startswith("private")
    assert f'src="{url}"' in client.get(notice.get_absolute_url()).content.decode()
    client.force_login(outsider)  # not a member: the notice is not for them
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 404


def test_a_picture_of_a_publicly_shared_notice_is_served_to_anyone(client, secretary):
    notice, url = saved_with_picture(client, secretary)
    Notice.objects.filter(pk=notice.pk).update(publish_at=timezone.now(), public_share=True)
    client.logout()
    assert client.get(url).status_code == 200


def test_a_picture_taken_out_of_the_text_is_no_longer_served_to_members(client, secretary, member):
    notice, url = saved_with_picture(client, secretary)
    notice.publish_at = timezone.now()
    notice.save()
    client.post(
        reverse("admin:notices_notice_change", args=[notice.pk]),
        notice_form(body="<p>照片已删除。</p>", _save="保存"),
    )
    assert not notice.images.exists()
    client.force_login(member)
    assert client.get(url).status_code == 404


def test_a_picture_in_another_groups_notice_is_not_served(client, secretary, member):
    other = NoticeFactory(audience=Notice.Audience.LEADERSHIP)
    notice, url = saved_with_picture(client, secretary)
    EditorImage.objects.get().notices.set([other])
    client.force_login(member)
    assert client.get(url).status_code == 404


# --- Spotlights: the same editor ---------------------------------------------------------------


def spotlight_form(company, **changes):
    data = {
        "company": company.pk,
        "title": "虹泾投资：扎根徐泾二十年",
        "summary": "一家会员企业的好做法。",
        "story": "<p>事迹</p>",
        "published_on": timezone.localdate().isoformat(),
        "journal_issue": "",
        "is_published": "on",
        "photos-TOTAL_FORMS": "0",
        "photos-INITIAL_FORMS": "0",
        "photos-MIN_NUM_FORMS": "0",
        "photos-MAX_NUM_FORMS": "1000",
    }
    return data | changes


def test_the_spotlight_story_has_the_editor_with_the_upload(client, secretary):
    client.force_login(secretary)
    response = client.get(reverse("admin:notices_spotlight_add"))
    page = response.content.decode()
    assert "data-django-prose-editor-configurable" in page
    assert f'data-image-upload-url="{reverse(UPLOAD)}"' in page
    nonce = page.split('<script type="importmap" nonce="')[1].split('"')[0]
    assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
    assert "<textarea" in page and 'cols="90"' not in page


def test_a_spotlight_story_is_saved_clean_with_its_picture_for_its_readers(
    client, secretary, member
):
    company = CompanyFactory()
    client.force_login(secretary)
    url = upload(client, picture()).json()["url"]
    story = (
        f'<h2>创业</h2><p onclick="x()"><strong>二十年</strong>扎根徐泾<script>alert(1)</script>'
        f'</p><figure><img src="{url}" alt="厂区"><figcaption>厂区</figcaption></figure>'
        '<img src="https://tracker.example/p.png">'
    )
    response = client.post(
        reverse("admin:notices_spotlight_add"), spotlight_form(company, story=story)
    )
    assert response.status_code == 302
    spotlight = Spotlight.objects.get()
    assert spotlight.story == (
        f"<h2>创业</h2><p><strong>二十年</strong>扎根徐泾</p>"
        f'<figure><img src="{url}" alt="厂区"><figcaption>厂区</figcaption></figure>'
    )
    assert list(spotlight.images.all()) == list(EditorImage.objects.all())
    client.force_login(member)
    page = client.get(spotlight.get_absolute_url()).content.decode()
    assert f'<img src="{url}" alt="厂区">' in page and "<strong>二十年</strong>" in page
    assert "tracker.example" not in page and "<script>alert" not in page
    assert client.get(url).status_code == 200
    Spotlight.objects.filter(pk=spotlight.pk).update(is_published=False)
    assert client.get(url).status_code == 404
