"""The dues pages: totals and arrears for those who oversee dues, the member's own bills on
/me/, the receipts, exports with Chinese headers, and query counts that do not grow."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.counts import written
from dues.models import Bill, DuesStandard, Payment
from members.models import Company

from ..factories import CompanyFactory
from .factories import BillFactory, DuesAdjustmentFactory, PaymentFactory

pytestmark = pytest.mark.django_db


def read(response) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


@pytest.fixture
def member_bills(member):
    company = member.person.company
    year = timezone.localdate().year
    old = BillFactory(company=company, year=year - 1, number="HF-OLD", amount=Decimal("3000"))
    PaymentFactory(bill=old, amount=Decimal("3000"), number="SJ-OWN-1")
    new = BillFactory(company=company, year=year, number="HF-NEW", amount=Decimal("3000"))
    PaymentFactory(bill=new, amount=Decimal("1234.56"), number="SJ-OWN-2")
    other = BillFactory(number="HF-OTHER", amount=Decimal("5000"))
    foreign = PaymentFactory(bill=other, amount=Decimal("100"), number="SJ-OTHER")
    return {"old": old, "new": new, "other": other, "foreign": foreign}


def test_a_member_sees_their_own_bills_and_receipts_on_their_page(client, member, member_bills):
    client.force_login(member)
    html = client.get(reverse("members:me")).content.decode()
    assert "我们的会费" in html
    assert "HF-OLD" in html and "HF-NEW" in html
    assert "尚欠会费：¥1,765.44" in html
    assert reverse("dues:receipt", args=[member_bills["new"].payments.get().pk]) in html
    assert "HF-OTHER" not in html and "SJ-OTHER" not in html


def test_a_member_opens_their_own_receipt_and_not_another_companys(client, member, member_bills):
    client.force_login(member)
    own = member_bills["new"].payments.get()
    response = client.get(reverse("dues:receipt", args=[own.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "会费收据" in html and "SJ-OWN-2" in html
    assert "人民币壹仟贰佰叁拾肆元伍角陆分" in html.replace(" ", "")
    assert "¥1,234.56" in html and "盖章处" in html
    assert client.get(reverse("dues:receipt", args=[member_bills["foreign"].pk])).status_code == 404


@pytest.mark.parametrize(
    "persona, own, foreign",
    [
        ("secretary", None, 200),
        ("president", None, 200),
        ("supervisor", None, 200),
        ("leader", None, 404),
        ("member", 200, 404),
        ("outsider", None, 404),
    ],
)
def test_every_dues_page_answers_each_persona_as_the_rules_say(
    client, request, member_bills, persona, own, foreign
):
    """The permission walk over every dues URL: the overview, the arrears and their exports
    for those who oversee dues; reminders for the secretariat; a receipt for its company."""
    client.force_login(request.getfixturevalue(persona))
    overseer = persona in ("secretary", "president", "supervisor")
    for name in ("dues:overview", "dues:totals_export", "dues:arrears", "dues:arrears_export"):
        assert client.get(reverse(name)).status_code == (200 if overseer else 403), name
    remind = reverse("dues:remind", args=[member_bills["other"].company_id])
    assert client.post(remind).status_code == (302 if persona == "secretary" else 403)
    assert client.get(remind).status_code == 405
    receipt = reverse("dues:receipt", args=[member_bills["foreign"].pk])
    assert client.get(receipt).status_code == foreign
    if own:
        own_receipt = reverse("dues:receipt", args=[member_bills["new"].payments.get().pk])
        assert client.get(own_receipt).status_code == own


def test_anonymous_people_are_sent_to_log_in(client, member_bills):
    for url in (
        reverse("dues:overview"),
        reverse("dues:arrears"),
        reverse("dues:receipt", args=[member_bills["foreign"].pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_arrears_list_shows_each_company_with_its_age(client, supervisor):
    today = timezone.localdate()
    late = CompanyFactory(name="上海虚构丁物流有限公司")
    BillFactory(company=late, year=today.year - 2, due_on=today - datetime.timedelta(days=400))
    BillFactory(company=late, year=today.year - 1, due_on=today - datetime.timedelta(days=30))
    paid = BillFactory(due_on=today - datetime.timedelta(days=90), amount=Decimal("10"))
    PaymentFactory(bill=paid, amount=Decimal("10"))
    BillFactory(due_on=today + datetime.timedelta(days=5))  # not yet due
    client.force_login(supervisor)
    response = client.get(reverse("dues:arrears"))
    html = response.content.decode()
    assert list(response.context["companies"]) == [late]
    company = response.context["companies"][0]
    assert company.owed == Decimal("6000.00") and company.open_bills == 2
    assert "400 天" in html and "6,000.00" in html
    assert "发送提醒" not in html  # supervisors read only

    rows = read(client.get(reverse("dues:arrears_export")))
    assert rows[0] == [
        "企业",
        "会员类别",
        "会员状态",
        "欠缴账单数",
        "欠缴金额（元）",
        "最早到期日",
        "逾期天数",
    ]
    assert rows[1][0] == "上海虚构丁物流有限公司" and rows[1][6] == 400


def test_the_arrears_list_changes_the_moment_a_bill_or_a_payment_does(client, secretary):
    """The list is kept in the shared cache: a new overdue bill, a payment and a renamed
    company show at once, and a company paid up leaves it."""
    today = timezone.localdate()
    late = CompanyFactory(name="上海虚构戊贸易有限公司")
    bill = BillFactory(company=late, due_on=today - datetime.timedelta(days=40))
    client.force_login(secretary)
    assert list(client.get(reverse("dues:arrears")).context["companies"]) == [late]

    later = CompanyFactory(name="上海虚构己贸易有限公司")
    BillFactory(company=later, due_on=today - datetime.timedelta(days=400))
    assert list(client.get(reverse("dues:arrears")).context["companies"]) == [later, late]

    PaymentFactory(bill=bill, amount=Decimal("1000"))
    later.name = "上海虚构庚贸易有限公司"
    later.save()
    response = client.get(reverse("dues:arrears"))
    assert [c.name for c in response.context["companies"]] == ["上海虚构庚贸易有限公司", late.name]
    assert response.context["companies"][1].owed == bill.amount - Decimal("1000")

    PaymentFactory(bill=bill, amount=bill.amount - Decimal("1000"))
    assert list(client.get(reverse("dues:arrears")).context["companies"]) == [later]


def test_the_overview_adds_up_billed_and_collected_by_year_and_tier(client, secretary):
    year = timezone.localdate().year
    standard = DuesStandard.objects.create(
        tier="executive", year=year, amount=Decimal("10000"), due_on=datetime.date(year, 6, 30)
    )
    bill = BillFactory(year=year, standard=standard, amount=Decimal("10000"))
    PaymentFactory(bill=bill, amount=Decimal("2500.10"))
    exempt = BillFactory(year=year, amount=Decimal("0"), standard_amount=Decimal("3000"))
    exempt.adjustment = DuesAdjustmentFactory(company=exempt.company, year=year)
    exempt.save()
    client.force_login(secretary)
    html = client.get(reverse("dues:overview")).content.decode()
    assert "执委单位" in html and "10,000.00" in html and "2,500.10" in html and "25%" in html
    rows = read(client.get(reverse("dues:totals_export")))
    assert rows[0][:5] == ["年度", "会员类别", "账单数", "应收（元）", "已收（元）"]
    assert [year, "执委单位", 1, 10000, 2500.1] in [row[:5] for row in rows]


def test_the_overview_adds_up_a_new_bill_or_payment_at_once(client, secretary):
    """The totals are kept in the shared cache until a bill or a payment changes."""
    year = timezone.localdate().year
    bill = BillFactory(year=year, amount=Decimal("10000"))
    client.force_login(secretary)
    assert "10,000.00" in client.get(reverse("dues:overview")).content.decode()

    PaymentFactory(bill=bill, amount=Decimal("2500.10"))
    BillFactory(year=year, amount=Decimal("3000"))
    html = client.get(reverse("dues:overview")).content.decode()
    assert "13,000.00" in html and "2,500.10" in html


def make_bills(count: int, start: int = 0):
    """``count`` overdue bills of as many new companies (bulk_create), a third part paid."""
    year = timezone.localdate().year
    overdue = timezone.localdate() - datetime.timedelta(days=60)
    names = [f"上海虚构批量{n:05d}号有限公司" for n in range(start, start + count)]
    Company.objects.bulk_create(
        Company(name=name, name_pinyin=f"pl{n:05d}", tier="member")
        for n, name in enumerate(names, start)
    )
    companies = Company.objects.filter(name__in=names).order_by("name")
    bills = Bill.objects.bulk_create(
        Bill(
            number=f"HF{n:06d}",
            company=company,
            year=year,
            standard_amount=Decimal("3000"),
            amount=Decimal("3000"),
            due_on=overdue,
        )
        for n, company in enumerate(companies, start)
    )
    Payment.objects.bulk_create(
        Payment(bill=bill, number=f"SJ{n:06d}", paid_on=overdue, amount=Decimal("1000.01"))
        for n, bill in enumerate(bills, start)
        if n % 3 == 0
    )
    for model in (Company, Bill, Payment):
        written(model)  # bulk writes send no signals: cached pages and sections must hear of it


def queries_of(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200, url
    return len(captured)


def test_the_pages_cost_the_same_queries_with_10_or_10000_bills(client, secretary, member):
    company = member.person.company
    payment = PaymentFactory(bill=BillFactory(company=company, amount=Decimal("3000")))
    staff_pages = [
        reverse("dues:arrears"),
        reverse("dues:arrears") + "?page=2",
        reverse("dues:overview"),
        reverse("dues:receipt", args=[payment.pk]),
        reverse("admin:dues_bill_changelist"),
        reverse("admin:dues_payment_changelist"),
    ]

    def measure():
        client.force_login(secretary)
        counts = {url: queries_of(client, url) for url in staff_pages}
        client.force_login(member)
        queries_of(client, reverse("members:me"))  # renders the sections the bills changed
        counts["me"] = queries_of(client, reverse("members:me"))
        return counts

    make_bills(10)
    few = measure()
    make_bills(10_000 - 10, start=10)
    assert Bill.objects.count() == 10_001
    many = measure()
    assert many == few
    assert max(count for url, count in few.items() if url != "me") <= 15


def test_the_four_goods_report_and_the_dashboard_show_the_years_dues(client, president):
    year = timezone.localdate().year
    bill = BillFactory(year=year, amount=Decimal("4000"))
    PaymentFactory(bill=bill, amount=Decimal("3000"))
    client.force_login(president)
    html = client.get(reverse("reports:four_goods", args=[year])).content.decode()
    assert "按标准收缴会费，收支公开" in html and "75%" in html
    assert reverse("dues:arrears") in html
    html = client.get(reverse("reports:dashboard")).content.decode()
    assert f"{year}年会费" in html and "75%" in html
