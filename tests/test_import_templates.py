"""The import templates ("下载导入模板"): every import page links to its template, a workbook
that opens in openpyxl with the columns, an example row that imports, text-formatted codes
and mobiles, and drop-down lists for the columns that take one of a few values."""

import io
import re

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation
from import_export.formats.base_formats import XLSX
from openpyxl.utils import column_index_from_string

from activities.events.resources import (
    AUDIENCE_LABELS,
    KIND_LABELS,
    RECURRENCE_LABELS,
    EventResource,
)
from activities.models import Event
from activities.visits.resources import AssignmentResource
from charity.resources import FORM_LABELS, DonationResource
from charity.resources import STATUS_LABELS as DONATION_STATUS_LABELS
from core.spreadsheets import SpreadsheetResource, TextWidget, column
from core.templates_xlsx import LISTS_SHEET, display_width, template_bytes
from members.models import Company, Person
from members.people_resources import PersonResource
from members.resources import INDUSTRY_LABELS, STATUS_LABELS, TIER_LABELS, CompanyResource
from members.validators import validate_credit_code
from tests.charity.factories import CampaignFactory
from tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db

IMPORTS = {
    "members_company": CompanyResource,
    "members_person": PersonResource,
    "activities_assignment": AssignmentResource,
    "activities_event": EventResource,
    "charity_donation": DonationResource,
}
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(client, admin):
    response = client.get(reverse(f"admin:{admin}_import_template"))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_TYPE
    content = b"".join(response.streaming_content)
    return response, openpyxl.load_workbook(io.BytesIO(content)), content


def header_letters(sheet) -> dict[str, str]:
    return {cell.value: cell.column_letter for cell in sheet[1]}


def drop_downs(book, sheet) -> dict[str, tuple[list[str], bool]]:
    """Each column's drop-down list, by header, and whether it refuses other values."""
    headers = {cell.column_letter: cell.value for cell in sheet[1]}
    lists = {}
    for validation in sheet.data_validations.dataValidation:
        assert validation.type == "list"
        (target,) = str(validation.sqref).split()
        letter = re.match(r"([A-Z]+)2:\1\d+$", target).group(1)
        formula = validation.formula1
        if formula.startswith('"'):
            values = formula.strip('"').split(",")
        else:
            name, first, last = re.match(r"'?(.+?)'?!\$([A-Z]+)\$2:\$\2\$(\d+)$", formula).groups()
            where = book[name]
            index = column_index_from_string(first)
            values = [where.cell(row, index).value for row in range(2, int(last) + 1)]
        lists[headers[letter]] = (values, bool(validation.showErrorMessage))
    return lists


@pytest.fixture
def secretary_client(client, secretary):
    client.force_login(secretary)
    return client


@pytest.mark.parametrize("admin", IMPORTS)
def test_every_import_page_links_to_its_template(secretary_client, admin):
    with translation.override("zh-hans"):
        page = secretary_client.get(reverse(f"admin:{admin}_import")).content.decode()

    assert f'href="{reverse(f"admin:{admin}_import_template")}"' in page
    assert "下载导入模板" in page


@pytest.mark.parametrize("admin", IMPORTS)
def test_every_template_has_the_columns_in_order_and_one_example_row(secretary_client, admin):
    response, book, _content = download(secretary_client, admin)
    resource = IMPORTS[admin]

    sheet = book.worksheets[0]
    assert sheet.title == resource.sheet_title
    rows = [list(values) for values in sheet.iter_rows(values_only=True)]
    assert rows[0] == list(resource.columns)
    assert len(rows) == 2 and rows[1][0]
    assert "attachment" in response["Content-Disposition"]
    assert "xlsx" in response["Content-Disposition"]
    for name, letter in header_letters(sheet).items():
        # Wide enough to read the header.
        assert sheet.column_dimensions[letter].width >= display_width(name), name
    assert sheet.freeze_panes == "A2"


def test_the_company_template_formats_codes_and_mobiles_as_text_and_offers_the_lists(
    secretary_client,
):
    _response, book, _content = download(secretary_client, "members_company")
    sheet = book.active
    letters = header_letters(sheet)

    for name in ("统一社会信用代码", "手机"):
        assert sheet.column_dimensions[letters[name]].number_format == "@", name
        assert sheet[f"{letters[name]}2"].number_format == "@", name
        assert sheet[f"{letters[name]}2"].data_type == "s", name
    for name in ("企业名称", "行业", "入会日期"):
        assert sheet.column_dimensions[letters[name]].number_format != "@", name
    assert drop_downs(book, sheet) == {
        # A word as the secretary writes it is read too: the list suggests, it does not refuse.
        "行业": (list(INDUSTRY_LABELS.values()), False),
        "会员类别": (list(TIER_LABELS.values()), True),
        "状态": (list(STATUS_LABELS.values()), True),
    }
    example = dict(zip(CompanyResource.columns, [cell.value for cell in sheet[2]], strict=True))
    validate_credit_code(example["统一社会信用代码"])
    assert example["行业"] in INDUSTRY_LABELS.values()


def test_the_example_row_of_the_company_template_imports_as_is(secretary_client):
    _response, _book, content = download(secretary_client, "members_company")

    result = CompanyResource().import_data(XLSX().create_dataset(content))

    assert not result.has_errors() and not result.has_validation_errors()
    company = Company.objects.get(name="上海示例科技有限公司")
    assert company.credit_code == "91310118MA1K2X3P4L"
    assert company.people.get(is_main_contact=True).mobile == "13800138000"


def test_the_people_template_has_the_mobile_as_text_and_its_example_imports(secretary_client):
    _response, book, content = download(secretary_client, "members_person")
    sheet = book.active
    mobile = header_letters(sheet)["手机"]
    assert sheet.column_dimensions[mobile].number_format == "@"
    assert drop_downs(book, sheet) == {}
    company = CompanyFactory(name="上海示例科技有限公司")

    result = PersonResource().import_data(XLSX().create_dataset(content))

    assert not result.has_errors() and not result.has_validation_errors()
    person = Person.objects.get(company=company, name="王明")
    assert (person.mobile, person.political_title) == ("13800138000", "青浦区政协委员")


def test_the_event_template_offers_types_audiences_and_recurrence_and_its_example_imports(
    secretary_client,
):
    _response, book, content = download(secretary_client, "activities_event")

    assert drop_downs(book, book.active) == {
        "活动类型": (list(KIND_LABELS.values()), True),
        "面向": (list(AUDIENCE_LABELS.values()), True),
        "每年举办": (list(RECURRENCE_LABELS.values()), True),
    }
    result = EventResource().import_data(XLSX().create_dataset(content))
    assert not result.has_errors() and not result.has_validation_errors()
    assert Event.objects.get().kind == Event.Kind.SHARING


def test_the_donation_template_offers_form_status_and_the_campaigns(secretary_client):
    CampaignFactory(name="重阳敬老募捐")
    _response, book, _content = download(secretary_client, "charity_donation")
    sheet = book.active
    letters = header_letters(sheet)

    assert drop_downs(book, sheet) == {
        "募捐活动": (["重阳敬老募捐"], True),
        "形式": (list(FORM_LABELS.values()), True),
        "状态": (list(DONATION_STATUS_LABELS.values()), True),
    }
    for name in ("统一社会信用代码", "收据编号"):
        assert sheet.column_dimensions[letters[name]].number_format == "@", name


def test_the_liaison_template_lists_the_leaders_of_the_current_term(
    secretary_client, leader, other_leader, president
):
    _response, book, _content = download(secretary_client, "activities_assignment")

    assert drop_downs(book, book.active) == {"联系领导": (["会长甲", "副会长甲", "执委乙"], True)}


def test_the_supervisor_may_not_download_a_template(client, supervisor):
    client.force_login(supervisor)

    for admin in IMPORTS:
        assert client.get(reverse(f"admin:{admin}_import_template")).status_code == 403


class ManyNames(SpreadsheetResource):
    columns = ("姓名", "职务")
    sheet_title = "名单"
    name = column("name", "姓名", TextWidget())
    title = column("title", "职务", TextWidget())

    class Meta:
        model = Person

    def template_choices(self):
        return {"姓名": [f"姓名很长的人{n}" for n in range(60)], "职务": ["会长", "秘书长"]}


def test_a_list_too_long_for_excel_goes_on_a_hidden_sheet_after_the_one_to_fill():
    book = openpyxl.load_workbook(io.BytesIO(template_bytes(ManyNames())))

    assert [sheet.title for sheet in book.worksheets] == ["名单", LISTS_SHEET]
    assert book[LISTS_SHEET].sheet_state == "hidden"
    assert book.active.title == "名单"
    lists = drop_downs(book, book["名单"])
    assert lists["姓名"] == ([f"姓名很长的人{n}" for n in range(60)], True)
    assert lists["职务"] == (["会长", "秘书长"], True)
