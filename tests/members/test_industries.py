"""行业 as secretaries write it: everyday words and GB/T 4754-2017 names placed in the app's
sections, the word kept as written and shown, a word that cannot be placed a note (not a
problem), and the rows that are really wrong each named, and only they."""

import datetime

import pytest
from django.urls import reverse

from members.industries import DIVISIONS, EVERYDAY, SECTIONS, WORD_COUNT, normalize, place
from members.models import Company, Industry
from members.resources import INDUSTRY_LABELS, TIER_LABELS
from members.templatetags.directory import company_cards
from tests.factories import CompanyFactory, credit_code
from tests.members.test_import_export import (
    EXPORT_URL,
    VALID_CODE,
    confirm,
    counts,
    import_file,
    read_workbook,
    row,
    upload,
    workbook,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretary_client(client, secretary):
    client.force_login(secretary)
    return client


# The table ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "section"),
    [
        ("物流", Industry.LOGISTICS),
        ("食品", Industry.MANUFACTURING),
        ("信息技术", Industry.IT),
        ("餐饮", Industry.HOSPITALITY),
        ("医药", Industry.MANUFACTURING),
        ("建筑", Industry.CONSTRUCTION),
        ("外贸", Industry.TRADE),
        ("电商", Industry.TRADE),
        ("汽配", Industry.MANUFACTURING),
        ("服装", Industry.MANUFACTURING),
        ("印刷", Industry.MANUFACTURING),
        ("装修", Industry.CONSTRUCTION),
        ("房产", Industry.REAL_ESTATE),
        ("物业", Industry.REAL_ESTATE),
        ("培训", Industry.EDUCATION),
        ("咨询", Industry.BUSINESS_SERVICES),
        ("广告", Industry.BUSINESS_SERVICES),
        ("软件", Industry.IT),
        ("新能源", Industry.MANUFACTURING),
        ("环保", Industry.RESEARCH),
        ("化工", Industry.MANUFACTURING),
        ("货代", Industry.LOGISTICS),
        ("投资", Industry.FINANCE),
        ("养老", Industry.HEALTH),
        ("家政", Industry.RESIDENT_SERVICES),
        ("文化传媒", Industry.CULTURE),
        ("种植", Industry.AGRICULTURE),
        # GB/T 4754-2017 divisions and sections.
        ("农业", Industry.AGRICULTURE),
        ("纺织业", Industry.MANUFACTURING),
        ("道路运输业", Industry.LOGISTICS),
        ("餐饮业", Industry.HOSPITALITY),
        ("软件和信息技术服务业", Industry.IT),
        ("商务服务业", Industry.BUSINESS_SERVICES),
        ("煤炭开采和洗选业", Industry.MINING),
        ("水利、环境和公共设施管理业", Industry.PUBLIC_FACILITIES),
        ("行业协会", Industry.PUBLIC_ADMINISTRATION),
        ("自来水", Industry.UTILITIES),
        ("国际组织", Industry.INTERNATIONAL),
        # By the word's ending: a Chinese name says last what the business does.
        ("食品贸易", Industry.TRADE),
        ("汽车零部件制造", Industry.MANUFACTURING),
    ],
)
def test_everyday_words_and_the_standards_names_are_placed(word, section):
    assert place(word) == section


@pytest.mark.parametrize(
    ("word", "section"),
    [
        ("物流业", Industry.LOGISTICS),
        ("物流行业", Industry.LOGISTICS),
        ("物流公司", Industry.LOGISTICS),
        ("物流有限公司", Industry.LOGISTICS),
        (" 物 流 ", Industry.LOGISTICS),
        ("物流\u3000", Industry.LOGISTICS),
        ("物流服务", Industry.LOGISTICS),
        ("ＩＴ", Industry.IT),
        ("it", Industry.IT),
        ("农林牧渔业", Industry.AGRICULTURE),
    ],
)
def test_spaces_full_width_characters_and_endings_do_not_matter(word, section):
    assert place(word) == section


def test_a_word_that_says_nothing_of_an_industry_is_not_placed():
    for word in ("火星贸易开发", "上海", "投资发展", "", "甲"):
        assert place(word) is None


def test_the_table_has_every_section_and_division_of_the_standard_and_many_everyday_words():
    assert len(SECTIONS) == 20
    assert len(DIVISIONS) == 97
    # Every section of the standard is one of the app's, and only 其他 is nobody's.
    assert set(SECTIONS.values()) | set(DIVISIONS.values()) | {Industry.OTHER} == set(
        Industry.values
    )
    everyday = {normalize(word) for text in EVERYDAY.values() for word in text.split()}
    assert len(everyday) >= 150
    assert WORD_COUNT >= len(everyday) + 97
    # The file's own section names place where the file says.
    for section, label in INDUSTRY_LABELS.items():
        assert place(label) in (section, None)


# Import ---------------------------------------------------------------------------------


def test_the_word_is_kept_as_written_and_the_company_counted_in_its_section():
    result = import_file(
        workbook(
            row("上海甲物流有限公司", credit_code(1), 行业="物流"),
            row("上海乙纺织有限公司", credit_code(2), 行业=" 纺织业 "),
            row("上海丙软件有限公司", credit_code(3), 行业="ＩＴ行业"),
            row("上海丁制造有限公司", credit_code(4), 行业="制造业"),
            row("上海戊火星有限公司", credit_code(5), 行业="火星贸易开发"),
        )
    )

    assert not result.has_validation_errors()
    assert list(
        Company.objects.order_by("credit_code").values_list("industry", "industry_text")
    ) == [
        (Industry.LOGISTICS, "物流"),
        (Industry.MANUFACTURING, "纺织业"),
        (Industry.IT, "ＩＴ行业"),
        (Industry.MANUFACTURING, ""),  # a section's name is the section: no word to keep
        (Industry.OTHER, "火星贸易开发"),
    ]


def test_a_word_that_cannot_be_placed_is_a_note_and_the_file_imports(secretary_client):
    content = workbook(
        row("上海甲物流有限公司", credit_code(1), 行业="物流"),
        row("上海戊火星有限公司", credit_code(2), 行业="火星贸易开发"),
        row("上海己有限公司", credit_code(3), 行业="神秘产业"),
    )

    checked = upload(secretary_client, content)

    page = checked.content.decode()
    assert "confirm_form" in checked.context
    assert checked.context["problems"] == []
    assert [(note.row, note.column) for note in checked.context["notes"]] == [
        (3, "行业"),
        (4, "行业"),
    ]
    assert '<div class="import-notes" id="import-notes">' in page
    assert "第 3 行：行业：“火星贸易开发”对应不到行业门类：该企业暂归入“其他”" in page
    assert page.index("import-notes") < page.index("import-preview")
    assert "火星贸易开发（其他）" in page and "物流（交通运输、仓储和邮政业）" in page

    confirm(secretary_client, checked)

    company = Company.objects.get(credit_code=credit_code(2))
    assert (company.industry, company.industry_text) == (Industry.OTHER, "火星贸易开发")


def test_notes_are_listed_below_the_problems(secretary_client):
    content = workbook(
        row("上海戊火星有限公司", credit_code(2), 行业="火星贸易开发"),
        row("上海类别错误有限公司", credit_code(3), 会员类别="付会长单位"),
    )

    checked = upload(secretary_client, content)

    page = checked.content.decode()
    assert [(p.row, p.column) for p in checked.context["problems"]] == [(3, "会员类别")]
    assert [note.row for note in checked.context["notes"]] == [2]
    assert "您是不是要写“副会长单位”？" in page
    assert page.index("import-problems") < page.index("import-notes")
    # Nothing imports while a problem stands: the notes do not promise otherwise.
    assert "改正上面的问题后，将按说明导入" in page and "以下各行没有错误，将按说明导入" not in page
    assert not Company.objects.exists()


def test_an_industry_longer_than_the_record_keeps_is_a_problem_of_its_row():
    resource_result = import_file(
        workbook(
            row("上海甲物流有限公司", credit_code(1), 行业="物流" * 25),
            row("上海乙物流有限公司", credit_code(2), 行业="物流" * 26),
        )
    )

    assert [row.number for row in resource_result.invalid_rows] == [2]
    assert list(resource_result.invalid_rows[0].error_dict) == ["industry"]
    assert not Company.objects.exists()


def test_a_file_without_notes_shows_no_notes_section(secretary_client):
    checked = upload(secretary_client, workbook(row("上海甲物流有限公司", 行业="物流")))

    assert checked.context["notes"] == []
    assert "import-notes" not in checked.content.decode()


def test_the_word_on_record_keeps_the_section_chosen_in_the_back_office():
    company = CompanyFactory(industry=Industry.MANUFACTURING, industry_text="物流")
    content = workbook(row(company.name, company.credit_code, 行业="物流", 入会日期="2015-03-01"))

    result = import_file(content)

    assert [r.import_type for r in result.valid_rows()] == ["skip"]
    company.refresh_from_db()
    assert (company.industry, company.industry_text) == (Industry.MANUFACTURING, "物流")

    import_file(workbook(row(company.name, company.credit_code, 行业="道路运输业")))

    company.refresh_from_db()
    assert (company.industry, company.industry_text) == (Industry.LOGISTICS, "道路运输业")
    assert company.history.first().industry_text == "道路运输业"


def test_an_export_writes_the_word_and_imports_back_with_word_and_section(secretary_client):
    CompanyFactory(name="上海甲物流有限公司", industry=Industry.LOGISTICS, industry_text="物流")
    CompanyFactory(name="上海乙有限公司", industry=Industry.MANUFACTURING, industry_text="物流")
    CompanyFactory(name="上海戊火星有限公司", industry=Industry.OTHER, industry_text="火星贸易")
    CompanyFactory(name="上海丁制造有限公司", industry=Industry.MANUFACTURING)
    before = list(Company.objects.order_by("name").values_list("name", "industry", "industry_text"))

    exported = secretary_client.post(EXPORT_URL, {"format": "0", "resource": "0"})

    cells = {values[0]: values[2] for values in read_workbook(exported.content)[1:]}
    assert cells == {
        "上海甲物流有限公司": "物流",
        "上海乙有限公司": "物流",
        "上海戊火星有限公司": "火星贸易",
        "上海丁制造有限公司": "制造业",
    }
    checked = upload(secretary_client, exported.content)
    assert {r.import_type for r in checked.context["result"].valid_rows()} == {"skip"}
    confirm(secretary_client, checked)
    after = list(Company.objects.order_by("name").values_list("name", "industry", "industry_text"))
    assert after == before


# Shown ----------------------------------------------------------------------------------


def test_the_company_page_shows_the_word_and_its_section(client, member):
    company = CompanyFactory(industry=Industry.LOGISTICS, industry_text="冷链物流")
    plain = CompanyFactory(industry=Industry.FINANCE)
    client.force_login(member)

    page = client.get(company.get_absolute_url()).content.decode()
    plain_page = client.get(plain.get_absolute_url()).content.decode()

    assert "<span>冷链物流</span>" in page
    assert '<dd>冷链物流<span class="muted">（交通运输、仓储和邮政业）</span></dd>' in page
    assert "<span>金融业</span>" in plain_page


def test_the_directory_shows_the_word_else_the_section(client, member):
    company = CompanyFactory(industry=Industry.LOGISTICS, industry_text="冷<链>物流")
    plain = CompanyFactory(industry=Industry.FINANCE)

    html = str(company_cards([company, plain]))

    assert f'<span title="{company.get_industry_display()}">冷&lt;链&gt;物流</span>' in html
    assert f"<span>{plain.get_industry_display()}</span>" in html
    client.force_login(member)
    assert "冷&lt;链&gt;物流" in client.get(reverse("members:company_list")).content.decode()


# Rows that are really wrong -------------------------------------------------------------


def test_only_the_rows_that_are_really_wrong_are_named(secretary_client):
    """A secretary's sheet, careful rows among wrong ones: each wrong row is named, by its
    row, and no careful row is."""
    before = counts()
    good = {
        2: row("上海虹泾投资发展有限公司", VALID_CODE, 行业="投资", 会员类别="会长单位"),
        3: row("上海甲物流有限公司", credit_code(1), 行业="物流", 入会日期="2019/05/01"),
        4: row(
            "上海乙汽配有限公司",
            credit_code(2),
            行业="汽配 行业",
            入会日期=datetime.date(2019, 5, 1),
            联系人="张三",
            手机=13812345678.0,
        ),
        6: row("上海丙火星有限公司", credit_code(3), 行业="火星贸易开发"),
        8: row("上海丁纺织有限公司", "", 行业="纺织业", 入会日期="2019年5月1日"),
        10: row(
            "上海戊餐饮有限公司", credit_code(4), 行业="餐饮", 手机="139 0000 1111", 联系人="李梅"
        ),
        12: row("上海己有限公司", credit_code(5), 会员类别="副会长单位", 状态="在册"),
        15: row("上海庚有限公司", credit_code(6), 行业="ＩＴ", 会员类别=TIER_LABELS["member"]),
        17: row("上海辛有限公司", credit_code(7), 行业="信息技术"),
    }
    bad = {
        5: row("上海校验位错误有限公司", VALID_CODE[:-1] + "4"),
        7: row("上海重复代码有限公司", credit_code(1)),  # the code of row 3
        9: row("上海月份错误有限公司", credit_code(8), 入会日期="2024-13-01"),
        11: row("上海手机十位有限公司", credit_code(9), 联系人="王五", 手机="1381234567"),
        13: row("上海类别错误有限公司", credit_code(10), 会员类别="钻石会员"),
        14: row("上" * 300, credit_code(11)),
        16: row("", credit_code(12), 行业="物流"),
    }
    rows = {**good, **bad}

    checked = upload(secretary_client, workbook(*(rows[n] for n in sorted(rows))))

    problems = checked.context["problems"]
    assert {problem.row for problem in problems} == set(bad)
    assert [(p.row, p.column) for p in problems] == [
        (5, "统一社会信用代码"),
        (7, "统一社会信用代码"),
        (9, "入会日期"),
        (11, "手机"),
        (13, "会员类别"),
        (14, "企业名称"),
        (16, "企业名称"),
    ]
    assert [(note.row, note.column) for note in checked.context["notes"]] == [(6, "行业")]
    page = checked.content.decode()
    assert "有问题的行：7 行" in page
    assert "第 7 行：统一社会信用代码：与本文件第 3 行的统一社会信用代码重复。" in page
    assert counts() == before
