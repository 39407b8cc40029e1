"""The secretary's xlsx imports refused above their limits, quickly and with a message: every
import in the admin reads its workbook through core.limits.LimitedXLSX."""

import io
import time
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.translation import gettext

from activities.models import Assignment, Event
from charity.models import Donation
from core import limits
from members.models import Company

pytestmark = pytest.mark.django_db

IMPORTS = {
    "admin:members_company_import": Company,
    "admin:activities_assignment_import": Assignment,
    "admin:activities_event_import": Event,
    "admin:charity_donation_import": Donation,
}


def workbook(rows=1) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["企业名称", "统一社会信用代码"])
    for n in range(rows):
        sheet.append([f"企业{n}", ""])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zip_bomb(unpacked_mb: int) -> bytes:
    """A real workbook with one more part that unpacks to ``unpacked_mb`` MB of blanks."""
    out = io.BytesIO(workbook())
    with zipfile.ZipFile(out, "a", compression=zipfile.ZIP_DEFLATED) as package:
        package.writestr("xl/padding.xml", b" " * (unpacked_mb * 1024 * 1024))
    return out.getvalue()


def upload(client, url_name, content, name="导入.xlsx"):
    return client.post(
        reverse(url_name),
        {"import_file": SimpleUploadedFile(name, content), "format": "0", "resource": "0"},
    )


def page(response) -> str:
    return " ".join(response.content.decode().split())


@pytest.fixture
def secretary_client(client, secretary):
    client.force_login(secretary)
    return client


@pytest.mark.parametrize("url_name", IMPORTS)
def test_a_zip_bomb_is_refused_at_once_with_a_message(secretary_client, url_name):
    """The reproduction: an xlsx of 400 KB that unpacks to 101 MB took 36 s and 430 MB."""
    content = zip_bomb(101)
    assert len(content) < 500_000
    start = time.monotonic()
    response = upload(secretary_client, url_name, content)
    assert time.monotonic() - start < 5
    assert response.status_code == 200
    assert "confirm_form" not in response.context
    expected = gettext(
        "This workbook unpacks to %(size)s, more than an import can read (at most %(limit)s). "
        "Keep only the rows to import, save it again and upload it."
    ) % {"size": "101.0\xa0MB", "limit": "60.0\xa0MB"}
    assert expected in response.content.decode()
    assert not IMPORTS[url_name].objects.exists()


def test_a_compressed_part_at_a_suspicious_ratio_is_refused(secretary_client):
    response = upload(secretary_client, "admin:members_company_import", zip_bomb(2))
    [error] = response.context["form"].errors["import_file"]
    assert error.startswith(
        gettext(
            "A part of this workbook is compressed %(ratio)d times, far more than a spreadsheet "
            "ever is: it is damaged or made to overload the server. Save it again from Excel "
            "and upload it."
        ).split("%(ratio)d")[0]
    )
    assert "confirm_form" not in response.context
    assert not Company.objects.exists()


def test_a_file_above_the_size_limit_is_refused(secretary_client, monkeypatch):
    monkeypatch.setattr(limits, "MAX_XLSX_BYTES", 4096)
    content = workbook()
    response = upload(secretary_client, "admin:members_company_import", content)
    assert response.context["form"].errors["import_file"] == [
        gettext("The file is %(size)s; an import takes at most %(limit)s.")
        % {"size": f"{len(content) / 1024:.1f}\xa0KB", "limit": "4.0\xa0KB"}
    ]
    assert not Company.objects.exists()


def test_a_file_above_the_row_limit_is_refused(secretary_client, monkeypatch):
    monkeypatch.setattr(limits, "MAX_XLSX_ROWS", 3)
    response = upload(secretary_client, "admin:members_company_import", workbook(rows=4))
    assert response.context["form"].errors["import_file"] == [
        gettext("The file has more than %(limit)s rows; import it in parts.") % {"limit": "3"}
    ]
    assert not Company.objects.exists()


def test_the_row_limit_allows_twice_the_citys_ten_thousand_companies():
    assert limits.MAX_XLSX_ROWS >= 20_000
    dataset = limits.LimitedXLSX().create_dataset(workbook(rows=3))
    assert dataset.headers == ["企业名称", "统一社会信用代码"] and len(dataset) == 3
