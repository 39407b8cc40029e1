"""Member companies in and out of xlsx: through the admin's two steps, and at resource level."""

import datetime
import io

import openpyxl
import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from import_export.formats.base_formats import XLSX

from members.models import Company, Industry, Person
from members.resources import (
    COLUMNS,
    INDUSTRY_LABELS,
    STATUS_LABELS,
    TIER_LABELS,
    CompanyResource,
)
from tests.factories import CompanyFactory, PersonFactory, UserFactory, credit_code

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:members_company_import")
PROCESS_URL = reverse("admin:members_company_process_import")
EXPORT_URL = reverse("admin:members_company_export")
VALID_CODE = "91350100M000100Y43"  # a real, published code


def row(name, code="", **cells):
    """One spreadsheet row, in the file's column order."""
    values = {
        "企业名称": name,
        "统一社会信用代码": code,
        "行业": "制造业",
        "会员类别": "会员单位",
        "入会日期": "2024-05-01",
        "状态": "在册",
        "地址": "上海市青浦区徐泾镇诸光路1588号",
        "联系人": "",
        "职务": "",
        "手机": "",
        "邮箱": "",
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
    """Import at resource level, as the admin's confirm step does."""
    dataset = XLSX().create_dataset(content)
    return CompanyResource().import_data(dataset, dry_run=dry_run, user=user)


def upload(client, content: bytes, name="companies.xlsx"):
    """The admin's first step: upload and check."""
    return client.post(
        IMPORT_URL,
        {"import_file": SimpleUploadedFile(name, content), "format": "0", "resource": "0"},
    )


def confirm(client, checked):
    """The admin's second step: confirm what the check showed."""
    return client.post(PROCESS_URL, checked.context["confirm_form"].initial, follow=True)


def counts():
    return (
        Company.objects.count(),
        Person.objects.count(),
        Company.history.count(),
        Person.history.count(),
    )


GOOD_ROWS = [
    row(
        "上海虹泾投资发展有限公司",
        VALID_CODE,
        行业="金融业",
        会员类别="会长单位",
        入会日期="2015/3/1",
        联系人="王建国",
        职务="董事长",
        手机="13812345678",
        邮箱="wang@example.com",
    ),
    row(
        "麦迪睿医疗科技（上海）有限公司",
        credit_code(1),
        行业="卫生和社会工作",
        会员类别="副会长单位",
        入会日期="2016年5月1日",
        联系人="李梅",
        职务="总经理",
        手机="139 0000 1111",
    ),
    row("上海微格信息技术有限公司", "", 行业="信息传输、软件和信息技术服务业", 状态="暂停"),
]


@pytest.fixture
def secretary_client(client, secretary):
    client.force_login(secretary)
    return client


def test_a_good_file_creates_every_company_and_its_contact_with_history_by_the_secretary(
    secretary_client, secretary
):
    checked = upload(secretary_client, workbook(*GOOD_ROWS))

    assert checked.status_code == 200
    assert "confirm_form" in checked.context
    assert not Company.objects.filter(name="上海虹泾投资发展有限公司").exists()

    done = confirm(secretary_client, checked)

    assert done.redirect_chain[-1][0] == reverse("admin:members_company_changelist")
    hongjing = Company.objects.get(credit_code=VALID_CODE)
    assert hongjing.name == "上海虹泾投资发展有限公司"
    assert hongjing.industry == Industry.FINANCE
    assert hongjing.tier == Company.Tier.PRESIDENT
    assert hongjing.member_since == datetime.date(2015, 3, 1)
    contact = hongjing.people.get(is_main_contact=True)
    assert (contact.name, contact.title, contact.mobile, contact.email) == (
        "王建国",
        "董事长",
        "13812345678",
        "wang@example.com",
    )
    medirui = Company.objects.get(name="麦迪睿医疗科技（上海）有限公司")
    assert medirui.member_since == datetime.date(2016, 5, 1)
    assert medirui.people.get(is_main_contact=True).mobile == "13900001111"
    weige = Company.objects.get(name="上海微格信息技术有限公司")
    assert weige.status == Company.Status.SUSPENDED
    assert weige.credit_code == ""
    assert not weige.people.exists()

    assert Company.history.filter(history_type="+").count() == 3
    assert hongjing.history.get().history_change_reason == "从 companies.xlsx 导入"
    assert {record.history_user for record in Company.history.all()} == {secretary}
    assert {record.history_user for record in Person.history.filter(company=hongjing)} == {
        secretary
    }
    assert "导入完成" in done.content.decode()


def test_a_file_with_bad_rows_is_refused_whole_and_each_bad_row_is_named(secretary_client):
    CompanyFactory(name="上海已有企业有限公司", credit_code=credit_code(50))
    CompanyFactory(name="上海另一家企业有限公司", credit_code=credit_code(51))
    before = counts()
    content = workbook(
        GOOD_ROWS[0],  # row 2 is fine
        row("上海校验位错误有限公司", VALID_CODE[:-1] + "4"),
        row("上海重复代码有限公司", VALID_CODE),  # the code of row 2
        row("", credit_code(2)),
        row("上海手机十位有限公司", credit_code(3), 联系人="张三", 手机="1381234567"),
        row("上海月份错误有限公司", credit_code(4), 入会日期="2024-13-01"),
        row("上海类别错误有限公司", credit_code(5), 会员类别="钻石会员"),
        row("上" * 201, credit_code(6)),
        row("上海虹泾投资发展有限公司", credit_code(7)),  # the name of row 2
        row("上海邮箱错误有限公司", credit_code(8), 联系人="李四", 邮箱="not-an-email"),
        # The code of 上海已有企业有限公司, renaming it onto another company's name.
        row("上海另一家企业有限公司", credit_code(50)),
    )

    checked = upload(secretary_client, content)

    page = checked.content.decode()
    assert checked.status_code == 200
    assert "confirm_form" not in checked.context
    assert 'name="confirm"' not in page
    assert [(p.row, p.column) for p in checked.context["problems"]] == [
        (3, "统一社会信用代码"),
        (4, "统一社会信用代码"),
        (5, "企业名称"),
        (6, "手机"),
        (7, "入会日期"),
        (8, "会员类别"),
        (9, "企业名称"),
        (10, "企业名称"),
        (11, "邮箱"),
        (12, "企业名称"),
    ]
    assert "有问题的行：10 行" in page
    assert "第 3 行：统一社会信用代码：" in page
    assert "第 4 行：统一社会信用代码：与本文件第 2 行的统一社会信用代码重复。" in page
    assert "第 5 行：企业名称：此字段不能为空。" in page
    assert "第 6 行：手机：" in page
    assert "第 7 行：入会日期：" in page
    assert "第 8 行：会员类别：“钻石会员”不是可选的值" in page
    assert "第 9 行：企业名称：确保该变量包含不超过 200 字符" in page
    assert "第 10 行：企业名称：与本文件第 2 行的企业名称重复。" in page
    assert "第 11 行：邮箱：输入一个有效的 Email 地址。" in page
    assert (
        f"第 12 行：企业名称：统一社会信用代码 {credit_code(50)} 对应的是“上海已有企业有限公司”，"
        "改名为“上海另一家企业有限公司”会与另一家会员企业重名。"
    ) in page
    assert counts() == before


def test_the_confirm_step_refuses_a_file_that_went_bad_in_between(secretary_client):
    checked = upload(secretary_client, workbook(row("上海后来重名有限公司", credit_code(1))))
    CompanyFactory(name="上海后来重名有限公司", credit_code=credit_code(2))
    before = counts()

    done = confirm(secretary_client, checked)

    assert (
        "第 2 行：企业名称：已有另一家会员企业名为“上海后来重名有限公司”。" in done.content.decode()
    )
    assert counts() == before


def test_importing_the_same_file_twice_changes_nothing_the_second_time(secretary_client):
    content = workbook(*GOOD_ROWS)
    confirm(secretary_client, upload(secretary_client, content))
    before = counts()

    checked = upload(secretary_client, content)
    assert [r.import_type for r in checked.context["result"].valid_rows()] == ["skip"] * 3
    done = confirm(secretary_client, checked)

    assert counts() == before
    assert "新增 0 家、更新 0 家、3 家无变化" in done.content.decode()


def test_a_changed_contact_alone_updates_the_contact_and_not_the_company(secretary):
    import_file(workbook(*GOOD_ROWS), user=secretary)
    company_history = Company.history.count()

    changed = list(GOOD_ROWS[0])
    changed[COLUMNS.index("手机")] = "13987654321"
    result = import_file(workbook(changed), user=secretary)

    assert result.totals["update"] == 1
    assert Company.history.count() == company_history
    contact = Person.objects.get(name="王建国")
    assert contact.mobile == "13987654321"
    assert contact.history.first().history_user == secretary


def test_naming_another_contact_makes_them_the_main_contact_and_keeps_the_previous_one():
    import_file(workbook(*GOOD_ROWS))
    changed = list(GOOD_ROWS[0])
    changed[COLUMNS.index("联系人")] = "赵敏"
    changed[COLUMNS.index("手机")] = "13700001111"

    import_file(workbook(changed))

    company = Company.objects.get(credit_code=VALID_CODE)
    assert company.people.get(is_main_contact=True).name == "赵敏"
    previous = company.people.get(name="王建国")
    assert not previous.is_main_contact
    assert previous.mobile == "13812345678"


def test_empty_cells_leave_the_record_as_it_is():
    company = CompanyFactory(name="上海德邦物流有限公司", tier=Company.Tier.EXECUTIVE)
    contact = PersonFactory(company=company, name="钱多多", is_main_contact=True)

    result = import_file(
        workbook(["上海德邦物流有限公司", company.credit_code, "", "", "", "", "", "", "", "", ""])
    )

    assert result.totals["skip"] == 1
    company.refresh_from_db()
    assert company.tier == Company.Tier.EXECUTIVE
    assert company.address == "上海市青浦区徐泾镇诸光路1588号"
    assert company.people.get(is_main_contact=True) == contact


def test_a_row_without_a_credit_code_matches_the_company_by_name():
    company = CompanyFactory(name="上海灿辉国际贸易有限公司", tier=Company.Tier.MEMBER)

    import_file(workbook(row("上海灿辉国际贸易有限公司", "", 会员类别="执委单位")))

    company.refresh_from_db()
    assert company.tier == Company.Tier.EXECUTIVE
    assert Company.objects.count() == 1


def test_a_company_on_record_without_a_credit_code_gets_the_one_in_the_file():
    company = CompanyFactory(name="上海灿辉国际贸易有限公司", credit_code="")

    import_file(workbook(row("上海灿辉国际贸易有限公司", f" {VALID_CODE[:9]}-{VALID_CODE[9:]} ")))

    company.refresh_from_db()
    assert company.credit_code == VALID_CODE
    assert Company.objects.count() == 1


def test_a_row_with_a_known_credit_code_renames_its_company():
    company = CompanyFactory(name="上海旧名有限公司", credit_code=VALID_CODE)

    import_file(workbook(row("上海新名有限公司", VALID_CODE)))

    company.refresh_from_db()
    assert company.name == "上海新名有限公司"
    assert Company.objects.count() == 1


def test_cells_as_excel_keeps_them_are_read():
    """Numbers stored as floats, real date cells, spaces, stored values, lower-case codes."""
    content = workbook(
        [
            "  上海周黑鸭食品有限公司 ",
            f" {VALID_CODE.lower()} ",
            "manufacturing",
            " 会员单位",
            datetime.date(2019, 6, 30),  # a real date cell
            "active",
            "",
            "周先生",
            "",
            13812345678.0,
            "",
        ],
        [None] * len(COLUMNS),
        row("上海中昊针织有限公司", credit_code(9), 入会日期="2020年1月2日"),
        [None] * len(COLUMNS),
        [""] * len(COLUMNS),
    )

    result = import_file(content)

    assert not result.has_errors() and not result.has_validation_errors()
    assert [r.import_type for r in result.valid_rows()] == ["new", "new"]
    company = Company.objects.get(credit_code=VALID_CODE)
    assert company.name == "上海周黑鸭食品有限公司"
    assert company.industry == Industry.MANUFACTURING
    assert company.member_since == datetime.date(2019, 6, 30)
    assert company.people.get().mobile == "13812345678"
    zhonghao = Company.objects.get(name="上海中昊针织有限公司")
    assert zhonghao.member_since == datetime.date(2020, 1, 2)


def test_a_contact_without_a_name_is_a_bad_row():
    result = import_file(workbook(row("上海上好佳食品有限公司", 手机="13812345678")))

    problems = CompanyResource().describe_problems(result)
    assert [(p.row, p.column) for p in problems] == [(2, "联系人")]
    assert not Company.objects.exists()


def test_a_file_with_a_missing_column_is_refused_naming_the_column(secretary_client):
    headers = [column for column in COLUMNS if column != "手机"]
    headers[0] = "客户名称"  # not a word for 企业名称

    checked = upload(secretary_client, workbook(["上海某公司"] * len(headers), headers=headers))

    assert "confirm_form" not in checked.context
    [problem] = checked.context["problems"]
    assert problem.row is None
    assert "企业名称、手机" in problem.message
    assert not Company.objects.exists()


def test_a_file_that_is_not_a_workbook_gets_a_clear_message(secretary_client):
    checked = upload(secretary_client, "企业名称,手机\n测试,1\n".encode(), name="companies.xlsx")

    assert checked.status_code == 200
    assert "confirm_form" not in checked.context
    assert "*.xlsx" in checked.content.decode()
    assert not Company.objects.exists()


def test_the_export_page_offers_xlsx_with_every_column(secretary_client):
    response = secretary_client.get(EXPORT_URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert "xlsx" in page
    assert "<li>企业名称</li><li>统一社会信用代码</li><li>行业</li>" in page


def test_export_writes_the_columns_the_labels_and_iso_dates(secretary_client):
    company = CompanyFactory(
        name="上海E通世界网络科技有限公司",
        industry=Industry.IT,
        tier=Company.Tier.VICE_PRESIDENT,
        member_since=datetime.date(2018, 9, 1),
    )
    PersonFactory(company=company, name="孙悦", mobile="13811112222", is_main_contact=True)
    PersonFactory(company=company, name="不是联系人")

    response = secretary_client.post(EXPORT_URL, {"format": "0", "resource": "0"})

    assert response.status_code == 200
    header, *rows = read_workbook(response.content)
    assert header == list(COLUMNS)
    assert rows == [
        [
            "上海E通世界网络科技有限公司",
            company.credit_code,
            "信息传输、软件和信息技术服务业",
            "副会长单位",
            "2018-09-01",
            "在册",
            "上海市青浦区徐泾镇诸光路1588号",
            "孙悦",
            "总经理",
            "13811112222",
            company.people.get(name="孙悦").email,
        ]
    ]


def test_an_exported_file_imports_back_unchanged_even_with_formula_like_names(
    secretary_client,
):
    for n, name in enumerate(['=HYPERLINK("http://x")公司', "-号公司", "+号公司", "@号公司"]):
        company = CompanyFactory(name=name, credit_code=credit_code(100 + n))
        PersonFactory(company=company, name=f"联系人{n}", is_main_contact=True)
    CompanyFactory(name="上海退会企业有限公司", status=Company.Status.LEFT, member_since=None)
    CompanyFactory(name="'=已带引号的公司")
    before = counts()

    exported = secretary_client.post(EXPORT_URL + "?status=all", {"format": "0", "resource": "0"})

    names = [values[0] for values in read_workbook(exported.content)[1:]]
    assert '\'=HYPERLINK("http://x")公司' in names
    assert "'-号公司" in names and "'+号公司" in names and "'@号公司" in names
    assert "''=已带引号的公司" in names
    book = openpyxl.load_workbook(io.BytesIO(exported.content))
    assert all(cell.data_type != "f" for cells in book.active.iter_rows() for cell in cells)

    checked = upload(secretary_client, exported.content)
    assert {r.import_type for r in checked.context["result"].valid_rows()} == {"skip"}
    confirm(secretary_client, checked)

    assert counts() == before
    assert Company.objects.filter(name='=HYPERLINK("http://x")公司').exists()
    assert Company.objects.filter(name="'=已带引号的公司").exists()


def test_the_file_is_in_chinese_whatever_the_admin_language(secretary_client):
    CompanyFactory(name="上海微格信息技术有限公司", industry=Industry.IT)

    response = secretary_client.post(
        EXPORT_URL, {"format": "0", "resource": "0"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    header, values = read_workbook(response.content)
    assert header == list(COLUMNS)
    assert values[2:6] == ["信息传输、软件和信息技术服务业", "会员单位", "2015-03-01", "在册"]


def test_the_supervisor_may_not_import_or_export(client, supervisor):
    client.force_login(supervisor)

    assert client.get(IMPORT_URL).status_code == 403
    assert client.get(EXPORT_URL).status_code == 403


def test_every_choice_has_a_chinese_label_in_the_file_format():
    assert set(INDUSTRY_LABELS) == set(Industry.values)
    assert set(TIER_LABELS) == set(Company.Tier.values)
    assert set(STATUS_LABELS) == set(Company.Status.values)
    for labels in (INDUSTRY_LABELS, TIER_LABELS, STATUS_LABELS):
        assert len(set(labels.values())) == len(labels)


def test_a_dry_run_changes_nothing():
    result = CompanyResource().import_data(
        tablib.Dataset(row("上海试运行有限公司"), headers=list(COLUMNS)), dry_run=True
    )

    assert result.totals["new"] == 1
    assert counts() == (0, 0, 0, 0)


def test_a_contact_with_an_account_cannot_take_a_mobile_that_logs_in_someone_else(secretary):
    """The companies' import changes a main contact's mobile: the same rule as the people's
    import and the forms (Person.mobile_taken)."""
    company = CompanyFactory(name="上海虹泾投资发展有限公司", credit_code=VALID_CODE)
    contact = PersonFactory(
        company=company, name="王建国", mobile="13900000001", is_main_contact=True
    )
    UserFactory(username="wang", person=contact)
    UserFactory(username="other", person=PersonFactory(mobile="13800000002"))
    changed = list(GOOD_ROWS[0])
    changed[COLUMNS.index("手机")] = "13800000002"

    result = import_file(workbook(changed), user=secretary)

    problems = CompanyResource().describe_problems(result)
    assert [(p.row, p.column) for p in problems] == [(2, "手机")]
    assert "13800000002" in problems[0].message
    contact.refresh_from_db()
    assert contact.mobile == "13900000001"
