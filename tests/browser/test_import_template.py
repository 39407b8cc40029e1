"""The secretary's first import, from the template: download it from the import page, fill it
in (here with openpyxl, as Excel would), upload it, confirm, and find the companies."""

import openpyxl
import pytest
from stdnum.cn import uscc

from members.models import Company

from .test_journeys import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def code(body: str) -> str:
    return body + uscc.calc_check_digit(body)


COMPANIES = [
    {
        "企业名称": "上海徐泾模板测试物流有限公司",
        "统一社会信用代码": code("91310118MA1K00001"),
        "行业": "交通运输、仓储和邮政业",
        "会员类别": "会员单位",
        "入会日期": "2024年5月1日",
        "状态": "在册",
        "地址": "徐泾镇诸光路1号",
        "联系人": "周明",
        "职务": "总经理",
        "手机": "13812345678",
        "邮箱": "zhou@example.com",
    },
    {
        "企业名称": "上海徐泾模板测试食品有限公司",
        "统一社会信用代码": code("91310118MA1K00002"),
        "行业": "制造业",
        "会员类别": "执委单位",
        "入会日期": "2019/05/01",
        "状态": "在册",
        "地址": "徐泾镇诸光路2号",
        "联系人": "吴芳",
        "职务": "董事长",
        "手机": "13900001111",
        "邮箱": "",
    },
]


def test_secretary_downloads_the_template_fills_it_and_imports_it(
    page, live_server, secretary, tmp_path, screenshot
):
    log_in(page, live_server, "secretary")
    page.goto(f"{live_server.url}/admin/members/company/import/")
    screenshot(page, "template-company-import-page")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载导入模板").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)

    book = openpyxl.load_workbook(path)
    sheet = book.active
    headers = [cell.value for cell in sheet[1]]
    assert headers[:2] == ["企业名称", "统一社会信用代码"]
    for number, company in enumerate(COMPANIES, 2):  # the first replaces the example row
        for index, header in enumerate(headers, 1):
            sheet.cell(number, index, company[header])
    book.save(path)

    page.set_input_files("input[type=file]", str(path))
    page.locator("input[type=submit].default, button[type=submit].default").first.click()
    page.wait_for_load_state()
    screenshot(page, "template-import-check")
    assert "上海徐泾模板测试物流有限公司" in page.content()
    assert not Company.objects.filter(name__startswith="上海徐泾模板测试").exists()

    page.locator("input[name=confirm], button[name=confirm]").first.click()
    page.wait_for_load_state()
    screenshot(page, "template-import-done")

    content = page.content()
    assert "上海徐泾模板测试物流有限公司" in content
    assert "上海徐泾模板测试食品有限公司" in content
    assert not Company.objects.filter(name="上海示例科技有限公司").exists()
    food = Company.objects.get(credit_code=COMPANIES[1]["统一社会信用代码"])
    assert (food.name, food.tier) == ("上海徐泾模板测试食品有限公司", Company.Tier.EXECUTIVE)
    assert food.people.get(is_main_contact=True).mobile == "13900001111"


@pytest.mark.parametrize("model", ["company", "person"])
def test_the_template_link_fits_a_phone(phone, live_server, secretary, screenshot, model):
    log_in(phone, live_server, "secretary")
    phone.goto(f"{live_server.url}/admin/members/{model}/import/")
    screenshot(phone, f"template-{model}-import-page-phone")

    link = phone.get_by_role("link", name="下载导入模板")
    box = link.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
