"""Each persona's main tasks, done in Chromium the way a person does them (from the home page,
375 px unless the task is the back office's), counting taps and the fields filled. The counts
are printed (``-s``) and bounded: a change that adds a step fails here.

    log a visit with a problem, sign up for an event, add the calendar, raise a problem,
    publish a notice, print the 四好 report, import a sheet.
"""

import openpyxl
import pytest

from activities.models import Problem, Registration, Visit
from members.models import Company
from notices.models import Notice

from .test_journeys import HEADERS, log_in
from .test_phone import chamber_day  # noqa: F401 (the fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


class Task:
    """Counts what a person does: taps (clicks) and fields filled or chosen."""

    def __init__(self, page, name):
        self.page = page
        self.name = name
        self.taps = 0
        self.fields = 0

    def tap(self, locator):
        locator.click()
        self.page.wait_for_load_state()
        self.taps += 1

    def fill(self, locator, value):
        locator.fill(value)
        self.fields += 1

    def choose(self, locator, value):
        locator.select_option(value)
        self.fields += 1

    def attach(self, locator, path):
        locator.set_input_files(str(path))
        self.fields += 1

    def done(self, *, taps, fields):
        print(f"\n{self.name}: {self.taps} taps, {self.fields} fields")
        assert self.taps <= taps, f"{self.name}: {self.taps} taps"
        assert self.fields <= fields, f"{self.name}: {self.fields} fields"


def test_a_leader_logs_a_visit_with_a_problem(phone, live_server, leader, chamber_day):  # noqa: F811
    log_in(phone, live_server, "leader")
    task = Task(phone, "log a visit with a problem")
    task.tap(phone.locator("main a.button", has_text="登记走访").first)
    task.choose(phone.locator("select[name=company]"), str(chamber_day["company"].pk))
    task.fill(phone.locator("textarea[name=summary]"), "与总经理座谈，了解扩产计划。")
    task.choose(phone.locator("select[name=problems-0-category]"), "financing")
    task.fill(phone.locator("textarea[name=problems-0-description]"), "扩产需要贷款约300万元。")
    task.tap(phone.get_by_role("button", name="提交走访记录"))
    visit = Visit.objects.get(summary="与总经理座谈，了解扩产计划。")
    assert visit.problems.get().description == "扩产需要贷款约300万元。"
    task.done(taps=2, fields=4)


def test_a_member_signs_up_for_an_event(phone, live_server, member, chamber_day):  # noqa: F811
    log_in(phone, live_server, "member")
    task = Task(phone, "sign up for an event")
    task.tap(phone.get_by_role("link", name="惠企政策宣讲会", exact=True))
    task.tap(phone.locator("main form button[type=submit]", has_text="报名").first)
    assert Registration.objects.filter(person=member.person, event=chamber_day["event"]).exists()
    task.done(taps=2, fields=0)


def test_a_member_adds_the_calendar(phone, live_server, member, chamber_day):  # noqa: F811
    log_in(phone, live_server, "member")
    task = Task(phone, "add the calendar")
    task.tap(phone.locator("nav.tab-bar").get_by_role("link", name="我的页面"))
    task.tap(phone.get_by_role("button", name="获取我的订阅地址"))
    link = phone.locator("#calendar-feed").get_by_role("link", name="在日历应用中打开")
    # The last tap hands the webcal:// address to the phone's calendar app, which the test
    # browser does not have: count it, check where it leads.
    assert link.get_attribute("href").startswith("webcal://")
    task.taps += 1
    task.done(taps=3, fields=0)


def test_a_member_raises_a_problem(phone, live_server, member, chamber_day):  # noqa: F811
    log_in(phone, live_server, "member")
    task = Task(phone, "raise a problem")
    task.tap(phone.locator("nav.tab-bar").get_by_role("link", name="提出诉求"))
    task.choose(phone.locator("select[name=raise-category]"), "premises")
    task.fill(phone.locator("textarea[name=raise-description]"), "厂房屋顶漏水，希望协调维修。")
    task.tap(phone.locator("main form button[type=submit]").last)
    assert Problem.objects.filter(description="厂房屋顶漏水，希望协调维修。").exists()
    task.done(taps=2, fields=2)


def test_the_secretary_publishes_a_notice(page, live_server, secretary, member):
    log_in(page, live_server, "secretary")
    task = Task(page, "publish a notice")
    task.tap(page.locator("a[href$='/admin/']:visible").first)
    task.tap(page.locator("a[href$='/admin/notices/notice/add/']").first)
    task.fill(page.locator("input[name=title]"), "关于缴纳2027年度会费的通知")
    editor = page.locator(".ProseMirror:visible")
    editor.click()
    page.keyboard.type("各会员企业：请于6月30日前缴纳会费。")
    task.fields += 1
    task.choose(page.locator("select[name=audience]"), "members")
    task.tap(page.locator("input[name=_publish]"))
    assert "全体会员（" in page.locator(".notice-publish-question").inner_text()
    task.tap(page.locator("input[type=submit].default"))
    assert Notice.objects.get(title="关于缴纳2027年度会费的通知").state() == "published"
    task.done(taps=4, fields=3)


def test_the_president_prints_the_four_goods_report(phone, live_server, president):
    log_in(phone, live_server, "president")
    task = Task(phone, "print the 四好 report")
    task.tap(phone.locator("main a", has_text="商会自评").first)
    phone.evaluate("window.print = () => { window.printed = true; }")
    task.tap(phone.get_by_role("button", name="打印"))
    assert phone.evaluate("window.printed === true")
    task.done(taps=2, fields=0)


def test_the_secretary_imports_a_sheet(page, live_server, secretary, tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    sheet.append(
        [
            "上海徐泾点按测试科技有限公司",
            "91310118MA1JL0QX23",
            "制造业",
            "会员单位",
            "2024年5月1日",
            "在册",
            "徐泾镇诸光路1号",
            "王小明",
            "总经理",
            "13812345679",
            "wangxm@example.com",
        ]
    )
    path = tmp_path / "companies.xlsx"
    workbook.save(path)

    log_in(page, live_server, "secretary")
    task = Task(page, "import a sheet")
    task.tap(page.locator("a[href$='/admin/']:visible").first)
    task.tap(page.locator("a[href$='/admin/members/company/']").first)
    task.tap(page.locator("a[href$='/admin/members/company/import/']").first)
    task.attach(page.locator("input[type=file]"), path)
    task.tap(page.locator("input[type=submit].default, button[type=submit].default").first)
    task.tap(page.locator("input[name=confirm], button[name=confirm]").first)
    assert Company.objects.filter(name="上海徐泾点按测试科技有限公司").exists()
    task.done(taps=5, fields=1)
