"""Reading a workbook as a secretary keeps it (core.workbooks), for every import: the sheet,
the header row below title rows, headers in her words, and the values typed her way."""

import datetime
import io

import openpyxl
import pytest
import tablib
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from activities.events.resources import EventResource
from activities.visits.resources import AssignmentResource
from charity.resources import DonationResource
from core import limits
from core.spreadsheets import DigitsWidget, name_key, parse_date
from core.workbooks import header_key, read_sheet
from members.resources import CompanyResource

IMPORTS = {
    "admin:members_company_import": CompanyResource,
    "admin:activities_assignment_import": AssignmentResource,
    "admin:activities_event_import": EventResource,
    "admin:charity_donation_import": DonationResource,
}


def book(*sheets) -> bytes:
    """A workbook of (title, rows) sheets, the first active."""
    workbook = openpyxl.Workbook()
    for index, (title, rows) in enumerate(sheets):
        sheet = workbook.active if index == 0 else workbook.create_sheet()
        sheet.title = title
        for values in rows:
            sheet.append(values)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def read(content: bytes, columns, synonyms=None, sheet=""):
    dataset = limits.LimitedXLSX().create_dataset(content)
    return dataset, read_sheet(dataset, columns, synonyms, sheet)


COLUMNS = ("企业名称", "统一社会信用代码", "手机")


def test_the_header_row_is_found_below_title_rows_and_they_are_no_rows():
    dataset, reading = read(
        book(
            ("名册", [["某商会会员名册"], [None, "2026年1月"], list(COLUMNS), ["甲公司", "", ""]])
        ),
        COLUMNS,
    )
    assert (reading.sheet, reading.header_row, reading.renamed) == ("名册", 3, [])
    assert dataset.headers == list(COLUMNS)
    assert dataset.dict == [{"企业名称": "甲公司", "统一社会信用代码": None, "手机": None}]


def test_headers_are_read_through_spaces_full_width_letters_and_synonyms():
    headers = ["企 业 名 称", "统一代码*", "ＭＯＢＩＬＥ", "联系电话"]
    dataset, reading = read(book(("表", [headers])), COLUMNS, synonyms={"mobile": "手机"})
    # The exact name or a resource's own word wins; the other header stays as it is.
    assert dataset.headers == ["企业名称", "统一社会信用代码", "手机", "联系电话"]
    assert reading.renamed == [
        ("企 业 名 称", "企业名称"),
        ("统一代码*", "统一社会信用代码"),
        ("ＭＯＢＩＬＥ", "手机"),
    ]


def test_a_column_named_exactly_wins_over_a_synonym_written_before_it():
    dataset, reading = read(book(("表", [["联系电话", "企业名称", "统一代码", "手机"]])), COLUMNS)
    assert dataset.headers == ["联系电话", "企业名称", "统一社会信用代码", "手机"]


def test_header_keys_drop_spaces_marks_and_width():
    assert header_key(" 手　机 * ") == header_key("手机") == "手机"
    assert header_key("金额(元)") == header_key("金额（元）")


def test_the_first_sheet_naming_every_column_is_read_when_the_active_one_does_not():
    content = book(("说明", [["填表说明"]]), ("会员", [list(COLUMNS), ["甲公司", "", ""]]))
    dataset, reading = read(content, COLUMNS)
    assert (reading.sheet, reading.sheets, reading.other_sheets) == (
        "会员",
        ["说明", "会员"],
        ["说明"],
    )
    assert len(dataset) == 1


def test_the_sheet_asked_for_is_read():
    content = book(("2025", [list(COLUMNS), ["旧公司", "", ""]]), ("2026", [list(COLUMNS)]))
    dataset, reading = read(content, COLUMNS, sheet="2026")
    assert (reading.sheet, reading.chosen, len(dataset)) == ("2026", True, 0)
    dataset, reading = read(content, COLUMNS, sheet="no such sheet")
    assert (reading.sheet, reading.chosen, len(dataset)) == ("2025", False, 1)


def test_blank_rows_keep_the_rows_after_them_numbered_as_in_the_sheet():
    content = book(("表", [list(COLUMNS), ["甲", "", ""], [], [], ["乙", "", ""], [], []]))
    dataset, _reading = read(content, COLUMNS)
    assert [values[0] for values in dataset] == ["甲", None, None, "乙"]


def test_a_dataset_made_in_code_is_read_as_it_is():
    dataset = tablib.Dataset(["甲", "", ""], headers=[" 企业名称 ", "统一代码", "手机"])
    reading = read_sheet(dataset, COLUMNS)
    assert (reading.header_row, dataset.headers) == (1, list(COLUMNS))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019.5.1", datetime.date(2019, 5, 1)),
        ("2019/05/01", datetime.date(2019, 5, 1)),
        ("2019年5月", datetime.date(2019, 5, 1)),
        ("２０１９年５月１号", datetime.date(2019, 5, 1)),
        ("20190501", datetime.date(2019, 5, 1)),
        ("43586", datetime.date(2019, 5, 1)),  # Excel's day number of 2019-05-01
    ],
)
def test_dates_are_read_as_secretaries_write_them(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["2019年13月", "2019.5", "2019.10", "2019", "201905"])
def test_a_date_that_is_not_one_or_is_ambiguous_is_refused(text):
    with pytest.raises(ValidationError):
        parse_date(text)


def test_digits_read_from_numbers_and_full_width_and_scientific_text_refused():
    widget = DigitsWidget()
    assert widget.clean(13812345678.0) == "13812345678"
    assert widget.clean("１３８１２３４５６７８") == "13812345678"
    with pytest.raises(ValueError, match="1.38E\\+10"):
        widget.clean("1.38E+10")


def test_names_compare_whatever_their_brackets_and_spaces():
    assert name_key("上好佳(中国)有限公司") == "上好佳（中国）有限公司"
    assert name_key(" 上海 华新 ( 集团 ) 有限公司 ") == "上海华新（集团）有限公司"
    assert name_key("ABC Trading (Shanghai) Co.") == "ABC Trading (Shanghai) Co."


@pytest.fixture
def secretary_client(client, secretary):
    client.force_login(secretary)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", IMPORTS)
def test_every_import_reads_its_header_below_a_title_and_says_so(secretary_client, url_name):
    columns = list(IMPORTS[url_name].columns)
    content = book(("导入", [["徐泾镇商会2026年导入表"], [" " + columns[0], *columns[1:]]]))

    with translation.override("zh-hans"):
        response = secretary_client.post(
            reverse(url_name),
            {"import_file": SimpleUploadedFile("表.xlsx", content), "format": "0", "resource": "0"},
        )

    reading = response.context["import_reading"]
    assert (reading.sheet, reading.header_row) == ("导入", 2)
    text = " ".join(response.content.decode().split())
    assert "已读取工作表“导入”，第 2 行为列名。 其上方的 1 行视为标题，不导入。" in text


@pytest.mark.django_db
def test_a_file_over_the_row_limit_is_refused_in_chinese_naming_the_limit(
    secretary_client, monkeypatch
):
    monkeypatch.setattr(limits, "MAX_XLSX_ROWS", 3)
    content = book(("表", [list(COLUMNS), *[[f"企业{n}", "", ""] for n in range(4)]]))
    with translation.override("zh-hans"):
        response = secretary_client.post(
            reverse("admin:members_company_import"),
            {"import_file": SimpleUploadedFile("表.xlsx", content), "format": "0", "resource": "0"},
        )
    assert "该文件超过 3 行，请拆分成几个文件分批导入。" in response.content.decode()
    assert "confirm_form" not in response.context


@pytest.mark.django_db
def test_a_file_over_the_size_limit_is_refused_in_chinese_naming_the_limit(
    secretary_client, monkeypatch
):
    monkeypatch.setattr(limits, "MAX_XLSX_BYTES", 4096)
    content = book(("表", [list(COLUMNS)]))
    with translation.override("zh-hans"):
        response = secretary_client.post(
            reverse("admin:members_company_import"),
            {"import_file": SimpleUploadedFile("表.xlsx", content), "format": "0", "resource": "0"},
        )
    assert "导入文件不能超过 4.0\xa0KB。" in response.content.decode()


@pytest.mark.django_db
def test_the_import_page_loads_its_progress_script_and_says_what_it_does(secretary_client):
    response = secretary_client.get(reverse("admin:members_company_import"))
    text = response.content.decode()
    assert 'src="/static/js/import-progress.js"' in text
    assert 'id="import-progress"' in text and "data-checking=" in text


def test_hidden_sheets_are_neither_read_nor_offered():
    """The import template keeps its long lists of choices on a hidden sheet: a filled-in
    template is read from the visible sheet, and the hidden one is no sheet to pick."""
    from core.workbooks import read_workbook

    book = openpyxl.Workbook()
    book.active.title = "会员企业"
    book.active.append(["企业名称"])
    book.active.append(["上海示例科技有限公司"])
    lists = book.create_sheet("选项")
    lists.append(["会长单位"])
    lists.sheet_state = "hidden"
    book.active = 0
    buffer = io.BytesIO()
    book.save(buffer)

    sheets, active = read_workbook(buffer.getvalue(), max_rows=100)

    assert [name for name, _rows in sheets] == ["会员企业"] and active == 0
