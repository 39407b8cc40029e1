"""Every persona's pages on a phone and a desktop: the role-first navigation, accessibility
(axe-core, bundled by axe-playwright-python, so it runs offline), no English word on a Chinese
page, and the tasks that should take few taps."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from activities.models import Problem, Registration
from core.notifications import notify
from notices.models import Notice
from tests.activities.events.factories import EventFactory
from tests.activities.visits.factories import AssignmentFactory, ProblemFactory, VisitFactory
from tests.charity.factories import CampaignFactory, DonationFactory, PairingFactory
from tests.dues.factories import BillFactory, PaymentFactory
from tests.factories import CompanyFactory
from tests.notices.factories import NoticeFactory

from .test_journeys import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Words a Chinese page may show in Latin letters: brands, file formats, the language button.
ALLOWED_WORDS = {
    "mb",
    "kb",
    "jpeg",
    "jpg",
    "png",
    "webp",
    "ics",
    "pdf",
    "excel",
    "wechat",
    "iphone",
    "android",
    "en",
    "english",
    "word",
}


@pytest.fixture
def chamber_day(term, leader, member, president, secretary):
    """A working day's records: the leader follows the member's company, which has a solved
    problem waiting for its confirmation, an event ahead, a notice with a link, a donation."""
    company = member.person.company
    AssignmentFactory(term=term, leader=leader.person, company=company)
    visit = VisitFactory(
        company=company,
        leader=leader.person,
        visited_on=timezone.localdate() - datetime.timedelta(days=3),
    )
    ProblemFactory(visit=visit, description="园区道路施工，货车进出困难。")
    solved = ProblemFactory(visit=visit, description="扩产需要流动资金约500万元。")
    Problem.objects.filter(pk=solved.pk).update(
        status=Problem.Status.SOLVED,
        resolution="已对接镇内合作银行，企业获得授信。",
        resolved_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    event = EventFactory(title="惠企政策宣讲会", capacity=40)
    notice = NoticeFactory(
        title="关于参加惠企政策宣讲会的通知",
        body='<p>各会员企业：</p><p>详见<a href="https://www.example.com/">镇政府网站</a>。</p>',
    )
    DonationFactory(company=company, amount=Decimal("122300.00"))
    bill = BillFactory(company=company)
    PaymentFactory(bill=bill)
    BillFactory(company=CompanyFactory(name="上海泾西建筑装饰工程有限公司"))
    for user in (member, secretary):
        notify([user], "notice_unread", {"notice": notice, "url": "/notices/"})
    return {"event": event, "company": company}


PAGES = {
    "member": [
        "/",
        "/me/",
        "/calendar/",
        "event",
        "/problems/raise/",
        "/notices/",
        "notice",
        "/charity/",
        "/meetings/",
        "/leadership/",
        "/inbox/",
        "/me/company/",
    ],
    "leader": ["/", "/visits/", "/visits/new/", "/problems/", "/calendar/", "/notices/", "/me/"],
    "president": [
        "/",
        "/dashboard/",
        "/visits/compliance/",
        "/problems/",
        "/visits/",
        "/companies/",
        "/calendar/",
        "/dues/",
        "/dues/arrears/",
    ],
    "secretary": [
        "/",
        "/problems/",
        "/visits/compliance/",
        "/calendar/",
        "/dashboard/",
        "/notices/",
        "/dues/",
        "/dues/arrears/",
        "/development/",
        "/inbox/",
    ],
    # Who applies to join has no account yet.
    "anonymous": ["/join/"],
}


def paths_of(persona, chamber_day):
    notice = Notice.objects.get(title="关于参加惠企政策宣讲会的通知")
    named = {"event": chamber_day["event"].get_absolute_url(), "notice": notice.get_absolute_url()}
    return [named.get(path, path) for path in PAGES[persona]]


def serious_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): "
        + "; ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


ENGLISH_WORDS = """() => {
  const skipped = document.querySelectorAll('[lang^="en"], script, style, template');
  skipped.forEach(el => el.setAttribute('data-was-hidden', el.style.display || '-'));
  skipped.forEach(el => { el.style.display = 'none'; });
  const text = document.body.innerText;
  skipped.forEach(el => {
    const was = el.getAttribute('data-was-hidden');
    el.style.display = was === '-' ? '' : was;
    el.removeAttribute('data-was-hidden');
  });
  return text;
}"""


def english_words(page) -> set[str]:
    text = page.evaluate(ENGLISH_WORDS)
    # Addresses and codes (e-mail, web addresses, credit codes) are data, not words.
    text = re.sub(r"\S+@\S+|https?://\S+|webcal://\S+|\b[\w-]*\d[\w-]*\b", " ", text)
    return {word for word in re.findall(r"[A-Za-z]{2,}", text) if word.lower() not in ALLOWED_WORDS}


# Tap targets (WCAG 2.5.8 and the bar): every link, button, field and summary at least
# 24 px each way, the main buttons 44 px high. Links inside running text are exempt; a checkbox
# counts with its label.
TAP_TARGETS = """() => {
  const RUNNING_TEXT = 'p, .notice-body, .prose, .rich-text, .help, .muted, small, td.text, label';
  const TARGETS = 'a[href], button, input:not([type=hidden]), select, textarea, summary';
  const shown = el => {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return box.width > 1 && box.height > 1 && style.visibility !== 'hidden'
      && !el.closest('[hidden], details:not([open]) > :not(summary)');
  };
  const inText = el => el.tagName === 'A' && el.closest(RUNNING_TEXT)
    && getComputedStyle(el).display === 'inline';
  const small = [];
  let total = 0;
  for (const el of document.querySelectorAll(TARGETS)) {
    if (!shown(el) || inText(el)) continue;
    total++;
    let {width, height} = el.getBoundingClientRect();
    const label = ['checkbox', 'radio'].includes(el.type)
      && (el.closest('label') || (el.id && document.querySelector(`label[for="${el.id}"]`)));
    if (label) {
      width = Math.max(width, label.getBoundingClientRect().width);
      height = Math.max(height, label.getBoundingClientRect().height);
    }
    const main = el.matches('.button')
      || (el.closest('main') && el.matches('button[type=submit], input[type=submit]'));
    if (main ? height < 43.5 : height < 23.5 || width < 23.5) {
      const text = (el.innerText || el.value || el.name || '').trim().slice(0, 20);
      const name = el.tagName.toLowerCase() + (el.className ? '.' + el.className : '');
      small.push(`${name} "${text}" ${Math.round(width)}x${Math.round(height)}`);
    }
  }
  return {total, small};
}"""


def small_targets(page) -> tuple[int, list[str]]:
    result = page.evaluate(TAP_TARGETS)
    return result["total"], result["small"]


@pytest.mark.parametrize("persona", list(PAGES))
def test_every_personas_pages_have_no_serious_accessibility_violation_no_english_no_small_target(
    chromium, live_server, persona, chamber_day, request
):
    problems = []
    targets = 0
    for width in (375, 1280):
        context = chromium.new_context(
            locale="zh-CN", viewport={"width": width, "height": 812}, is_mobile=width < 500
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        if persona != "anonymous":
            log_in(page, live_server, persona)
        for path in paths_of(persona, chamber_day):
            response = page.goto(f"{live_server.url}{path}")
            assert response.status == 200, path
            for violation in serious_violations(page):
                problems.append(f"{width}px {path}: {violation}")
            if width == 375:
                words = english_words(page)
                if words:
                    problems.append(f"{path}: English words {sorted(words)}")
                assert page.evaluate("document.documentElement.scrollWidth") <= 375, path
                total, small = small_targets(page)
                targets += total
                problems += [f"{path}: small tap target {target}" for target in small]
        context.close()
    print(f"{persona}: {targets} tap targets at 375 px, {len(problems)} problems")
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize(
    "persona, tabs",
    [
        ("leader", ["首页", "我的走访", "诉求台账", "活动日历", "更多"]),
        ("member", ["首页", "活动日历", "提出诉求", "我的页面", "更多"]),
        ("president", ["首页", "走访达标", "诉求台账", "活动日历", "更多"]),
        ("secretary", ["首页", "走访达标", "诉求台账", "活动日历", "更多"]),
    ],
)
def test_the_phone_tab_bar_puts_each_roles_daily_work_first(
    phone, page, live_server, persona, tabs, chamber_day
):
    log_in(phone, live_server, persona)
    bar = phone.locator("nav.tab-bar")
    assert bar.is_visible()
    assert [t.strip() for t in bar.locator(".tab").all_inner_texts()] == tabs
    # The tab bar stays in view at the bottom of the screen, every tab a thumb's size.
    for box in [tab.bounding_box() for tab in bar.locator(".tab").all()]:
        assert box["height"] >= 44 and box["y"] + box["height"] <= 812
    # Pages under 更多 are one tap away, and 更多 names the page when it is one of them.
    phone.locator("nav.tab-bar summary").click()
    assert phone.locator(".tab-more-list").get_by_role("link", name="季度分享会").is_visible()
    phone.locator(".tab-more-list").get_by_role("link", name="季度分享会").click()
    phone.wait_for_load_state()
    assert bar.locator("summary").inner_text().strip() == "季度分享会"

    # A desktop keeps the top bar, in the same order.
    log_in(page, live_server, persona)
    assert not page.locator("nav.tab-bar").is_visible()
    top = [t.strip() for t in page.locator(".nav-list a").all_inner_texts()]
    assert top[: len(tabs) - 1] == tabs[:-1]


def test_each_roles_home_leads_with_its_duty(phone, live_server, chamber_day):
    log_in(phone, live_server, "leader")
    headings = phone.locator("main h2").all_inner_texts()
    assert headings[0].startswith("2") and "我的走访" in headings[0]
    assert phone.locator("main a.button", has_text="登记走访").first.is_visible()
    assert not headings[0].startswith("通知公告")

    phone.context.clear_cookies()
    log_in(phone, live_server, "member")
    headings = phone.locator("main h2").all_inner_texts()
    assert headings[0] == "本企业向商会反映的诉求"
    notices = next(i for i, heading in enumerate(headings) if heading.startswith("通知公告"))
    assert headings.index("近期活动") < notices
    assert "有 1 条已解决的诉求等待您确认" in phone.locator("main").inner_text()


# The wide tables that stay tables on a phone: months side by side, in a frame that opens at
# this month with the totals kept in view (the compliance board, the dashboard's months).
MONTH_TABLES = ("board", "month-table")

OVERFLOWING_TABLES = """() => [...document.querySelectorAll('main table')]
  .filter(table => !table.closest('[hidden], details:not([open])'))
  .filter(table => table.scrollWidth > table.parentElement.clientWidth + 1
                   || table.getBoundingClientRect().right > window.innerWidth)
  .map(table => table.className)"""


def test_tables_a_phone_user_meets_become_cards_where_columns_do_not_fit(
    phone, live_server, chamber_day
):
    names = "上海泾东电子科技有限公司、上海诸光餐饮管理有限公司、上海恒泾融资租赁有限公司"
    PairingFactory(companies=[CompanyFactory(name=name) for name in names.split("、")])
    for n in range(3):
        CampaignFactory(name=f"重阳节慰问老年人{n}", kind="visit")
    CampaignFactory(name="“缘聚徐练 商续慈善”募捐活动")
    pages = {
        "member": ["/me/", "/charity/", "/charity/campaigns/", "/charity/pairings/"],
        "president": ["/events/participation/", "/visits/compliance/", "/dashboard/"],
    }
    overflowing = []
    for persona, paths in pages.items():
        phone.context.clear_cookies()
        log_in(phone, live_server, persona)
        for path in paths:
            phone.goto(f"{live_server.url}{path}")
            phone.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
            tables = phone.evaluate(OVERFLOWING_TABLES)
            overflowing += [
                f"{path}: {name}" for name in tables if not set(name.split()) & set(MONTH_TABLES)
            ]
            assert phone.evaluate("document.documentElement.scrollWidth") <= 375, path
    assert overflowing == []
    # A card names each figure: the pairing's companies are labelled, not a bare column.
    phone.goto(f"{live_server.url}/charity/pairings/")
    companies = phone.locator("td", has_text="上海诸光餐饮管理有限公司")
    assert companies.get_attribute("data-label") == "结对企业"
    assert companies.bounding_box()["width"] > 250


def test_after_a_slip_the_visit_form_shows_the_first_error(phone, live_server, chamber_day):
    log_in(phone, live_server, "leader")
    phone.goto(f"{live_server.url}/visits/new/")
    phone.select_option("select[name=company]", str(chamber_day["company"].pk))
    phone.fill("textarea[name=summary]", "与总经理座谈。")
    phone.fill("textarea[name=problems-0-description]", "道路施工影响货车进出。")
    phone.get_by_role("button", name="提交走访记录").click()
    phone.wait_for_load_state()
    focused = phone.evaluate("document.activeElement.name")
    assert focused == "problems-0-category"
    box = phone.locator("select[name=problems-0-category]").bounding_box()
    assert 0 <= box["y"] <= 812 - box["height"]


def test_the_calendar_box_offers_kinds_in_chinese_and_help_for_every_phone(
    phone, live_server, member, chamber_day
):
    log_in(phone, live_server, "member")
    phone.goto(f"{live_server.url}/me/")
    phone.get_by_role("button", name="获取我的订阅地址").click()
    phone.wait_for_load_state()
    box = phone.locator("#calendar-feed")
    text = box.inner_text()
    assert "types=" not in text and "http" not in text
    box.get_by_label("政策宣讲").check()
    box.get_by_label("法律咨询").check()
    webcal = box.get_by_role("link", name="在日历应用中打开").get_attribute("href")
    assert webcal.startswith("webcal://") and webcal.endswith("?types=policy,legal")
    box.locator(".feed-help summary").click()
    help_text = box.locator(".feed-help").inner_text()
    assert "苹果手机" in help_text and "安卓手机" in help_text and "在浏览器打开" in help_text


def test_a_member_signs_up_and_raises_a_problem_in_few_taps(
    phone, live_server, member, chamber_day
):
    """Taps from the home page: sign up 2 (the event, 报名), raise a problem 2 fields + 2 taps."""
    log_in(phone, live_server, "member")
    phone.get_by_role("link", name="惠企政策宣讲会", exact=True).click()
    phone.wait_for_load_state()
    phone.locator("main form button[type=submit]", has_text="报名").first.click()
    phone.wait_for_load_state()
    assert Registration.objects.filter(person=member.person, event=chamber_day["event"]).exists()

    phone.locator("nav.tab-bar").get_by_role("link", name="提出诉求").click()
    phone.wait_for_load_state()
    phone.select_option("select[name=raise-category]", "premises")
    phone.fill("textarea[name=raise-description]", "厂房屋顶漏水，希望协调维修。")
    phone.locator("main form button[type=submit]").last.click()
    phone.wait_for_load_state()
    assert Problem.objects.filter(description="厂房屋顶漏水，希望协调维修。").exists()
