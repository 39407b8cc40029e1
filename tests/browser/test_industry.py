"""The secretary's 行业 in everyday words, through real Chromium: the check page lists a word
it cannot place as a note (and wrong rows as problems above the notes), the import keeps the
word, and the company page shows it; at desktop and phone widths."""

import openpyxl
import pytest

from members.models import Company, Industry
from members.resources import COLUMNS
from tests.browser.test_journeys import log_in
from tests.factories import credit_code

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def row(name, code, industry, tier="会员单位"):
    return [name, code, industry, tier, "2019/05/01", "在册", "徐泾镇诸光路1号", "", "", "", ""]


def save_workbook(path, *rows):
    book = openpyxl.Workbook()
    book.active.append(list(COLUMNS))
    for values in rows:
        book.active.append(values)
    book.save(path)
    return str(path)


def check(page, live_server, path):
    page.goto(f"{live_server.url}/admin/members/company/import/")
    page.set_input_files("input[type=file]", path)
    page.locator("input[type=submit].default").first.click()
    page.wait_for_load_state()


@pytest.mark.parametrize("device", ["page", "phone"])
def test_the_secretary_imports_everyday_industries_and_sees_the_notes(
    device, request, live_server, secretary, tmp_path, screenshot
):
    page = request.getfixturevalue(device)
    width = "1280" if device == "page" else "375"
    log_in(page, live_server, "secretary")
    good = [
        row("上海徐泾物流有限公司", credit_code(1), "物流"),
        row("上海徐泾汽配有限公司", credit_code(2), "汽配行业"),
        row("上海徐泾火星有限公司", credit_code(3), "火星贸易开发"),
    ]
    wrong = row("上海徐泾类别错误有限公司", credit_code(4), "餐饮", tier="付会长单位")

    check(page, live_server, save_workbook(tmp_path / "wrong.xlsx", *good, wrong))
    problems, notes = page.locator("#import-problems"), page.locator("#import-notes")
    assert "第 5 行：会员类别：" in problems.inner_text()
    assert "您是不是要写“副会长单位”？" in problems.inner_text()
    assert "第 4 行：行业：“火星贸易开发”对应不到行业门类" in notes.inner_text()
    assert problems.bounding_box()["y"] < notes.bounding_box()["y"]
    screenshot(page, f"industry-check-problems-{width}")

    check(page, live_server, save_workbook(tmp_path / "good.xlsx", *good))
    assert "第 4 行：行业：" in page.locator("#import-notes").inner_text()
    assert page.locator("#import-problems").count() == 0
    screenshot(page, f"industry-check-notes-{width}")
    # The preview's many columns scroll inside their table, not the page.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.locator("input[name=confirm]").click()
    page.wait_for_load_state()

    company = Company.objects.get(credit_code=credit_code(3))
    assert (company.industry, company.industry_text) == (Industry.OTHER, "火星贸易开发")
    auto_parts = Company.objects.get(credit_code=credit_code(2))
    page.goto(f"{live_server.url}{auto_parts.get_absolute_url()}")
    assert "汽配行业" in page.locator(".company-meta").inner_text()
    assert "汽配行业（制造业）" in page.locator(".facts").inner_text()
    screenshot(page, f"industry-company-{width}")
