"""Dues pages: the totals and the arrears for those who oversee them (xlsx too), a
payment's receipt (收据), and the member company's own bills on /me/."""

from io import BytesIO

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, TemplateView, View

from core.counts import count_of, counted
from core.exports import safe_cell
from core.money import yuan
from core.rules import RuleRequiredMixin, allows, rule_required
from members.models import Company

from . import services, totals
from .models import Bill, DuesStandard, Payment

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ARREARS_PER_PAGE = 50
ME_BILLS_SHOWN = 6


def workbook_response(title: str, header: list, rows, widths, filename: str) -> HttpResponse:
    """An xlsx of one sheet: a bold header of Chinese column names, then the rows."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    # The file is in Chinese whatever the viewer's language: it is the chamber's record.
    with translation.override(settings.LANGUAGE_CODE):
        for row in rows:
            sheet.append([safe_cell(str(v) if isinstance(v, Promise) else v) for v in row])
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A2"
    buffer = BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class DuesOverseersMixin(RuleRequiredMixin):
    rule = "dues.see_all_dues"


@count_of(Bill, Payment, DuesStandard, Company)
def dues_totals() -> list:
    """Billed against collected by year and tier (``totals.by_year_and_tier``), kept in the
    shared cache until a bill, a payment, a standard or a company changes: two sums over
    every bill and payment."""
    return totals.by_year_and_tier()


class DuesOverviewView(DuesOverseersMixin, TemplateView):
    """Billed against collected, by year and tier."""

    template_name = "dues/overview.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = counted(dues_totals, "dues:totals")
        years = totals.by_year(rows)
        context.update(
            years=[
                {"total": year, "tiers": [row for row in rows if row.year == year.year]}
                for year in years
            ],
            may_keep=allows("dues.keep_dues", self.request.roles),
        )
        return context


class DuesTotalsExportView(DuesOverseersMixin, View):
    def get(self, request):
        rows = totals.by_year_and_tier()
        return workbook_response(
            "会费收缴",
            ["年度", "会员类别", "账单数", "应收（元）", "已收（元）", "未收（元）", "收缴率（%）"],
            (
                [
                    row.year,
                    row.tier_label,
                    row.bills,
                    row.billed,
                    row.collected,
                    row.outstanding,
                    row.rate,
                ]
                for row in rows
            ),
            (8, 16, 10, 14, 14, 14, 12),
            f"dues-totals-{timezone.localdate():%Y-%m-%d}.xlsx",
        )


@count_of(Bill, Payment, Company)
def arrears_page(today, number: int):
    """How many companies are in arrears on ``today``, and one page of them (the last page
    for a number beyond it): ``(count, page number, companies)``."""
    paginator = Paginator(totals.arrears(today), ARREARS_PER_PAGE)
    page = paginator.get_page(number)
    return paginator.count, page.number, list(page.object_list)


class ArrearsView(DuesOverseersMixin, TemplateView):
    """Companies with overdue bills not paid in full, the longest overdue first."""

    template_name = "dues/arrears.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        try:
            number = int(self.request.GET.get("page") or 1)
        except ValueError:
            number = 1
        # The page is kept in the shared cache until a bill, a payment or a company changes
        # (core.counts), and for the day: finding the companies in arrears and counting them
        # reads every overdue bill with its payments.
        count, number, companies = counted(
            arrears_page, f"dues:arrears:{today}:{number}", today, number
        )
        paginator = Paginator(companies, ARREARS_PER_PAGE)
        paginator.count = count
        page = Page(companies, number, paginator)
        for company in page.object_list:
            company.age_days = totals.age_in_days(company.oldest_due, today)
        context.update(
            page_obj=page,
            companies=page.object_list,
            today=today,
            period=services.reminder_period(today),
            may_remind=allows("dues.keep_dues", self.request.roles),
        )
        return context


class ArrearsExportView(DuesOverseersMixin, View):
    def get(self, request):
        today = timezone.localdate()
        companies = totals.arrears(today)
        return workbook_response(
            "欠缴会费",
            [
                "企业",
                "会员类别",
                "会员状态",
                "欠缴账单数",
                "欠缴金额（元）",
                "最早到期日",
                "逾期天数",
            ],
            (
                [
                    company.name,
                    company.get_tier_display(),
                    company.get_status_display(),
                    company.open_bills,
                    company.owed,
                    company.oldest_due.isoformat(),
                    totals.age_in_days(company.oldest_due, today),
                ]
                for company in companies.iterator(chunk_size=2000)
            ),
            (40, 16, 10, 12, 16, 14, 10),
            f"dues-arrears-{today:%Y-%m-%d}.xlsx",
        )


@require_POST
@rule_required("dues.keep_dues")
def remind_company(request, pk):
    """Remind a company of its overdue bills (each at most once this month)."""
    company = get_object_or_404(Company, pk=pk)
    today = timezone.localdate()
    bills = Bill.objects.filter(company=company, due_on__lt=today).open()
    outcomes = services.remind_bills(bills, today=today, acting_user=request.user, request=request)
    Outcome = services.ReminderOutcome
    if outcomes.get(Outcome.SENT):
        messages.success(
            request, gettext("%(company)s has been reminded.") % {"company": company.name}
        )
    elif outcomes.get(Outcome.ALREADY):
        messages.info(
            request,
            gettext("%(company)s was already reminded this month; nothing was sent again.")
            % {"company": company.name},
        )
    elif outcomes.get(Outcome.NO_ADDRESS):
        messages.warning(
            request,
            gettext("%(company)s has no email address on record; nothing was sent.")
            % {"company": company.name},
        )
    else:
        messages.info(
            request,
            gettext("%(company)s owes nothing overdue.") % {"company": company.name},
        )
    return redirect("dues:arrears")


class ReceiptView(DetailView):
    """The printable receipt (收据) of a payment: for the company that paid and for those who
    oversee dues. Anyone else gets 404."""

    template_name = "dues/receipt.html"
    context_object_name = "payment"

    def get_queryset(self):
        roles = self.request.roles
        if not allows("dues.see_receipt", roles):
            return Payment.objects.none()
        payments = Payment.objects.select_related("bill__company", "recorded_by__person")
        if allows("dues.see_all_dues", roles):
            return payments
        return payments.filter(bill__company=roles.company)

    def get_object(self, queryset=None):
        payment = super().get_object(queryset)
        if not allows("dues.see_receipt", self.request.roles, payment):
            raise Http404
        return payment


def me_section_context(request):
    """The /me/ section: the member company's latest bills with their payments and receipts,
    or None when it has never been billed. Two queries."""
    roles = request.roles
    if not allows("dues.see_own_dues", roles):
        return None
    bills = list(
        Bill.objects.filter(company=roles.company)
        .with_paid()
        .prefetch_related(Prefetch("payments", queryset=Payment.objects.order_by("paid_on", "pk")))
        .order_by("-year")[:ME_BILLS_SHOWN]
    )
    if not bills:
        return None
    today = timezone.localdate()
    for bill in bills:
        bill.current_status = bill.status_for(bill.paid, today)
    owed = sum((bill.outstanding_amount for bill in bills), start=yuan(0))
    return {"bills": bills, "owed": owed, "company": roles.company}
