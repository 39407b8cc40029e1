"""The company import at scale: a fixed number of queries whatever the length of the file,
history for every company and contact it writes, all or nothing, nothing on a second run."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from import_export.formats.base_formats import XLSX

from members.models import Company, Industry, Person, pinyin_initials, pinyin_sort_key
from members.resources import COLUMNS, CompanyResource
from tests.factories import CompanyFactory, PersonFactory, credit_code
from tests.members.test_import_export import confirm, counts, row, upload, workbook

pytestmark = pytest.mark.django_db

# On SQLite Django splits a bulk write into statements of 999 parameters (58 history rows of
# companies): there the longer file stays within one statement of each kind.
LARGE = 200 if connection.vendor == "postgresql" else 50
FIRST = 7_000_000  # the tests' companies take credit codes far from the factories' sequence


def name_of(n):
    return f"上海规模测试{n:04d}号科技有限公司"


def code_of(n):
    return credit_code(FIRST + n)


def company_row(n, **cells):
    cells = {
        "联系人": f"联系人{n}",
        "职务": "总经理",
        "手机": f"139{FIRST + n:08d}",
        "邮箱": f"c{n}@example.com",
        **cells,
    }
    return row(name_of(n), code_of(n), **cells)


def on_record(numbers):
    """Companies ``numbers`` on record, each with its main contact, as company_row() says."""
    for n in numbers:
        company = CompanyFactory(
            name=name_of(n),
            credit_code=code_of(n),
            industry=Industry.MANUFACTURING,
            member_since=datetime.date(2024, 5, 1),
        )
        PersonFactory(
            company=company,
            name=f"联系人{n}",
            mobile=f"139{FIRST + n:08d}",
            email=f"c{n}@example.com",
            is_main_contact=True,
        )


def rows_of(numbers):
    """Rows for companies ``numbers``: the even ones on record (the file gives them a new
    tier, or their contact a new mobile), the odd ones new."""
    on_record(n for n in numbers if n % 2 == 0)
    rows = []
    for n in numbers:
        if n % 4 == 0:
            rows.append(company_row(n, 会员类别="执委单位"))
        elif n % 4 == 2:
            rows.append(company_row(n, 手机=f"137{FIRST + n:08d}"))
        else:
            rows.append(company_row(n))
    return rows


def file_of(numbers):
    return workbook(*rows_of(numbers))


@pytest.fixture
def secretary_client(client, secretary):
    client.force_login(secretary)
    return client


def queries_to_import(client, content):
    ContentType.objects.clear_cache()  # as in a fresh process: the admin log looks it up
    with CaptureQueriesContext(connection) as checking:
        checked = upload(client, content)
    assert "confirm_form" in checked.context
    with CaptureQueriesContext(connection) as importing:
        confirm(client, checked)
    return len(checking), len(importing)


def test_checking_and_importing_take_as_many_queries_for_a_long_file_as_for_a_short_one(
    secretary_client,
):
    short = queries_to_import(secretary_client, file_of(range(20)))
    long = queries_to_import(secretary_client, file_of(range(1000, 1000 + LARGE)))

    assert Company.objects.filter(name=name_of(1000 + LARGE - 1)).exists()
    assert long == short
    # Few, whatever the rows: reading, the writes, their history, the cached counts bumped.
    assert max(long) < 60


def test_each_company_and_contact_written_has_history_by_the_secretary_and_the_file(
    secretary_client, secretary
):
    on_record([1, 2, 3, 4])
    content = workbook(
        company_row(0),  # new
        company_row(1, 会员类别="副会长单位"),  # the company changes
        company_row(2),  # nothing changes
        company_row(3, 邮箱="new3@example.com"),  # only the contact changes
        company_row(4, 联系人="新联系人", 手机="13600000004"),  # another main contact
    )

    confirm(secretary_client, upload(secretary_client, content, name="会员名录.xlsx"))

    reason = "从 会员名录.xlsx 导入"
    created = Company.objects.get(name=name_of(0))
    assert [
        (h.history_type, h.history_user, h.history_change_reason) for h in created.history.all()
    ] == [("+", secretary, reason)]
    assert (created.name_initials, created.name_pinyin) == (
        pinyin_initials(created.name),
        pinyin_sort_key(created.name),
    )
    changed = Company.objects.get(name=name_of(1))
    assert changed.tier == Company.Tier.VICE_PRESIDENT
    assert [
        (h.history_type, h.tier, h.history_user, h.history_change_reason)
        for h in changed.history.all()
    ] == [
        ("~", Company.Tier.VICE_PRESIDENT, secretary, reason),
        ("+", Company.Tier.MEMBER, None, None),
    ]
    for n in (2, 3, 4):
        assert Company.objects.get(name=name_of(n)).history.count() == 1  # the factory's
    imported = Person.history.filter(history_user=secretary, history_change_reason=reason)
    assert sorted((h.name, h.history_type, h.is_main_contact) for h in imported) == [
        ("新联系人", "+", True),
        ("联系人0", "+", True),
        ("联系人3", "~", True),
        ("联系人4", "~", False),
    ]
    assert Person.objects.get(name="联系人3").email == "new3@example.com"
    assert Company.objects.get(name=name_of(4)).people.get(is_main_contact=True).name == "新联系人"


def test_a_long_file_with_two_bad_rows_writes_nothing_and_names_both(secretary_client):
    rows = rows_of(range(LARGE - 1))  # spreadsheet rows 2 to LARGE
    first, second = LARGE * 3 // 4, LARGE * 19 // 20  # rows 150 and 190 of 200 on PostgreSQL
    rows[first - 2][COLUMNS.index("入会日期")] = "2024-13-01"
    rows[second - 2][COLUMNS.index("手机")] = "1381234567"
    before = counts()

    checked = upload(secretary_client, workbook(*rows))

    page = checked.content.decode()
    assert "confirm_form" not in checked.context
    assert [(p.row, p.column) for p in checked.context["problems"]] == [
        (first, "入会日期"),
        (second, "手机"),
    ]
    assert f"第 {first} 行：入会日期：" in page
    assert f"第 {second} 行：手机：" in page
    assert "有问题的行：2 行" in page
    assert counts() == before


def test_a_row_gone_bad_since_the_check_stops_the_whole_file(secretary_client):
    checked = upload(secretary_client, file_of(range(LARGE - 1)))
    taken = LARGE - 3  # a new company, on the file's last row but one
    CompanyFactory(name=name_of(taken), credit_code=code_of(10_000))
    before = counts()

    done = confirm(secretary_client, checked)

    assert counts() == before
    assert f"第 {taken + 2} 行：企业名称：已有另一家会员企业名为" in done.content.decode()


def test_importing_the_same_long_file_again_writes_nothing(secretary_client):
    content = file_of(range(LARGE))
    confirm(secretary_client, upload(secretary_client, content))
    before = counts()

    checked = upload(secretary_client, content)
    assert {r.import_type for r in checked.context["result"].valid_rows()} == {"skip"}
    done = confirm(secretary_client, checked)

    assert counts() == before
    assert f"新增 0 家、更新 0 家、{LARGE} 家无变化" in done.content.decode()


def test_the_check_marks_what_each_row_adds_and_changes(secretary_client):
    on_record([1])
    content = workbook(
        company_row(0, 地址="<b>诸光路</b>1号"),
        company_row(1, 会员类别="执委单位"),
    )

    page = upload(secretary_client, content).content.decode()

    assert f"<ins>{name_of(0)}</ins>" in page
    assert "<ins>&lt;b&gt;诸光路&lt;/b&gt;1号</ins>" in page
    assert "<del>会员单位</del><ins>执委单位</ins>" in page
    assert not Company.objects.filter(name=name_of(0)).exists()


def test_the_confirm_step_does_not_read_the_workbook_again(secretary_client, monkeypatch):
    checked = upload(secretary_client, workbook(company_row(0)))

    def unreadable(*args, **kwargs):
        raise AssertionError("the workbook is read a second time")

    monkeypatch.setattr("openpyxl.load_workbook", unreadable)
    confirm(secretary_client, checked)

    assert Company.objects.filter(name=name_of(0)).exists()


def test_a_name_one_company_gives_up_can_be_taken_by_another_later_in_the_file():
    CompanyFactory(name="上海甲公司", credit_code=code_of(1))
    CompanyFactory(name="上海乙公司", credit_code=code_of(2))
    CompanyFactory(name="上海丙公司", credit_code=code_of(3))
    content = workbook(
        row("上海甲有限公司", code_of(1)),  # gives up 上海甲公司
        row("上海甲公司", code_of(2)),  # takes it, gives up 上海乙公司
        row("上海乙公司", code_of(3)),  # takes that
    )

    result = CompanyResource().import_data(XLSX().create_dataset(content))

    assert not result.has_validation_errors() and not result.has_errors()
    assert list(Company.objects.order_by("credit_code").values_list("name", flat=True)) == [
        "上海甲有限公司",
        "上海甲公司",
        "上海乙公司",
    ]


def test_a_name_is_not_taken_before_its_company_gives_it_up():
    CompanyFactory(name="上海甲公司", credit_code=code_of(1))
    CompanyFactory(name="上海乙公司", credit_code=code_of(2))
    content = workbook(row("上海甲公司", code_of(2)), row("上海甲有限公司", code_of(1)))

    result = CompanyResource().import_data(XLSX().create_dataset(content))

    [invalid] = result.invalid_rows
    assert invalid.number == 1
    assert "会与另一家会员企业重名" in invalid.error_dict["name"][0]
    assert set(Company.objects.values_list("name", flat=True)) == {"上海甲公司", "上海乙公司"}


def test_the_pinyin_keys_are_those_company_save_gives():
    names = ["重庆银行上海分行", "E通世界网络科技", "3M中国有限公司", "长江行长乐商贸", "上海绿地"]

    CompanyResource().import_data(XLSX().create_dataset(workbook(*(row(name) for name in names))))

    for company in Company.objects.all():
        assert (company.name_initials, company.name_pinyin) == (
            pinyin_initials(company.name),
            pinyin_sort_key(company.name),
        )
