"""Donations in and out of xlsx: all or nothing, every bad row named by its spreadsheet row."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from import_export.formats.base_formats import XLSX

from charity.models import Donation
from charity.resources import COLUMNS, DonationResource

from .factories import DonationFactory

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:charity_donation_import")
PROCESS_URL = reverse("admin:charity_donation_process_import")
EXPORT_URL = reverse("admin:charity_donation_export")


def row(company, **cells):
    values = {
        "捐赠企业": company.name,
        "统一社会信用代码": company.credit_code,
        "募捐活动": "缘聚徐练 商续慈善",
        "结对对象": "",
        "形式": "现金",
        "金额（元）": 10000,
        "物资说明": "",
        "状态": "已到账",
        "日期": datetime.date(2017, 4, 18),
        "收据编号": "",
        "备注": "",
        **cells,
    }
    return [values[column] for column in COLUMNS]


def workbook(*rows, headers=COLUMNS) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(headers))
    for values in rows:
        sheet.append(list(values))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def read_workbook(content: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [[cell.value for cell in cells] for cells in sheet.iter_rows()]


def import_file(content: bytes, *, dry_run=False, user=None):
    dataset = XLSX().create_dataset(content)
    resource = DonationResource()
    return resource, resource.import_data(dataset, dry_run=dry_run, user=user)


def test_a_good_file_adds_each_donation_exactly(charity, secretary):
    a, b = charity["companies"][1], charity["companies"][2]
    content = workbook(
        row(a, **{"金额（元）": 1234.56, "收据编号": "YJ2017-101"}),
        row(b, **{"统一社会信用代码": "", "金额（元）": "2,500,000.05", "收据编号": "YJ2017-102"}),
        row(
            a,
            **{
                "募捐活动": "",
                "结对对象": "东庄村",
                "形式": "实物",
                "物资说明": "水泥20吨",
                "金额（元）": "¥8,888.88",
                "状态": "认捐",
                "日期": "2018年3月1日",
            },
        ),
    )
    _, result = import_file(content, user=secretary)
    assert not result.has_errors() and not result.has_validation_errors()
    first = Donation.objects.get(receipt_number="YJ2017-101")
    assert first.amount == Decimal("1234.56") and first.company == a
    assert Donation.objects.get(receipt_number="YJ2017-102").amount == Decimal("2500000.05")
    gift = Donation.objects.get(pairing=charity["village"])
    assert (gift.form, gift.goods, gift.amount, gift.status) == (
        "in_kind",
        "水泥20吨",
        Decimal("8888.88"),
        "pledged",
    )
    assert gift.donated_on == datetime.date(2018, 3, 1)
    assert first.history.first().history_user == secretary


def test_a_file_with_bad_rows_is_refused_whole_and_each_row_is_named(charity):
    a = charity["companies"][1]
    DonationFactory(receipt_number="TAKEN-1")
    content = workbook(
        row(a, **{"收据编号": "OK-1"}),  # row 2: fine on its own
        row(a, **{"捐赠企业": "上海不存在有限公司", "统一社会信用代码": ""}),  # row 3
        row(a, **{"金额（元）": "12.345"}),  # row 4
        row(a, **{"结对对象": "东庄村"}),  # row 5: both a campaign and a pairing
        row(a, **{"募捐活动": "没有这个活动"}),  # row 6
        row(a, **{"形式": "实物"}),  # row 7: no goods
        row(a, **{"收据编号": "OK-1"}),  # row 8: repeats row 2
        row(a, **{"收据编号": "TAKEN-1", "金额（元）": -5}),  # row 9
    )
    resource, result = import_file(content)
    assert result.has_validation_errors()
    assert Donation.objects.count() == 1  # only the one made above
    problems = resource.describe_problems(result)
    rows = {problem.row for problem in problems}
    assert rows == {3, 4, 5, 6, 7, 8, 9}
    by_row = {p.row: (p.column, p.message) for p in problems}
    assert by_row[3] == ("捐赠企业", "没有名为“上海不存在有限公司”的会员企业。")
    assert by_row[4][0] == "金额（元）" and "两位小数" in by_row[4][1]
    assert by_row[6] == ("募捐活动", "没有名为“没有这个活动”的募捐活动。")
    assert by_row[7] == ("物资说明", "请写明捐赠的实物。")
    assert by_row[8] == ("收据编号", "与本文件第 2 行的收据编号重复。")
    assert by_row[9][0] == "金额（元）"


def test_a_file_without_the_columns_is_refused_with_the_columns_it_needs(charity):
    resource, result = import_file(workbook(["x"], headers=["企业"]))
    problems = resource.describe_problems(result)
    assert problems[0].row is None
    assert "捐赠企业" in problems[0].message and "收据编号" in problems[0].message


def test_an_exported_file_imports_back_unchanged(client, secretary, charity):
    DonationFactory(
        company=charity["companies"][1],
        campaign=charity["campaigns"][0],
        amount=Decimal("4250000.00"),
        receipt_number="YJ2017-001",
    )
    DonationFactory(
        company=charity["companies"][2],
        campaign=None,
        pairing=charity["village"],
        amount=Decimal("0.01"),
        receipt_number="JD2018-001",
        form="in_kind",
        goods="图书50册",
    )
    client.force_login(secretary)
    exported = client.post(EXPORT_URL, {"format": "0", "resource": "0"}).content
    header, *rows = read_workbook(exported)
    assert header == list(COLUMNS)
    assert ["东庄村", "实物", Decimal("0.01")] in [[r[3], r[4], Decimal(str(r[5]))] for r in rows]
    before = list(Donation.objects.values().order_by("pk"))
    _, result = import_file(exported)
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["skip"] == 2
    assert list(Donation.objects.values().order_by("pk")) == before


def test_the_admin_checks_a_file_and_shows_every_problem_by_row(client, secretary, charity):
    a = charity["companies"][1]
    content = workbook(row(a), row(a, **{"金额（元）": "十万"}))
    client.force_login(secretary)
    response = client.post(
        IMPORT_URL,
        {
            "import_file": SimpleUploadedFile("donations.xlsx", content),
            "format": "0",
            "resource": "0",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "未导入任何数据" in html
    assert "第 3 行" in html and "金额（元）" in html
    assert not Donation.objects.exists()


def test_only_the_secretariat_may_import(client, supervisor):
    client.force_login(supervisor)
    assert client.get(IMPORT_URL).status_code == 403
