"""Dues in and out of Excel (xlsx): payments imported from the bank's statement, all or
nothing (core.spreadsheets, as for donations), and the bills exported.

A statement row is money a company transferred: the date, who paid, the amount, the bank's
transaction number (交易流水号) and, when the company wrote it in the transfer's note, the
bill number. A row without a bill number pays the company's oldest bill still open.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from core.amounts import AmountWidget
from core.money import yuan
from core.spreadsheets import (
    DateWidget,
    SpreadsheetResource,
    TextWidget,
    cell_value,
    column,
    name_key,
)
from members.models import Company

from .models import HALF_FEN, Bill, Payment
from .services import next_numbers, receipt_prefix

COLUMNS = ("交易日期", "付款单位", "金额（元）", "账单编号", "交易流水号")


class BankStatementResource(SpreadsheetResource):
    """A dues payment by bank transfer, one statement row each."""

    columns = COLUMNS
    sheet_title = "会费收款"
    synonyms = {
        "日期": "交易日期",
        "交易时间": "交易日期",
        "记账日期": "交易日期",
        "对方户名": "付款单位",
        "对方名称": "付款单位",
        "付款人": "付款单位",
        "付款人名称": "付款单位",
        "金额": "金额（元）",
        "贷方金额": "金额（元）",
        "收入金额": "金额（元）",
        "交易金额": "金额（元）",
        "流水号": "交易流水号",
        "交易流水": "交易流水号",
        "凭证号": "交易流水号",
        "账单号": "账单编号",
    }
    unchecked_fields = ("bill", "number", "recorded_by")
    # The bill, its balance and the reference are checked against what was read once for
    # the file (import_related, find_duplicates); the receipt number is the import's own.
    validate_in_database = False
    text_columns = ("账单编号", "交易流水号")
    template_example = {
        "交易日期": datetime.date(2026, 5, 20),
        "付款单位": "上海示例科技有限公司",
        "金额（元）": 3000,
        "账单编号": "HF2026-00001",
        "交易流水号": "2026052000001",
    }

    paid_on = column("paid_on", "交易日期", DateWidget())
    company = column("bill__company", "付款单位")
    amount = column("amount", "金额（元）", AmountWidget())
    bill = column("bill", "账单编号")
    reference = column("reference", "交易流水号", TextWidget(empty=""))

    RESOLVED = ("bill", "bill__company")

    class Meta:
        model = Payment
        import_id_fields = ("reference",)

    # The whole file ---------------------------------------------------------------------

    def find_duplicates(self, dataset):
        return self.repeats(
            dataset,
            lambda row: str(cell_value(row["交易流水号"])),
            "reference",
            _("Row %(row)s of this file has the same transaction number."),
        )

    def before_import(self, dataset, **kwargs):
        """Read once for the file: the bank payments it names, the companies, their bills
        and what is paid on them (the file's own rows aside)."""
        references = {str(cell_value(value)) for value in dataset["交易流水号"]} - {""}
        self.payments_by_reference = {
            payment.reference: payment
            for payment in Payment.objects.filter(
                method=Payment.Method.BANK, reference__in=references
            )
        }
        self.companies = {
            name_key(company.name): company for company in Company.objects.only("pk", "name")
        }
        names = {name_key(str(cell_value(value))) for value in dataset["付款单位"]}
        named = [self.companies[name].pk for name in names if name in self.companies]
        numbers = {str(cell_value(value)) for value in dataset["账单编号"]} - {""}
        bills = Bill.objects.filter(company__in=named) | Bill.objects.filter(number__in=numbers)
        self.bills = {bill.number: bill for bill in bills.select_related("company")}
        paid = (
            Payment.objects.filter(bill__in=[bill.pk for bill in self.bills.values()])
            .exclude(method=Payment.Method.BANK, reference__in=references)
            .values("bill")
            .annotate(total=Sum("amount"))
        )
        paid = {row["bill"]: yuan(row["total"]) for row in paid}
        self.left = {
            bill.pk: yuan(bill.amount) - paid.get(bill.pk, yuan(0)) for bill in self.bills.values()
        }
        self.receipt_numbers = {}

    def get_instance(self, instance_loader, row):
        reference = self.fields["reference"].clean(row)
        return self.payments_by_reference.get(reference) if reference else None

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        if field.attribute in self.RESOLVED:
            return  # found together in import_related()
        super().import_field(field, instance, row, is_m2m, **kwargs)

    # One row ----------------------------------------------------------------------------

    def import_related(self, payment, row):
        """The bill (by its number, else the company's oldest open one), and whether the
        amount fits what is left to pay on it after the file's earlier rows."""
        errors = {}
        name = self.fields["company"].clean(row) or ""
        number = self.fields["bill"].clean(row) or ""
        company = self.companies.get(name_key(name)) if name else None
        if name and company is None:
            errors["bill__company"] = _("No member company is called “%(name)s”.") % {"name": name}
        bill = None
        if number:
            bill = self.bills.get(number)
            if bill is None:
                errors["bill"] = _("No bill has the number %(number)s.") % {"number": number}
            elif company is not None and bill.company_id != company.pk:
                errors["bill"] = _("Bill %(number)s is “%(company)s”’s, not “%(name)s”’s.") % {
                    "number": number,
                    "company": bill.company.name,
                    "name": name,
                }
        elif company is not None:
            open_bills = sorted(
                (
                    b
                    for b in self.bills.values()
                    if b.company_id == company.pk and self.left[b.pk] >= HALF_FEN
                ),
                key=lambda b: (b.year, b.pk),
            )
            if not open_bills:
                errors["bill"] = _("“%(name)s” has no bill left to pay.") % {"name": name}
            else:
                bill = open_bills[0]
        elif not name:
            errors["bill__company"] = _("Name the company that paid, or the bill number.")
        amount = payment.amount
        if bill is not None and amount is not None and not errors:
            # What the file's payments already on record paid is not counted in self.left:
            # the file's rows say it anew.
            left = self.left[bill.pk]
            if amount > left:
                errors["amount"] = _(
                    "Bill %(number)s has %(left)s yuan left to pay; this row pays more."
                ) % {"number": bill.number, "left": f"{max(left, yuan(0)):,.2f}"}
            else:
                self.left[bill.pk] = left - amount
                payment.bill = bill
        if errors:
            raise ValidationError(errors)
        payment.method = Payment.Method.BANK
        if not payment.number and payment.paid_on is not None:
            payment.number = self.next_receipt(payment.paid_on.year)
        if payment.recorded_by_id is None and self.history_user is not None:
            payment.recorded_by_id = self.history_user.pk

    def next_receipt(self, year: int) -> str:
        numbers = self.receipt_numbers.get(year)
        if numbers is None:
            numbers = self.receipt_numbers[year] = iter_numbers(year)
        return next(numbers)

    # Export -----------------------------------------------------------------------------

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("bill__company")

    def dehydrate_company(self, payment):
        return payment.bill.company.name

    def dehydrate_bill(self, payment):
        return payment.bill.number


def iter_numbers(year: int):
    """Receipt numbers of ``year`` after the last one recorded, read once."""
    first = next_numbers(Payment, receipt_prefix(year), 1, width=5)[0]
    n = int(first[len(receipt_prefix(year)) :])
    while True:
        yield f"{receipt_prefix(year)}{n:05d}"
        n += 1


class BillResource(SpreadsheetResource):
    """A bill with what is paid on it (export only)."""

    columns = (
        "账单编号",
        "企业",
        "年度",
        "会员类别",
        "应缴金额（元）",
        "已缴金额（元）",
        "未缴金额（元）",
        "缴费期限",
        "状态",
    )
    sheet_title = "会费账单"

    number = column("number", "账单编号")
    company = column("company__name", "企业")
    year = column("year", "年度")
    tier = column("company__tier", "会员类别")
    amount = column("amount", "应缴金额（元）", AmountWidget())
    paid = column("paid", "已缴金额（元）", AmountWidget())
    outstanding = column("outstanding", "未缴金额（元）", AmountWidget())
    due_on = column("due_on", "缴费期限", DateWidget())
    status = column("status", "状态")

    class Meta:
        model = Bill

    def filter_export(self, queryset, **kwargs):
        queryset = queryset.select_related("company")
        return queryset if "paid" in queryset.query.annotations else queryset.with_paid()

    def dehydrate_tier(self, bill):
        return bill.company.get_tier_display()

    def dehydrate_outstanding(self, bill):
        return bill.outstanding_amount

    def dehydrate_status(self, bill):
        return bill.get_status_display()
