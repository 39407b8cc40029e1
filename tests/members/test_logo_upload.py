"""Logo uploads through the secretary's company form in the admin."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from members.models import Company

from .test_images import bomb_upload, image_upload


def company_form(**overrides):
    data = {
        "name": "上海徐泾标志测试有限公司",
        "credit_code": "91350100M000100Y43",
        "industry": "manufacturing",
        "tier": "member",
        "status": "active",
        "member_since": "2024年5月1日",
        "address": "",
        "profile": "",
        "party_organisation": "none",
        "party_members": "0",
        "people-TOTAL_FORMS": "0",
        "people-INITIAL_FORMS": "0",
        "people-MIN_NUM_FORMS": "0",
        "people-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(root):
    return [path for path in root.rglob("*") if path.is_file()]


def test_a_real_logo_is_stored_resized(client, secretary, media):
    client.force_login(secretary)
    upload = image_upload(name="标志.png", size=(1600, 1600))
    response = client.post(reverse("admin:members_company_add"), company_form(logo=upload))
    assert response.status_code == 302, response.context["adminform"].form.errors
    company = Company.objects.get(credit_code="91350100M000100Y43")
    with Image.open(company.logo.path) as image:
        assert image.size == (512, 512)
    assert company.member_since.isoformat() == "2024-05-01"


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            lambda: SimpleUploadedFile("logo.png", b"plain text, not a picture", "image/png"),
            "不是 JPEG、PNG 或 WebP 图片",
        ),
        (bomb_upload, "4000 万像素"),
    ],
    ids=["text-file-named-png", "decompression-bomb"],
)
def test_a_bad_logo_is_refused_with_a_message_and_nothing_is_stored(
    client, secretary, media, upload, message
):
    client.force_login(secretary)
    response = client.post(reverse("admin:members_company_add"), company_form(logo=upload()))
    assert response.status_code == 200
    assert message in response.content.decode()
    # What was typed is kept for the next try; nothing reached the database or the disk.
    assert "上海徐泾标志测试有限公司" in response.content.decode()
    assert not Company.objects.exists()
    assert stored_files(media) == []
