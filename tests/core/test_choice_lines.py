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
