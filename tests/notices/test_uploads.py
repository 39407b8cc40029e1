"""Attachments are checked like the logos: by their content, not only their name; bad files
get a clear Chinese message in the admin and nothing is saved."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from notices.models import Notice, NoticeAttachment
from notices.uploads import check_attachment

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def ooxml(folder: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr(f"{folder}document.xml", "<doc/>")
    return out.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(
    "name, content",
    [
        ("回执.pdf", PDF),
        ("报名表.docx", ooxml("word/")),
        ("名单.xlsx", ooxml("xl/")),
        ("介绍.pptx", ooxml("ppt/")),
        ("旧表格.xls", OLE2),
        ("旧文件.doc", OLE2),
        ("海报.png", PNG),
        ("照片.JPG", b"\xff\xd8\xff\xe0" + b"\x00" * 64),
    ],
)
def test_real_documents_pass(name, content):
    check_attachment(upload(name, content))


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("病毒.exe", b"MZ\x90\x00", "文件类型不被接受"),
        ("网页.html", b"<script>alert(1)</script>", "文件类型不被接受"),
        ("脚本.svg", b"<svg onload=alert(1)>", "文件类型不被接受"),
        ("假的.pdf", b"<html><script>alert(1)</script></html>", "不是真正的 PDF 文件"),
        ("改名的.docx", ooxml("xl/"), "不是真正的 DOCX 文件"),
        ("压缩包.xlsx", b"PK\x03\x04not really a zip", "不是真正的 XLSX 文件"),
        ("假的.doc", PDF, "不是真正的 DOC 文件"),
        ("空的.pdf", b"", "是空文件"),
    ],
)
def test_bad_files_are_refused_with_a_clear_message(name, content, message):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        check_attachment(upload(name, content))
    assert message in " ".join(refused.value.messages)


def test_a_file_over_the_limit_is_refused(settings):
    big = upload("大文件.pdf", PDF + b"0" * (21 * 2**20))
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        check_attachment(big)
    assert "超过了 20.0\xa0MB 的上限" in " ".join(refused.value.messages)


def admin_post(client, attachment):
    return client.post(
        reverse("admin:notices_notice_add"),
        {
            "title": "带附件的通知",
            "body": "请查收附件。",
            "audience": "members",
            "group": "",
            "publish_at_0": "2026-11-20",
            "publish_at_1": "09:00:00",
            "expires_at_0": "",
            "expires_at_1": "",
            "attachments-TOTAL_FORMS": "1",
            "attachments-INITIAL_FORMS": "0",
            "attachments-MIN_NUM_FORMS": "0",
            "attachments-MAX_NUM_FORMS": "1000",
            "attachments-0-file": attachment,
            "attachments-0-name": "",
            "attachments-0-order": "0",
        },
    )


def test_the_secretary_attaches_a_pdf_in_the_admin_and_readers_download_it_by_name(
    client, secretary, member
):
    client.force_login(secretary)
    response = admin_post(client, upload("参会回执.pdf", PDF))
    assert response.status_code == 302, response.content.decode()[:2000]
    notice = Notice.objects.get(title="带附件的通知")
    assert notice.created_by == secretary
    attachment = NoticeAttachment.objects.get(notice=notice)
    assert attachment.name == "参会回执.pdf"
    assert "参会回执" not in attachment.file.name  # stored under a random name
    client.force_login(member)
    page = client.get(notice.get_absolute_url()).content.decode()
    assert "参会回执.pdf" in page
    download = client.get(attachment.get_absolute_url())
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert (
        "filename*=utf-8''%E5%8F%82%E4%BC%9A%E5%9B%9E%E6%89%A7.pdf"
        in download["Content-Disposition"]
    )


def test_a_fake_pdf_is_refused_in_the_admin_and_nothing_is_saved(client, secretary):
    client.force_login(secretary)
    response = admin_post(client, upload("参会回执.pdf", b"<html>not a pdf</html>"))
    assert response.status_code == 200
    assert "不是真正的 PDF 文件" in response.content.decode()
    assert not Notice.objects.filter(title="带附件的通知").exists()
    # What was typed is still in the form.
    assert "请查收附件。" in response.content.decode()


def test_an_attachment_of_a_notice_one_may_not_read_is_404(client, secretary, member):
    client.force_login(secretary)
    admin_post(client, upload("参会回执.pdf", PDF))
    notice = Notice.objects.get(title="带附件的通知")
    notice.audience = Notice.Audience.LEADERSHIP
    notice.save()
    client.force_login(member)
    attachment = notice.attachments.get()
    assert client.get(attachment.get_absolute_url()).status_code == 404
