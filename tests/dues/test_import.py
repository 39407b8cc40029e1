"""Payments from the bank statement (xlsx): all or nothing, every bad row named."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from import_export.formats.base_formats import XLSX

from dues.models import Bill, Payment
from dues.resources import COLUMNS, BankStatementResource

from ..factories import CompanyFactory
from .factories import BillFactory, PaymentFactory

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:dues_payment_import")
TEMPLATE_URL = reverse("admin:dues_payment_import_template")
DAY = datetime.date(2026, 5, 20)


@pytest.fixture
def bills():
    a = CompanyFactory(name="上海虚构甲科技有限公司")
    b = CompanyFactory(name="上海虚构乙贸易有限公司")
    return {
        "a": BillFactory(company=a, number="HF2026-00001", year=2026, amount=Decimal("3000")),
        "a_old": BillFactory(company=a, number="HF2025-00001", year=2025, amount=Decimal("3000")),
        "b": BillFactory(company=b, number="HF2026-00002", year=2026, amount=Decimal("10000")),
    }


def row(**cells):
    values = {
        "交易日期": DAY,
        "付款单位": "上海虚构甲科技有限公司",
        "金额（元）": 3000,
        "账单编号": "",
        "交易流水号": "",
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


def import_file(content: bytes, *, dry_run=False, user=None):
    resource = BankStatementResource()
    return resource, resource.import_data(
        XLSX().create_dataset(content), dry_run=dry_run, user=user
    )


def test_a_statement_records_each_payment_with_a_receipt_number(bills, secretary):
    content = workbook(
        # No bill number: the company's oldest open bill (2025).
        row(**{"交易流水号": "T001", "金额（元）": "3,000.00"}),
        row(**{"交易流水号": "T002", "账单编号": "HF2026-00001", "金额（元）": 1000.5}),
        row(**{"交易流水号": "T003", "付款单位": "上海虚构乙贸易有限公司", "金额（元）": 0.01}),
    )
    resource, result = import_file(content, user=secretary)
    assert not result.has_errors() and not result.has_validation_errors()
    payments = {p.reference: p for p in Payment.objects.select_related("bill")}
    assert payments["T001"].bill == bills["a_old"]
    assert payments["T002"].bill == bills["a"] and payments["T002"].amount == Decimal("1000.50")
    assert payments["T003"].bill == bills["b"] and payments["T003"].amount == Decimal("0.01")
    assert sorted(p.number for p in payments.values()) == [
        "SJ2026-00001",
        "SJ2026-00002",
        "SJ2026-00003",
    ]
    assert {p.method for p in payments.values()} == {Payment.Method.BANK}
    assert {p.recorded_by_id for p in payments.values()} == {secretary.pk}

    # The same statement again changes nothing.
    _, again = import_file(content, user=secretary)
    assert again.totals["skip"] == 3
    assert Payment.objects.count() == 3


def test_a_statement_with_bad_rows_is_refused_whole_and_each_row_is_named(bills):
    PaymentFactory(bill=bills["b"], amount=Decimal("9999.99"), reference="OLD-1")
    content = workbook(
        row(**{"交易流水号": "OK-1"}),  # row 2: fine on its own
        row(**{"交易流水号": "X-3", "付款单位": "上海不存在有限公司"}),  # row 3
        row(**{"交易流水号": "X-4", "账单编号": "HF2099-00009"}),  # row 4
        row(**{"交易流水号": "X-5", "付款单位": "上海虚构乙贸易有限公司", "金额（元）": 0.02}),
        row(**{"交易流水号": "OK-1"}),  # row 6: repeats row 2
        row(**{"交易流水号": "X-7", "金额（元）": "12.345"}),  # row 7
        row(**{"交易流水号": "X-8", "交易日期": "昨天"}),  # row 8
        row(**{"交易流水号": "X-9", "账单编号": "HF2026-00002"}),  # row 9: b's bill, a paid
    )
    resource, result = import_file(content)
    assert result.has_validation_errors()
    assert Payment.objects.count() == 1  # only the one made above
    problems = resource.describe_problems(result)
    by_row = {}
    for problem in problems:
        by_row.setdefault(problem.row, []).append((problem.column, problem.message))
    assert set(by_row) == {3, 4, 5, 6, 7, 8, 9}
    assert by_row[3] == [("付款单位", "没有名为“上海不存在有限公司”的会员企业。")]
    assert by_row[4][0][0] == "账单编号" and "HF2099-00009" in by_row[4][0][1]
    assert by_row[5][0][0] == "金额（元）" and "0.01" in by_row[5][0][1]
    assert by_row[6] == [("交易流水号", "与本文件第 2 行的交易流水号重复。")]
    assert by_row[7][0][0] == "金额（元）" and "两位小数" in by_row[7][0][1]
    assert by_row[8][0][0] == "交易日期"
    assert by_row[9][0][0] == "账单编号" and "上海虚构乙贸易有限公司" in by_row[9][0][1]


def test_rows_that_together_pay_more_than_a_bill_asks_are_refused(bills):
    content = workbook(
        row(**{"交易流水号": "T1", "账单编号": "HF2026-00001", "金额（元）": 2000}),
        row(**{"交易流水号": "T2", "账单编号": "HF2026-00001", "金额（元）": 1000.01}),
    )
    resource, result = import_file(content)
    assert [p.row for p in resource.describe_problems(result)] == [3]
    assert not Payment.objects.exists()


def test_the_admin_checks_a_statement_and_names_every_problem_by_row(client, secretary, bills):
    client.force_login(secretary)
    content = workbook(
        row(**{"交易流水号": "T1"}), row(**{"交易流水号": "T2", "金额（元）": "三千"})
    )
    response = client.post(
        IMPORT_URL,
        {
            "import_file": SimpleUploadedFile("statement.xlsx", content),
            "format": "0",
            "resource": "0",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "第 3 行" in html and "金额（元）" in html
    assert not Payment.objects.exists()
    assert Bill.objects.count() == 3


def test_the_import_page_offers_the_template_to_fill_in(client, secretary):
    client.force_login(secretary)
    assert TEMPLATE_URL in client.get(IMPORT_URL).content.decode()
    response = client.get(TEMPLATE_URL)
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [cell.value for cell in sheet[1]] == list(COLUMNS)


def test_only_the_secretariat_may_import(client, supervisor):
    client.force_login(supervisor)
    assert client.get(IMPORT_URL).status_code == 403
