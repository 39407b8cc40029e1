"""The secretary imports the member list as she keeps it, in real Chromium: the check page says
which sheet and header row it read and how it understood her headers, lets her read another
sheet, and shows that it is working while a check runs. Screenshots at 1280 and 375 px go to
SHOTS (outside the repository) when it is set, for people to look at."""

import os
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import expect

from members.models import Company
from tests.browser.test_journeys import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = os.environ.get("READER_SHOTS", "")
HEADERS = "企业名 |统一代码|行　业|会员类别|入会时间|状态|地址|联系人|职务|联系电话|邮箱".split("|")


def row(name, mobile=13812345678, since="2019.5.1"):
    return [name, "", "制造业", "会员单位", since, "在册", "徐泾镇", "王小明", "总经理", mobile, ""]


def secretary_workbook(path: Path) -> Path:
    book = openpyxl.Workbook()
    book.active.title = "说明"
    book.active.append(["本名册由秘书处整理，2026年1月更新"])
    sheet = book.create_sheet("2026年名册")
    sheet.append(["徐泾镇商会会员企业名册（2026年）"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    sheet.append(HEADERS)
    sheet.append(row("上好佳(中国)浏览器有限公司"))
    sheet.append([])
    sheet.append(row("上海诸光浏览器物流有限公司", mobile="1.38E+10", since="2019年5月"))
    old = book.create_sheet("2025年名册")
    old.append(HEADERS)
    old.append(row("上海去年浏览器企业有限公司"))
    book.save(path)
    return path


def shoot(page, name):
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"reader-{name}.png"), full_page=True)


@pytest.mark.parametrize("viewport", ["page", "phone"])
def test_the_check_page_says_what_it_read_and_reads_another_sheet(
    request, viewport, live_server, secretary, tmp_path
):
    page = request.getfixturevalue(viewport)
    width = "1280" if viewport == "page" else "375"
    path = secretary_workbook(tmp_path / "名册.xlsx")
    log_in(page, live_server, "secretary")
    page.goto(f"{live_server.url}/admin/members/company/import/")
    page.set_input_files("input[type=file]", str(path))

    # A submit that goes nowhere: the page shows that it is working and holds the button.
    page.evaluate(
        "document.querySelector('form[enctype]')"
        ".addEventListener('submit', (event) => event.preventDefault())"
    )
    page.locator("input[type=submit].default").first.click()
    expect(page.locator("#import-progress")).to_be_visible()
    expect(page.locator("#import-progress")).to_contain_text("正在检查文件")
    expect(page.locator("input[type=submit].default").first).to_be_disabled()
    shoot(page, f"progress-{width}")

    page.reload()
    page.set_input_files("input[type=file]", str(path))
    page.locator("input[type=submit].default").first.click()
    page.wait_for_load_state()

    reading = page.locator("#import-reading")
    expect(reading).to_contain_text("已读取工作表“2026年名册”，第 2 行为列名。")
    expect(reading).to_contain_text("“联系电话”识别为“手机”")
    expect(page.locator(".import-problems")).to_contain_text("第 5 行：手机：“1.38E+10”")
    shoot(page, f"check-problems-{width}")

    page.select_option("#import-sheet", "2025年名册")
    page.locator(".import-sheet-choice input[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("#import-reading")).to_contain_text("已读取工作表“2025年名册”")
    shoot(page, f"check-other-sheet-{width}")

    page.locator("input[name=confirm]").click()
    page.wait_for_load_state()
    assert list(Company.objects.values_list("name", flat=True)) == ["上海去年浏览器企业有限公司"]
