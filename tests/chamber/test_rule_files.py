"""A rule's file is a PDF, a Word or Excel file or a scan, checked by its content: never a
web page, an SVG or a script, which a browser would run. It is stored under a random name in
the private folder and downloaded through the rule's page."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from chamber.models import Document, DocumentVersion

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SCRIPT = b"<html><script>fetch('/admin/')</script></html>"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def add_rule(client, upload):
    return client.post(
        reverse("admin:chamber_document_add"),
        {"title": "财务管理制度", "kind": "finance", "order": 0, "body": "第一条", "file": upload},
    )


@pytest.mark.parametrize(
    "name, content",
    [
        ("财务制度.html", SCRIPT),
        ("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"),
        ("run.js", b"alert(1)"),
    ],
)
def test_a_web_page_svg_or_script_is_refused_with_a_chinese_message(
    client, secretary, media, name, content
):
    client.force_login(secretary)
    response = add_rule(client, SimpleUploadedFile(name, content, content_type="text/html"))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"“{name}”的文件类型不被接受" in html
    assert "pdf, doc, docx, xls, xlsx, jpg, jpeg, png" in html
    assert not Document.objects.exists()
    assert not any(path.is_file() for path in media.rglob("*"))


def test_a_web_page_named_pdf_is_refused_by_its_content(client, secretary, media):
    client.force_login(secretary)
    response = add_rule(client, SimpleUploadedFile("财务制度.pdf", SCRIPT))
    assert "“财务制度.pdf”不是真正的 PDF 文件或已损坏" in response.content.decode()
    assert not Document.objects.exists()


def test_a_pdf_is_stored_under_a_random_private_name_and_downloaded_under_the_rules_title(
    client, secretary, member, media
):
    client.force_login(secretary)
    response = add_rule(client, SimpleUploadedFile("扫描件 2026-12-01.pdf", PDF))
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.file.name.startswith("private/documents/")
    assert "扫描件" not in document.file.name
    response = client.get(reverse("chamber:rule_file", args=[document.pk]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert (
        "%E8%B4%A2%E5%8A%A1%E7%AE%A1%E7%90%86%E5%88%B6%E5%BA%A6.pdf"
        in (response["Content-Disposition"])
    )  # 财务管理制度.pdf
    page = client.get(document.get_absolute_url()).content.decode()
    assert reverse("chamber:rule_file", args=[document.pk]) in page
    assert document.file.name not in page
    client.force_login(member)
    assert client.get(reverse("chamber:rule_file", args=[document.pk])).status_code == 404


def test_a_versions_file_is_checked_the_same_way():
    field = DocumentVersion._meta.get_field("file").formfield()
    with pytest.raises(ValidationError) as refused:
        field.clean(SimpleUploadedFile("征求意见稿.html", SCRIPT))
    assert "文件类型不被接受" in refused.value.messages[0]
    assert field.clean(SimpleUploadedFile("征求意见稿.pdf", PDF)).name == "征求意见稿.pdf"


def test_a_rule_file_above_the_limit_is_refused_before_it_is_read():
    field = Document._meta.get_field("file").formfield()
    upload = SimpleUploadedFile("章程.pdf", PDF)
    upload.size = 21 * 2**20
    with pytest.raises(ValidationError) as refused:
        field.clean(upload)
    assert refused.value.messages == ["“章程.pdf”大小为 21.0\xa0MB，超过了 20.0\xa0MB 的上限。"]
