"""The people of member companies in and out of xlsx (人员): matched by company and name, all or
nothing, every problem named by its row."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from import_export.formats.base_formats import XLSX

from members.models import Person
from members.people_resources import COLUMNS, PersonResource
from tests.factories import CompanyFactory, PersonFactory, UserFactory, credit_code

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:members_person_import")
PROCESS_URL = reverse("admin:members_person_process_import")
EXPORT_URL = reverse("admin:members_person_export")


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def row(name, company, **cells):
    values = {
        "姓名": name,
        "所在企业": company,
        "职务": "",
        "手机": "",
        "邮箱": "",
        "政治身份": "",
        **cells,
    }
    return [values[column] for column in (*COLUMNS, *cells.keys() - set(COLUMNS))]


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
    resource = PersonResource()
    result = resource.import_data(XLSX().create_dataset(content), dry_run=dry_run, user=user)
    return result, resource.describe_problems(result)


@pytest.fixture
def companies():
    return (
        CompanyFactory(name="上海虹泾投资发展有限公司", credit_code=credit_code(501)),
        CompanyFactory(name="麦迪睿医疗科技（上海）有限公司", credit_code=credit_code(502)),
    )


def test_a_good_file_adds_people_to_their_companies_with_history(companies, secretary):
    hongjing, medirui = companies
    content = workbook(
        row("王建国", "上海虹泾投资发展有限公司", 职务="董事长", 手机=13812345678.0),
        row(
            "李梅",
            "麦迪睿医疗科技（上海）有限公司",
            职务="总经理",
            手机="139 0000 1111",
            邮箱="li@example.com",
            政治身份="青浦区人大代表",
        ),
    )

    result, problems = import_file(content, user=secretary)

    assert problems == []
    assert result.totals["new"] == 2
    wang = Person.objects.get(name="王建国")
    assert (wang.company, wang.title, wang.mobile) == (hongjing, "董事长", "13812345678")
    li = Person.objects.get(name="李梅")
    assert (li.company, li.mobile, li.email) == (medirui, "13900001111", "li@example.com")
    assert li.political_title == "青浦区人大代表"
    assert not li.is_main_contact
    assert wang.history.get().history_user == secretary


def test_a_person_of_no_company_is_the_secretariats_and_matched_among_them(companies):
    staff = PersonFactory(company=None, name="钱七", title="干事")
    PersonFactory(company=companies[0], name="钱七", title="董事")

    result, problems = import_file(
        workbook(row("钱七", "", 职务="秘书处主任"), row("孙八", "", 职务="干事"))
    )

    assert problems == []
    assert (result.totals["update"], result.totals["new"]) == (1, 1)
    staff.refresh_from_db()
    assert staff.title == "秘书处主任"
    assert Person.objects.get(name="孙八").company is None
    assert Person.objects.get(name="钱七", company=companies[0]).title == "董事"


def test_a_person_of_the_same_company_and_name_is_updated_not_duplicated(companies):
    hongjing, medirui = companies
    wang = PersonFactory(company=hongjing, name="王建国", title="总经理", is_main_contact=True)
    other_wang = PersonFactory(company=medirui, name="王建国", title="顾问")

    result, problems = import_file(
        workbook(row("王建国", "上海虹泾投资发展有限公司", 职务="董事长"))
    )

    assert problems == []
    assert result.totals["update"] == 1
    assert Person.objects.filter(name="王建国").count() == 2
    wang.refresh_from_db()
    other_wang.refresh_from_db()
    assert (wang.title, wang.is_main_contact) == ("董事长", True)
    assert other_wang.title == "顾问"


def test_empty_cells_leave_the_record_as_it_is_and_a_second_import_changes_nothing(companies):
    wang = PersonFactory(
        company=companies[0], name="王建国", mobile="13812345678", email="w@example.com"
    )
    content = workbook(row("王建国", "上海虹泾投资发展有限公司", 职务="董事长"))
    import_file(content)
    history = wang.history.count()

    result, _problems = import_file(content)

    wang.refresh_from_db()
    assert (wang.title, wang.mobile, wang.email) == ("董事长", "13812345678", "w@example.com")
    assert result.totals["skip"] == 1
    assert wang.history.count() == history


def test_the_credit_code_column_finds_the_company_when_the_file_has_it(companies):
    headers = (*COLUMNS, "统一社会信用代码")
    content = workbook(
        row("王建国", "", 统一社会信用代码=credit_code(502).lower()),
        row("李梅", "上海虹泾投资发展有限公司", 统一社会信用代码=credit_code(502)),
        headers=headers,
    )

    _result, problems = import_file(content)

    assert [(p.row, p.column) for p in problems] == [(3, "所在企业")]
    assert f"{credit_code(502)}" in problems[0].message
    assert "麦迪睿医疗科技（上海）有限公司" in problems[0].message
    assert not Person.objects.exists()

    import_file(workbook(row("王建国", "", 统一社会信用代码=credit_code(502)), headers=headers))
    assert Person.objects.get(name="王建国").company == companies[1]


def test_a_file_with_bad_rows_is_refused_whole_and_only_the_bad_rows_are_named(companies):
    content = workbook(
        row("王建国", "上海虹泾投资发展有限公司", 手机="13812345678"),
        row("李梅", "上海不存在有限公司"),
        row("张三", "上海虹泾投资发展有限公司", 手机="1381234567"),
        row("", "上海虹泾投资发展有限公司", 职务="董事"),
        row("赵六", "麦迪睿医疗科技（上海）有限公司", 邮箱="not-an-email"),
        row("王建国", "上海虹泾投资发展有限公司"),
        row("钱七", "", 职务="秘书处干事"),
        row("孙八", "麦迪睿医疗科技（上海）有限公司", 手机=13900001111.0),
    )

    result, problems = import_file(content)

    assert [(p.row, p.column) for p in problems] == [
        (3, "所在企业"),
        (4, "手机"),
        (5, "姓名"),
        (6, "邮箱"),
        (7, "姓名"),
    ]
    messages = {p.row: p.message for p in problems}
    assert "上海不存在有限公司" in messages[3]
    assert "11" in messages[4]
    assert "第 2 行" in messages[7]
    assert not Person.objects.exists()


def test_the_admin_checks_then_imports_and_the_supervisor_may_not(client, secretary, companies):
    client.force_login(secretary)
    content = workbook(row("王建国", "上海虹泾投资发展有限公司", 职务="董事长"))

    page = client.get(IMPORT_URL).content.decode()
    assert "姓名" in page and "政治身份" in page
    checked = client.post(
        IMPORT_URL,
        {"import_file": SimpleUploadedFile("people.xlsx", content), "format": "0", "resource": "0"},
    )
    assert "confirm_form" in checked.context
    assert not Person.objects.filter(name="王建国").exists()
    done = client.post(PROCESS_URL, checked.context["confirm_form"].initial, follow=True)

    assert done.redirect_chain[-1][0] == reverse("admin:members_person_changelist")
    assert "新增 1 人" in done.content.decode()
    assert Person.objects.get(name="王建国").company == companies[0]


def test_the_admin_names_the_bad_rows_and_imports_nothing(client, secretary, companies):
    client.force_login(secretary)
    content = workbook(row("王建国", "上海虹泾投资发展有限公司"), row("李梅", "上海不存在有限公司"))

    checked = client.post(
        IMPORT_URL,
        {"import_file": SimpleUploadedFile("people.xlsx", content), "format": "0", "resource": "0"},
    )

    assert "confirm_form" not in checked.context
    assert [(p.row, p.column) for p in checked.context["problems"]] == [(3, "所在企业")]
    assert "有问题的行：1 行" in checked.content.decode()
    assert not Person.objects.filter(name="王建国").exists()


def test_the_export_writes_the_same_columns(client, secretary, companies):
    PersonFactory(
        company=companies[0],
        name="王建国",
        title="董事长",
        mobile="13812345678",
        email="w@example.com",
        political_title="青浦区政协委员",
    )
    client.force_login(secretary)

    response = client.post(EXPORT_URL + "?q=王建国", {"format": "0", "resource": "0"})

    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.values)
    assert rows == [
        COLUMNS,
        (
            "王建国",
            "上海虹泾投资发展有限公司",
            "董事长",
            "13812345678",
            "w@example.com",
            "青浦区政协委员",
        ),
    ]


def test_a_person_with_an_account_cannot_take_a_mobile_that_logs_in_someone_else(companies):
    """A mobile logs in one account (Person.mobile_taken, as in the admin's form and the
    member's own edit): the file is refused, the row named, in Chinese, nothing changed."""
    hongjing, _ = companies
    wang = PersonFactory(company=hongjing, name="王建国", mobile="13900000001")
    UserFactory(username="wang", person=wang)
    UserFactory(username="other", person=PersonFactory(mobile="13800000002"))

    result, problems = import_file(
        workbook(
            row("李梅", "上海虹泾投资发展有限公司", 职务="会计"),
            row("王建国", "上海虹泾投资发展有限公司", 手机="138 0000 0002"),
        )
    )

    assert [(p.row, p.column) for p in problems] == [(3, "手机")]
    assert "已有另一位有账号的人员登记了手机号 13800000002" in problems[0].message
    wang.refresh_from_db()
    assert wang.mobile == "13900000001"
    assert not Person.objects.filter(name="李梅").exists()


def test_two_rows_cannot_give_one_mobile_to_two_people_with_accounts(companies):
    hongjing, medirui = companies
    for username, name, company in (("wang", "王建国", hongjing), ("li", "李梅", medirui)):
        UserFactory(username=username, person=PersonFactory(company=company, name=name))

    result, problems = import_file(
        workbook(
            row("王建国", "上海虹泾投资发展有限公司", 手机="13700000003"),
            row("李梅", "麦迪睿医疗科技（上海）有限公司", 手机="13700000003"),
        )
    )

    assert [(p.row, p.column) for p in problems] == [(3, "手机")]
    assert not Person.objects.filter(mobile="13700000003").exists()


def test_people_without_accounts_may_share_a_mobile_and_an_unchanged_mobile_stays(companies):
    """The rule is about logging in: a switchboard number shared by people without accounts
    is imported, and a person keeping the number on record is not refused for it."""
    hongjing, _ = companies
    UserFactory(username="other", person=PersonFactory(mobile="13800000002"))
    kept = PersonFactory(company=hongjing, name="钱七", mobile="13600000004")
    UserFactory(username="qian", person=kept)
    PersonFactory(mobile="13600000004")  # a legacy clash, already on record

    result, problems = import_file(
        workbook(
            row("王建国", "上海虹泾投资发展有限公司", 手机="13800000002"),
            row("李梅", "上海虹泾投资发展有限公司", 手机="13800000002"),
            row("钱七", "上海虹泾投资发展有限公司", 手机="13600000004", 职务="财务"),
        )
    )

    assert problems == []
    assert Person.objects.filter(mobile="13800000002").count() == 3
    kept.refresh_from_db()
    assert kept.title == "财务"
