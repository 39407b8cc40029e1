"""The visit rule through real Chromium: a leader logs a visit on a phone with a problem heard;
the secretary marks it solved; the company confirms it."""

import pytest

from activities.models import Problem, Visit
from tests.activities.visits.factories import AssignmentFactory

from .test_journeys import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def member_phone(chromium):
    context = chromium.new_context(
        locale="zh-CN",
        viewport={"width": 375, "height": 812},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_a_visit_with_a_problem_goes_from_the_leaders_phone_to_the_companys_confirmation(
    phone, page, member_phone, live_server, leader, secretary, member, term, screenshot
):
    company = member.person.company
    AssignmentFactory(term=term, leader=leader.person, company=company)

    # The leader, on the road, opens 我的走访: nothing yet this month.
    log_in(phone, live_server, "leader")
    phone.goto(f"{live_server.url}/visits/")
    assert phone.locator(".quota-count strong").inner_text() == "0"
    assert "本月还需走访 2 家" in phone.locator(".quota-text").inner_text()
    phone.get_by_role("link", name="登记走访", exact=True).first.click()
    phone.wait_for_load_state()

    phone.select_option("select[name=company]", str(company.pk))
    phone.fill("textarea[name=summary]", "与总经理座谈，企业计划扩大产能。")
    phone.select_option("select[name=problems-0-category]", "financing")
    phone.fill("textarea[name=problems-0-description]", "扩产需要流动资金约500万元。")
    # Only one problem row shows until another is asked for.
    assert not phone.locator("select[name=problems-1-category]").is_visible()
    screenshot(phone, "leader-logs-a-visit-phone")
    phone.get_by_role("button", name="提交走访记录").click()
    phone.wait_for_load_state()

    assert phone.url == f"{live_server.url}/visits/"
    assert phone.locator(".quota-count strong").inner_text() == "1"
    assert "本月已走访 1 家" in phone.locator(".messages").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(phone, "leader-visits-after-logging-phone")
    problem = Problem.objects.get()
    assert (problem.visit, problem.owner) == (Visit.objects.get(), leader.person)

    # The secretary marks the problem solved.
    log_in(page, live_server, "secretary")
    page.goto(f"{live_server.url}{problem.get_absolute_url()}")
    page.locator("#action-solve summary").click()
    page.fill("textarea[name=solve-resolution]", "已对接镇内合作银行，企业获得授信。")
    page.locator("#action-solve button[type=submit]").click()
    page.wait_for_load_state()
    assert "诉求状态已改为“已解决”" in page.locator(".messages").inner_text()
    problem.refresh_from_db()
    assert problem.status == Problem.Status.SOLVED

    # The company's contact confirms it on their page.
    log_in(member_phone, live_server, "member")
    member_phone.goto(f"{live_server.url}/me/")
    assert "已对接镇内合作银行" in member_phone.locator("#problems").inner_text()
    member_phone.get_by_label("满意", exact=True).check()
    member_phone.get_by_role("button", name="确认销号").click()
    member_phone.wait_for_load_state()
    assert "已确认销号" in member_phone.locator(".messages").inner_text()
    assert "已确认：满意" in member_phone.locator("#problems").inner_text()
    assert member_phone.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(member_phone, "member-confirms-phone")
    problem.refresh_from_db()
    assert problem.satisfaction == Problem.Satisfaction.SATISFIED
