"""The member list as a secretary really keeps it in Excel, through the admin's two steps: a
merged title row, headers in her own words, blank rows between blocks, numbers typed as
numbers, dates and names written her way, and the list on the second sheet."""

import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from members.models import Company, Person
from tests.factories import CompanyFactory, PersonFactory, credit_code
from tests.members.test_import_export import confirm, upload

pytestmark = pytest.mark.django_db

TITLE = "徐泾镇商会会员企业名册（2026年）"
# The secretary's headers: spaces, a full-width letter block, synonyms, in her own order.
HEADERS = [
    " 企业名 ",
    "统一代码",
    "行　业",
    "会员类别",
    "入会时间",
    "状态",
    "地址",
    "联系人",
    "职务",
    "联系电话",
    "Ｅ-mail",
]


def secretary_book(*blocks, title=TITLE, headers=HEADERS, before=()):
    """A workbook as a secretary keeps it: ``before`` sheets first (the active one), then the
    member list with a title row merged across the columns, the header, and each block of
    rows after a blank row."""
    book = openpyxl.Workbook()
    first = book.active
    for index, (name, rows) in enumerate(before):
        sheet = first if index == 0 else book.create_sheet()
        sheet.title = name
        for values in rows:
            sheet.append(values)
    sheet = first if not before else book.create_sheet()
    sheet.title = "会员名册"
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    sheet.append(headers)
    for number, block in enumerate(blocks):
        if number:
            sheet.append([])
        for values in block:
            sheet.append(values)
    book.active = 0
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def member(name, code="", **cells):
    values = {
        "name": name,
        "code": code,
        "industry": "制造业",
        "tier": "会员单位",
        "since": "2019.5.1",
        "status": "在册",
        "address": "上海市青浦区徐泾镇",
        "contact": "",
        "title": "",
        "mobile": "",
        "email": "",
        **cells,
    }
    return list(values.values())


def page(response) -> str:
    return " ".join(response.content.decode().split())


@pytest.fixture
def secretary_client(client, secretary):
    client.force_login(secretary)
    return client


def test_a_secretarys_list_imports_with_its_title_blocks_and_own_headers(secretary_client):
    content = secretary_book(
        [
            member(
                "上海虹泾投资发展有限公司", credit_code(1), contact="王建国", mobile=13812345678.0
            ),
            member("上海徐盈科技有限公司", credit_code(2), since=datetime.date(2019, 5, 1)),
        ],
        [
            member(
                "上海诸光物流有限公司", "", since="2019/05/01", contact="李梅", mobile=13900001111
            ),
            member("上海龙联食品有限公司", "", since="2019年5月"),
        ],
    )

    with translation.override("zh-hans"):
        checked = upload(secretary_client, content)

    assert "confirm_form" in checked.context, checked.context.get("problems")
    reading = checked.context["import_reading"]
    assert (reading.sheet, reading.header_row) == ("会员名册", 2)
    assert reading.renamed == [
        ("企业名", "企业名称"),
        ("统一代码", "统一社会信用代码"),
        ("行　业", "行业"),
        ("入会时间", "入会日期"),
        ("联系电话", "手机"),
        ("Ｅ-mail", "邮箱"),
    ]
    text = page(checked)
    assert "已读取工作表“会员名册”，第 2 行为列名。" in text
    assert "“联系电话”识别为“手机”" in text and "“统一代码”识别为“统一社会信用代码”" in text
    assert checked.context["result"].totals["new"] == 4

    confirm(secretary_client, checked)

    assert Company.objects.count() == 4
    assert set(Company.objects.values_list("member_since", flat=True)) == {
        datetime.date(2019, 5, 1)
    }
    assert sorted(
        Person.objects.filter(company__isnull=False).values_list("mobile", flat=True)
    ) == [
        "13812345678",
        "13900001111",
    ]


def test_bad_rows_are_named_as_the_sheet_numbers_them_below_the_title(secretary_client):
    content = secretary_book(
        [member("上海虹泾投资发展有限公司", credit_code(1))],
        [member("上海诸光物流有限公司", since="2019年13月")],
    )
    checked = upload(secretary_client, content)
    # Title row 1, header row 2, first block row 3, blank row 4, second block row 5.
    assert [(p.row, p.column) for p in checked.context["problems"]] == [(5, "入会日期")]
    assert not Company.objects.exists()


def test_a_mobile_excel_shortened_to_1_38e10_is_refused_saying_why(secretary_client):
    content = secretary_book(
        [
            member("上海虹泾投资发展有限公司", contact="王建国", mobile="1.38E+10"),
            member("上海徐盈科技有限公司", contact="李梅", mobile="13812345678"),
        ]
    )
    with translation.override("zh-hans"):
        checked = upload(secretary_client, content)
    [problem] = checked.context["problems"]
    assert (problem.row, problem.column) == (3, "手机")
    assert "“1.38E+10”是 Excel 对长数字的缩写显示，后几位数字已经丢失" in problem.message
    assert not Company.objects.exists()


def test_a_credit_code_in_lower_case_with_spaces_updates_its_company(secretary_client):
    code = credit_code(7)
    company = CompanyFactory(name="上海微格信息技术有限公司", credit_code=code, address="旧址")
    typed = " ".join([code[:6].lower(), code[6:12].lower(), code[12:]])

    checked = upload(
        secretary_client, secretary_book([member(company.name, typed, address="新址")])
    )
    assert checked.context["result"].totals["update"] == 1
    confirm(secretary_client, checked)

    company.refresh_from_db()
    assert (Company.objects.count(), company.address) == (1, "新址")


def test_a_name_with_half_width_brackets_updates_the_company_on_record(secretary_client):
    company = CompanyFactory(name="上好佳（中国）有限公司", credit_code="", address="旧址")
    PersonFactory(company=company, name="周平", is_main_contact=True)

    checked = upload(
        secretary_client, secretary_book([member("上好佳(中国)有限公司", address="新址")])
    )
    assert checked.context["result"].totals["update"] == 1
    confirm(secretary_client, checked)

    company.refresh_from_db()
    assert Company.objects.count() == 1
    assert (company.name, company.address) == ("上好佳（中国）有限公司", "新址")


def test_two_rows_of_one_company_with_other_brackets_are_the_same_company(secretary_client):
    checked = upload(
        secretary_client,
        secretary_book([member("上好佳（中国）有限公司"), member("上好佳 (中国) 有限公司")]),
    )
    assert [(p.row, p.column) for p in checked.context["problems"]] == [(4, "企业名称")]


def test_a_row_repeating_the_header_between_blocks_is_no_row(secretary_client):
    checked = upload(
        secretary_client,
        secretary_book(
            [member("上海虹泾投资发展有限公司")], [HEADERS, member("上海徐盈科技有限公司")]
        ),
    )
    assert checked.context["result"].totals["new"] == 2


# One row only: the active sheet has no row below its first, the workbook still has data.
NOTES_SHEET = ("说明", [["本名册由秘书处整理，2026年1月更新"]])


def test_the_list_on_the_second_sheet_is_found_and_the_page_offers_the_others(
    secretary_client,
):
    content = secretary_book([member("上海虹泾投资发展有限公司")], before=[NOTES_SHEET])

    checked = upload(secretary_client, content)

    reading = checked.context["import_reading"]
    assert (reading.sheet, reading.sheets, reading.chosen) == (
        "会员名册",
        ["说明", "会员名册"],
        False,
    )
    text = page(checked)
    assert '<option value="说明">说明</option>' in text
    assert '<input type="hidden" name="sheet" value="会员名册">' in text
    confirm_data = {**checked.context["confirm_form"].initial, "sheet": reading.sheet}
    secretary_client.post("/admin/members/company/process_import/", confirm_data, follow=True)
    assert Company.objects.filter(name="上海虹泾投资发展有限公司").exists()


def test_the_secretary_picks_another_sheet_on_the_check_page_without_uploading_again(
    secretary_client,
):
    book = openpyxl.Workbook()
    book.active.title = "2025年"
    book.active.append(list(HEADERS))
    book.active.append(member("上海去年企业有限公司"))
    sheet = book.create_sheet("2026年")
    sheet.append(list(HEADERS))
    sheet.append(member("上海今年企业有限公司"))
    out = io.BytesIO()
    book.save(out)

    checked = upload(secretary_client, out.getvalue(), name="名册.xlsx")
    assert checked.context["import_reading"].sheet == "2025年"
    stored = checked.context["import_stored"]
    assert stored["original_file_name"] == "名册.xlsx"

    rechecked = secretary_client.post(checked.request["PATH_INFO"], {**stored, "sheet": "2026年"})

    reading = rechecked.context["import_reading"]
    assert (reading.sheet, reading.chosen) == ("2026年", True)
    assert [row.diff[0] for row in rechecked.context["result"].valid_rows()] == [
        "<ins>上海今年企业有限公司</ins>"
    ]
    secretary_client.post(
        "/admin/members/company/process_import/",
        {**rechecked.context["confirm_form"].initial, "sheet": reading.sheet},
        follow=True,
    )
    assert list(Company.objects.values_list("name", flat=True)) == ["上海今年企业有限公司"]


def test_a_stored_file_outside_the_temporary_folder_is_not_read(secretary_client):
    response = secretary_client.post(
        "/admin/members/company/import/",
        {"stored_file": "/etc/passwd", "format": "0", "resource": "0", "sheet": "x"},
    )
    assert response.context["form"].errors["import_file"]
    assert "import_reading" not in response.context


def test_the_check_takes_as_many_queries_for_fifty_rows_as_for_five(secretary_client):
    def check(rows):
        content = secretary_book(
            [
                member(f"上海第{n}号企业有限公司", credit_code(200 + n), contact=f"联系人{n}")
                for n in range(rows)
            ]
        )
        with CaptureQueriesContext(connection) as queries:
            checked = upload(secretary_client, content)
        assert "confirm_form" in checked.context
        return len(queries)

    assert check(50) == check(5)
