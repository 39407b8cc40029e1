"""The secretariat's back office for dues: standards (and the action that bills a year),
reductions and exemptions, bills (reminders), payments (the bank statement's import, the
receipts) and the reminders sent. Supervisors read everything and change nothing."""

from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin, ImportExportMixin
from import_export.formats.base_formats import XLSX
from import_export.forms import ExportForm
from import_export.results import RowResult

from core.admin import HistoryAdmin, RuleAdminMixin, RuleInlineMixin
from core.admin_lists import CountedListMixin
from core.imports import AllOrNothingImportMixin
from core.limits import LimitedXLSX
from core.money import format_yuan

from . import services
from .models import HALF_FEN, Bill, DuesAdjustment, DuesStandard, Payment, Reminder
from .resources import BankStatementResource, BillResource


@admin.action(description=_("Generate the bills of the selected standards' years"))
def generate_bills(modeladmin, request, queryset):
    for year in sorted(set(queryset.values_list("year", flat=True))):
        outcome = services.generate_bills(year=year, acting_user=request.user)
        modeladmin.message_user(
            request,
            gettext("%(year)s: %(created)s bills generated; %(already)s companies already had one.")
            % {"year": year, "created": len(outcome.created), "already": outcome.already},
            messages.SUCCESS,
        )
        if outcome.without_standard:
            modeladmin.message_user(
                request,
                gettext("%(year)s: no standard for the tier of %(names)s; they were not billed.")
                % {
                    "year": year,
                    "names": "、".join(company.name for company in outcome.without_standard[:20]),
                },
                messages.WARNING,
            )


@admin.register(DuesStandard)
class DuesStandardAdmin(RuleAdminMixin, HistoryAdmin):
    list_display = ["year", "tier", "display_amount", "joiner_rule", "due_on", "document"]
    list_filter = ["year", "tier"]
    list_select_related = ["document"]
    search_fields = ["year"]
    actions = [generate_bills]
    fields = ["year", "tier", "amount", "joiner_rule", "due_on", "document"]

    @admin.display(description=_("amount (yuan)"), ordering="amount")
    def display_amount(self, standard):
        return format_yuan(standard.amount)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(DuesAdjustment)
class DuesAdjustmentAdmin(RuleAdminMixin, HistoryAdmin):
    list_display = ["year", "company", "kind", "reduction", "approved_by", "approved_on"]
    list_filter = ["year", "kind"]
    list_select_related = ["company"]
    search_fields = ["company__name", "company__name_initials", "reason", "approved_by"]
    autocomplete_fields = ["company"]
    fields = ["company", "year", "kind", "reduction", "reason", "approved_by", "approved_on"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        bill = services.apply_adjustment(obj)
        if bill is not None:
            self.message_user(
                request,
                gettext("Bill %(number)s now asks %(amount)s yuan.")
                % {"number": bill.number, "amount": format_yuan(bill.amount)},
                messages.INFO,
            )


class BillStatusFilter(admin.SimpleListFilter):
    title = _("payment")
    parameter_name = "paid"

    def lookups(self, request, model_admin):
        return [("open", _("Not paid in full")), ("overdue", _("Overdue")), ("paid", _("Paid"))]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "open":
            return queryset.filter(outstanding__gte=HALF_FEN)
        if value == "overdue":
            return queryset.filter(outstanding__gte=HALF_FEN, due_on__lt=timezone.localdate())
        if value == "paid":
            return queryset.filter(outstanding__lt=HALF_FEN)
        return queryset


class PaymentInline(RuleInlineMixin, admin.TabularInline):
    """The bill's payments, to read: a payment is recorded on its own page, which numbers
    its receipt and checks it against what is left to pay."""

    model = Payment
    extra = 0
    fields = ["number", "paid_on", "amount", "method", "reference", "receipt"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("receipt"))
    def receipt(self, payment):
        return receipt_link(payment)


def receipt_link(payment):
    if not payment.pk:
        return ""
    return format_html(
        '<a href="{}">{}</a>', reverse("dues:receipt", args=[payment.pk]), gettext("Print")
    )


@admin.action(description=_("Remind the selected companies of their overdue bills"))
def remind(modeladmin, request, queryset):
    outcomes = services.remind_bills(
        queryset.select_related(None), acting_user=request.user, request=request
    )
    Outcome = services.ReminderOutcome
    texts = [
        (Outcome.SENT, messages.SUCCESS, gettext("Reminded: %(bills)s.")),
        (
            Outcome.ALREADY,
            messages.INFO,
            gettext("Already reminded this month, not sent again: %(bills)s."),
        ),
        (Outcome.SETTLED, messages.INFO, gettext("Paid or not yet due: %(bills)s.")),
        (Outcome.NO_ADDRESS, messages.WARNING, gettext("No email address: %(bills)s.")),
    ]
    for outcome, level, text in texts:
        bills = outcomes.get(outcome)
        if bills:
            numbers = "、".join(bill.number for bill in bills[:30])
            modeladmin.message_user(request, text % {"bills": numbers}, level)


class XlsxExport(ExportMixin):
    """Export to xlsx, every column (so that an exported file imports back)."""

    export_formats = [XLSX]
    export_form_class = ExportForm

    def get_export_context_data(self, **kwargs):
        # The export form posts back to its own address (with the list's filters).
        return {"export_url": ""}

    def get_export_filename(self, request, queryset, file_format):
        name = self.model._meta.model_name
        return f"{name}-{timezone.localdate():%Y-%m-%d}.{file_format.get_extension()}"


class BillForm(forms.ModelForm):
    class Meta:
        model = Bill
        fields = [
            "number",
            "company",
            "year",
            "standard",
            "standard_amount",
            "adjustment",
            "amount",
            "due_on",
            "notes",
        ]

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if self.instance.pk and amount is not None:
            paid = services.paid_on_bill(self.instance)
            if amount < paid:
                raise forms.ValidationError(
                    gettext("%(paid)s yuan is already paid on this bill; it cannot ask less.")
                    % {"paid": format_yuan(paid)}
                )
        return amount


@admin.register(Bill)
class BillAdmin(RuleAdminMixin, CountedListMixin, XlsxExport, HistoryAdmin):
    form = BillForm
    list_display = [
        "number",
        "company",
        "year",
        "display_amount",
        "display_paid",
        "display_status",
        "due_on",
    ]
    list_filter = ["year", BillStatusFilter, "company__tier"]
    list_select_related = ["company"]
    search_fields = ["number", "company__name", "company__name_initials"]
    autocomplete_fields = ["company"]
    list_per_page = 100
    show_full_result_count = False
    actions = [remind]
    inlines = [PaymentInline]
    resource_classes = [BillResource]
    fields = [
        "number",
        "company",
        "year",
        "standard",
        "standard_amount",
        "adjustment",
        "amount",
        "due_on",
        "notes",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_paid()

    @admin.display(description=_("amount due (yuan)"), ordering="amount")
    def display_amount(self, bill):
        return format_yuan(bill.amount)

    @admin.display(description=_("paid (yuan)"))
    def display_paid(self, bill):
        return format_yuan(bill.paid)

    @admin.display(description=_("status"))
    def display_status(self, bill):
        return bill.get_status_display()

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


class PaymentForm(forms.ModelForm):
    class Meta:
        model = Payment
        fields = ["bill", "paid_on", "amount", "method", "reference"]

    def clean(self):
        cleaned = super().clean()
        bill, amount = cleaned.get("bill"), cleaned.get("amount")
        if bill is not None and amount is not None:
            try:
                services.check_payment(bill, amount, excluding=self.instance)
            except forms.ValidationError as error:
                self.add_error(None, error)
        return cleaned


@admin.register(Payment)
class PaymentAdmin(
    RuleAdminMixin, XlsxExport, AllOrNothingImportMixin, ImportExportMixin, HistoryAdmin
):
    form = PaymentForm
    list_display = [
        "number",
        "paid_on",
        "bill",
        "company",
        "display_amount",
        "method",
        "reference",
        "receipt",
    ]
    list_filter = ["bill__year", "method"]
    list_select_related = ["bill__company"]
    search_fields = ["number", "reference", "bill__number", "bill__company__name"]
    autocomplete_fields = ["bill"]
    list_per_page = 100
    show_full_result_count = False
    readonly_fields = ["number", "recorded_by", "receipt"]
    fields = [
        "bill",
        "paid_on",
        "amount",
        "method",
        "reference",
        "number",
        "recorded_by",
        "receipt",
    ]

    resource_classes = [BankStatementResource]
    import_formats = [LimitedXLSX]
    export_formats = [XLSX]
    import_template_name = "admin/dues/payment/import.html"
    import_rows_problem = _(
        "Rows with problems: %(count)s. Correct the file and upload it again; until then no "
        "payment is recorded or changed."
    )
    import_file_problem = _(
        "The file has a problem. Correct it and upload it again; until then no payment is "
        "recorded or changed."
    )

    @admin.display(description=_("company"), ordering="bill__company__name_pinyin")
    def company(self, payment):
        return payment.bill.company.name

    @admin.display(description=_("amount (yuan)"), ordering="amount")
    def display_amount(self, payment):
        return format_yuan(payment.amount)

    @admin.display(description=_("receipt"))
    def receipt(self, payment):
        return receipt_link(payment)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
            obj.number = services.next_numbers(
                Payment, services.receipt_prefix(obj.paid_on.year), 1, width=5
            )[0]
        super().save_model(request, obj, form, change)

    def add_success_message(self, result, request):
        totals = result.totals
        messages.success(
            request,
            gettext(
                "Import finished: %(new)s payments recorded, %(updated)s updated, "
                "%(skipped)s unchanged."
            )
            % {
                "new": totals[RowResult.IMPORT_TYPE_NEW],
                "updated": totals[RowResult.IMPORT_TYPE_UPDATE],
                "skipped": totals[RowResult.IMPORT_TYPE_SKIP],
            },
        )


@admin.register(Reminder)
class ReminderAdmin(RuleAdminMixin, admin.ModelAdmin):
    """The reminders sent: read only, they are the record that stops a second one."""

    list_display = ["period", "bill", "display_outstanding", "sent_to", "sent_at", "sent_by"]
    list_filter = ["period"]
    search_fields = ["bill__number", "bill__company__name"]
    list_select_related = ["bill__company", "sent_by"]
    protected_fields = {"sent_to": "members.see_contacts"}

    @admin.display(description=_("outstanding when reminded (yuan)"))
    def display_outstanding(self, reminder):
        return format_yuan(reminder.outstanding)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
