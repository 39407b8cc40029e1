"""Demo dues (会费): three years of standards and bills, paid by most companies, a few
invented companies in arrears and one invented company's exemption.

Companies the article names are only ever shown paid in full: arrears and the exemption are
given to companies the demo invented (the leadership's). Amounts and dates are invented too.
Idempotent: standards are found by tier and year, bills are generated only where missing, and
payments are found by their reference.
"""

import datetime
from decimal import Decimal

from chamber.models import Document
from dues.models import Bill, DuesAdjustment, DuesStandard, Payment
from dues.services import generate_bills, next_numbers, receipt_prefix
from members.models import Company

FEE_RULES = "上海市青浦区徐泾镇商会会费管理办法"
AMOUNTS = {
    Company.Tier.PRESIDENT: Decimal("50000"),
    Company.Tier.VICE_PRESIDENT: Decimal("20000"),
    Company.Tier.EXECUTIVE: Decimal("10000"),
    Company.Tier.MEMBER: Decimal("3000"),
}
# Invented companies (demo.data.companies.LEADERSHIP_COMPANIES), never one the article names.
EXEMPT = "上海泾衡税务师事务所有限公司"  # exempt last year
# Company: the years back (0 = this year) it left unpaid, and what it paid of the oldest.
ARREARS = {
    "上海泾和会计师事务所有限公司": ((1, 0), Decimal("0")),
    "上海泾源环保科技有限公司": ((0,), Decimal("0")),
    "上海泾润物业管理有限公司": ((1,), Decimal("4000")),
}
METHODS = [Payment.Method.BANK] * 4 + [
    Payment.Method.WECHAT,
    Payment.Method.BANK,
    Payment.Method.ALIPAY,
]


def seed_dues(seed):
    """Standards, one exemption, the bills and their payments for the last three years."""
    today = seed.today
    years = [today.year - 2, today.year - 1, today.year]
    document = Document.objects.filter(title=FEE_RULES).first()
    secretary = seed.users.get("secretary")
    for year in years:
        for tier, amount in AMOUNTS.items():
            seed.upsert(
                DuesStandard,
                {"tier": tier, "year": year},
                {
                    "amount": amount,
                    "joiner_rule": DuesStandard.JoinerRule.PRO_RATA,
                    "due_on": datetime.date(year, 6, 30),
                    "document": document,
                },
            )
    exempt = seed.companies.get(EXEMPT)
    if exempt is not None:
        seed.upsert(
            DuesAdjustment,
            {"company": exempt, "year": today.year - 1},
            {
                "kind": DuesAdjustment.Kind.EXEMPTION,
                "reduction": None,
                "reason": "企业厂房搬迁、停产半年，经会长办公会研究同意免缴当年会费。",
                "approved_by": "会长办公会",
                "approved_on": datetime.date(today.year - 1, 3, 18),
            },
        )
    for year in years:
        outcome = generate_bills(year=year, acting_user=secretary)
        seed.count(Bill, "created", len(outcome.created))
        seed.count(Bill, "unchanged", outcome.already)
    _payments(seed, years, secretary)


def _payments(seed, years, secretary):
    today = seed.today
    arrears = {
        seed.companies[name].pk: spec for name, spec in ARREARS.items() if name in seed.companies
    }
    known = set(
        Payment.objects.filter(reference__startswith="DEMO").values_list("reference", flat=True)
    )
    bills = Bill.objects.filter(year__in=years).select_related("company").order_by("year", "number")
    new = []
    for index, bill in enumerate(bills):
        if bill.amount == 0:
            continue
        unpaid, part = arrears.get(bill.company_id, ((), None))
        back = today.year - bill.year
        if back in unpaid:
            # The oldest unpaid year may have been paid in part; the rest not at all.
            paid = [part] if part and back == max(unpaid) else []
        else:
            paid = _instalments(bill, seed)
        joined = bill.company.member_since
        for number, amount in enumerate(paid, 1):
            day = bill.due_on - datetime.timedelta(
                days=(index * 7) % 80 + 30 * (len(paid) - number)
            )
            earliest = max(datetime.date(bill.year, 1, 6), joined or datetime.date.min)
            day = max(day, earliest)
            if day > today:
                continue  # not yet paid: this year's dues are not all due yet
            reference = f"DEMO{bill.number}-{number}"
            if reference in known:
                seed.count(Payment, "unchanged")
                continue
            new.append(
                Payment(
                    bill=bill,
                    paid_on=day,
                    amount=amount,
                    method=METHODS[index % len(METHODS)],
                    reference=reference,
                    recorded_by=secretary,
                )
            )
    by_year = {}
    for payment in sorted(new, key=lambda p: (p.paid_on, p.reference)):
        by_year.setdefault(payment.paid_on.year, []).append(payment)
    for year, payments in by_year.items():
        numbers = next_numbers(Payment, receipt_prefix(year), len(payments), width=5)
        for payment, number in zip(payments, numbers, strict=True):
            payment.number = number
            payment._history_user = secretary
            payment.save()
    seed.count(Payment, "created", len(new))


def _instalments(bill, seed) -> list[Decimal]:
    """Paid in full: in two parts by the member login's company (to show on its page) and
    every fifth company, else at once."""
    member = seed.users.get("member")
    member_company = member.person.company_id if member and member.person_id else None
    if bill.company_id == member_company or bill.pk % 5 == 0:
        first = (bill.amount / 2).quantize(Decimal("1"))
        return [first, bill.amount - first]
    return [bill.amount]
