"""The allowed values of a choice, one per line on the import page: a few labels hold "、"
(农、林、牧、渔业), so a list joined by "、" would not say where one ends."""

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from core.spreadsheets import ChoiceLabelWidget, Problem

INDUSTRIES = {
    "agriculture": "农、林、牧、渔业",
    "utilities": "电力、热力、燃气及水生产和供应业",
    "manufacturing": "制造业",
}


def refusal(widget, text) -> str:
    with translation.override("zh-hans"), pytest.raises(ValueError) as refused:
        widget.clean(text)
    return str(refused.value)


def test_the_message_puts_each_allowed_value_on_its_own_line():
    message = refusal(ChoiceLabelWidget(INDUSTRIES), "餐饮")
    assert message.splitlines() == ["“餐饮”不是可选的值，请填写下列之一：", *INDUSTRIES.values()]


def test_a_suggestion_stays_on_the_first_line():
    message = refusal(ChoiceLabelWidget(INDUSTRIES), "制造")
    first, *choices = message.splitlines()
    assert "您是不是要写“制造业”？" in first
    assert choices == list(INDUSTRIES.values())


def test_the_import_page_lists_the_values_one_per_line():
    message = refusal(ChoiceLabelWidget(INDUSTRIES), "餐饮")
    with translation.override("zh-hans"):
        page = render_to_string(
            "admin/includes/_import_problems.html",
            {"problems": [Problem(3, "行业", message)], "import_problem_summary": ""},
        )
    assert "第 3 行：行业：“餐饮”不是可选的值，请填写下列之一：" in page
    assert (
        '<ul class="import-choices"><li>农、林、牧、渔业</li>'
        "<li>电力、热力、燃气及水生产和供应业</li><li>制造业</li></ul>"
    ) in page


@pytest.mark.django_db
def test_a_file_without_the_columns_lists_them_one_per_line(client, secretary):
    """The columns a file must name are the allowed values of its header row: one per line
    on the page, like a choice's."""
    import io

    import openpyxl
    from django.urls import reverse

    from members.resources import CompanyResource

    book = openpyxl.Workbook()
    book.active.append(["企业名称", "行业"])
    book.active.append(["上海示例贸易有限公司", "批发和零售业"])
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "会员.xlsx"
    client.force_login(secretary)
    page = client.post(
        reverse("admin:members_company_import"),
        {"import_file": out, "format": "0", "resource": "0"},
    ).content.decode()
    columns = list(CompanyResource.columns)
    assert "表头行应写明各列的列名，缺少以下列：统一社会信用代码、" in page
    assert (
        '<ul class="import-choices">' + "".join(f"<li>{column}</li>" for column in columns)
    ) in page


def test_a_note_with_lines_shows_them_as_a_list():
    from core.spreadsheets import Note

    with translation.override("zh-hans"):
        page = render_to_string(
            "admin/includes/_import_notes.html",
            {"notes": [Note(4, "行业", "请核对：\n农、林、牧、渔业\n制造业")], "problems": []},
        )
    assert "第 4 行：行业：请核对：" in page
    assert '<ul class="import-choices"><li>农、林、牧、渔业</li><li>制造业</li></ul>' in page
