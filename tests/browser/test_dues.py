"""A member finds their dues on /me/ and prints a receipt; the secretary reads the arrears.
Screenshots at 375 and 1280 px go to artifacts/screens/dues/."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from tests.dues.factories import BillFactory, DuesAdjustmentFactory, PaymentFactory
from tests.factories import PASSWORD, CompanyFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SCREENS = Path(__file__).resolve().parents[2] / "artifacts" / "screens" / "dues"


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit], form input[type=submit]").first.click()
    page.wait_for_load_state()


@pytest.fixture
def dues(member):
    today = timezone.localdate()
    company = member.person.company
    last = BillFactory(
        company=company,
        year=today.year - 1,
        number=f"HF{today.year - 1}-00012",
        amount=Decimal("3000"),
        due_on=datetime.date(today.year - 1, 6, 30),
    )
    PaymentFactory(
        bill=last,
        number=f"SJ{today.year - 1}-00031",
        amount=Decimal("3000"),
        paid_on=datetime.date(today.year - 1, 5, 12),
        reference="2025051200318",
    )
    this = BillFactory(
        company=company,
        year=today.year,
        number=f"HF{today.year}-00012",
        amount=Decimal("3000"),
        due_on=today - datetime.timedelta(days=20),
    )
    payment = PaymentFactory(
        bill=this,
        number=f"SJ{today.year}-00027",
        amount=Decimal("1234.56"),
        paid_on=today - datetime.timedelta(days=30),
        method="wechat",
        reference="",
    )
    for n, (name, days, amount) in enumerate(
        [
            ("上海虚构甲精密机械有限公司", 400, "10000"),
            ("上海虚构乙餐饮管理有限公司", 160, "3000"),
            ("上海虚构丙物流有限公司", 45, "3000"),
        ]
    ):
        other = CompanyFactory(name=name, tier="executive" if n == 0 else "member")
        BillFactory(
            company=other,
            number=f"HF-X{n}",
            amount=Decimal(amount),
            due_on=today - datetime.timedelta(days=days),
        )
    exempt = CompanyFactory(name="上海虚构丁税务师事务所有限公司")
    BillFactory(
        company=exempt,
        amount=Decimal("0"),
        adjustment=DuesAdjustmentFactory(company=exempt, year=today.year),
    )
    return payment


def shoot(page, name):
    SCREENS.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"]
    page.screenshot(path=str(SCREENS / f"{name}-{width}.png"), full_page=True)


@pytest.mark.parametrize("device", ["page", "phone"])
def test_member_sees_their_dues_and_prints_a_receipt(request, live_server, member, dues, device):
    page = request.getfixturevalue(device)
    log_in(page, live_server, "member")
    page.goto(f"{live_server.url}/me/")
    section = page.locator("section", has_text="我们的会费")
    text = section.inner_text()
    assert "尚欠会费：¥1,765.44" in text and "部分缴纳" in text and "已缴清" in text
    section.scroll_into_view_if_needed()
    shoot(page, "me-dues")
    section.screenshot(path=str(SCREENS / f"me-dues-section-{page.viewport_size['width']}.png"))

    section.get_by_role("link", name=f"收据 {dues.number}").click()
    page.wait_for_load_state()
    receipt = page.locator("article.receipt").inner_text()
    assert "会费收据" in receipt and "人民币壹仟贰佰叁拾肆元伍角陆分" in receipt
    assert "¥1,234.56" in receipt and dues.number in receipt
    assert page.locator("button[data-print]").is_visible()
    shoot(page, "receipt")
    page.emulate_media(media="print")
    assert not page.locator(".site-nav").is_visible()
    assert page.locator(".seal-box").is_visible()


@pytest.mark.parametrize("device", ["page", "phone"])
def test_secretary_reads_the_arrears(request, live_server, secretary, dues, device):
    page = request.getfixturevalue(device)
    log_in(page, live_server, "secretary")
    page.goto(f"{live_server.url}/dues/arrears/")
    rows = page.locator("table.arrears-table tbody tr")
    assert rows.count() == 4  # three invented companies and the member's
    assert "上海虚构甲精密机械有限公司" in rows.first.inner_text()
    assert "400 天" in rows.first.inner_text()
    shoot(page, "arrears")
    page.goto(f"{live_server.url}/dues/")
    shoot(page, "overview")
