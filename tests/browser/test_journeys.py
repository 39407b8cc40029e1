"""Journeys through real Chromium: what the secretary and a member do on day one."""

import openpyxl
import pytest

from chamber.models import Position
from members.models import Company, Person
from tests.factories import PASSWORD, CompanyFactory, PersonFactory, PositionFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

HEADERS = [
    "企业名称",
    "统一社会信用代码",
    "行业",
    "会员类别",
    "入会日期",
    "状态",
    "地址",
    "联系人",
    "职务",
    "手机",
    "邮箱",
]


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit], form input[type=submit]").first.click()
    page.wait_for_load_state()


def test_secretary_imports_companies_through_the_admin(
    page, live_server, secretary, tmp_path, screenshot
):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    sheet.append(
        [
            "上海徐泾浏览器测试科技有限公司",
            "91350100M000100Y43",
            "制造业",
            "会员单位",
            "2024年5月1日",
            "在册",
            "徐泾镇诸光路1号",
            "王小明",
            "总经理",
            "13812345678",
            "wang@example.com",
        ]
    )
    path = tmp_path / "companies.xlsx"
    workbook.save(path)

    log_in(page, live_server, "secretary")
    page.goto(f"{live_server.url}/admin/members/company/import/")
    page.set_input_files("input[type=file]", str(path))
    page.locator("input[type=submit].default, button[type=submit].default").first.click()
    page.wait_for_load_state()
    screenshot(page, "admin-import-check")
    assert not Company.objects.filter(name="上海徐泾浏览器测试科技有限公司").exists()

    page.locator("input[name=confirm], button[name=confirm]").first.click()
    page.wait_for_load_state()
    screenshot(page, "admin-import-done")

    company = Company.objects.get(credit_code="91350100M000100Y43")
    assert company.name == "上海徐泾浏览器测试科技有限公司"
    contact = Person.objects.get(company=company, is_main_contact=True)
    assert contact.mobile == "13812345678"
    assert company.history.first().history_user == secretary
    assert "上海徐泾浏览器测试科技有限公司" in page.content()


def test_member_logs_in_and_sees_the_leadership(phone, live_server, member, term, screenshot):
    president = PersonFactory(
        name="连会长", company=CompanyFactory(name="上海虹泾投资发展有限公司")
    )
    PositionFactory(person=president, term=term, title=Position.Title.PRESIDENT)
    vice = PersonFactory(name="副会长乙")
    PositionFactory(person=vice, term=term, title=Position.Title.VICE_PRESIDENT)

    log_in(phone, live_server, "member")
    assert phone.url.rstrip("/") == live_server.url
    phone.goto(f"{live_server.url}/leadership/")
    screenshot(phone, "member-leadership-phone")
    body = phone.locator("body").inner_text()
    assert "连会长" in body and "副会长乙" in body
    assert body.index("连会长") < body.index("副会长乙")
    # Nothing spills sideways on a 375 px phone.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
