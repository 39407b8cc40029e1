"""Membership dues (会费): the yearly standard per tier, reductions and exemptions, the bills of
a year, the payments against them and the reminders sent about what is still owed."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from chamber.models import Document
from core.models import Created, CreatedBy
from core.money import money_field, yuan
from members.models import Company

# SQLite sums decimals as binary floats: a difference under half a fen is no difference.
HALF_FEN = Decimal("0.005")


class DuesStandard(CreatedBy):
    """What a company of a tier pays for a year (会费标准), and how a company that joins in the
    year pays."""

    class JoinerRule(models.TextChoices):
        PRO_RATA = "pro_rata", _("By the months left, the joining month included")
        FULL = "full", _("The full year's amount")

    tier = models.CharField(_("membership tier"), max_length=20, choices=Company.Tier.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    amount = money_field(_("amount (yuan)"))
    joiner_rule = models.CharField(
        _("companies joining in the year pay"),
        max_length=20,
        choices=JoinerRule.choices,
        default=JoinerRule.PRO_RATA,
    )
    due_on = models.DateField(
        _("due date"),
        help_text=_(
            "When the year's dues are to be paid, e.g. 30 June. A company that joins later "
            "has 30 days from the day it joined."
        ),
    )
    document = models.ForeignKey(
        Document,
        verbose_name=_("rule it comes from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The rule (e.g. 会费管理办法) that sets this standard."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dues standard")
        verbose_name_plural = _("dues standards")
        ordering = ["-year", "-amount"]
        constraints = [
            models.UniqueConstraint(fields=["tier", "year"], name="dues_duesstandard_once_a_year"),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="dues_duesstandard_amount_not_negative",
                violation_error_message=_("The amount cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.year} · {self.get_tier_display()} · {yuan(self.amount):,.2f}"


class DuesAdjustment(CreatedBy):
    """A reduction or an exemption (减免) of a company's dues for a year, and who approved it."""

    class Kind(models.TextChoices):
        REDUCTION = "reduction", _("Reduction")
        EXEMPTION = "exemption", _("Exemption")

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    reduction = money_field(
        _("reduction (yuan)"),
        null=True,
        blank=True,
        help_text=_("For a reduction: how much less the company pays. Empty for an exemption."),
    )
    reason = models.TextField(_("reason"), max_length=1000)
    approved_by = models.CharField(
        _("approved by"), max_length=100, help_text=_("Who decided, e.g. 会长办公会.")
    )
    approved_on = models.DateField(_("approved on"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dues reduction or exemption")
        verbose_name_plural = _("dues reductions and exemptions")
        ordering = ["-year", "company__name_pinyin"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "year"],
                name="dues_duesadjustment_once_a_year",
                violation_error_message=_("This company already has a reduction for this year."),
            ),
            models.CheckConstraint(
                condition=Q(kind="exemption", reduction__isnull=True)
                | Q(kind="reduction", reduction__gt=0),
                name="dues_duesadjustment_reduction_or_exemption",
                violation_error_message=_("A reduction needs its amount; an exemption has none."),
            ),
        ]

    def __str__(self):
        return f"{self.year} · {self.company} · {self.get_kind_display()}"

    def applied_to(self, amount: Decimal) -> Decimal:
        """What is left to pay of ``amount`` after this adjustment."""
        if self.kind == self.Kind.EXEMPTION:
            return yuan(0)
        return max(yuan(amount) - yuan(self.reduction), yuan(0))


def paid_subquery():
    """The sum of a bill's payments (``OuterRef("pk")`` is the bill), zero without any."""
    paid = (
        Payment.objects.filter(bill=OuterRef("pk"))
        .order_by()
        .values("bill")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(Subquery(paid), Value(Decimal("0")), output_field=models.DecimalField())


class BillQuerySet(models.QuerySet):
    def with_paid(self):
        """Each bill with ``paid`` (its payments' sum) and ``outstanding``: one query."""
        return self.annotate(paid=paid_subquery()).annotate(outstanding=F("amount") - F("paid"))

    def open(self):
        """Bills with something still to pay (to the fen)."""
        return self.with_paid().filter(outstanding__gte=HALF_FEN)

    def visible_to(self, roles):
        from core.rules import allows

        if allows("dues.see_all_dues", roles):
            return self
        if allows("dues.see_own_dues", roles):
            return self.filter(company=roles.company)
        return self.none()


class Bill(CreatedBy):
    """A company's dues for a year (会费账单): what it owes and by when. Whether it is paid
    follows from its payments."""

    class Status(models.TextChoices):
        EXEMPT = "exempt", _("Exempt")
        PAID = "paid", _("Paid")
        PARTLY_PAID = "partly_paid", _("Partly paid")
        OVERDUE = "overdue", _("Overdue")
        UNPAID = "unpaid", _("Unpaid")

    number = models.CharField(_("bill number"), max_length=20, unique=True)
    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.PROTECT, related_name="dues_bills"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    standard = models.ForeignKey(
        DuesStandard,
        verbose_name=_("standard"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bills",
    )
    standard_amount = money_field(
        _("standard amount (yuan)"),
        help_text=_(
            "The tier's amount for the year, or the part of it for a company that joined "
            "in the year."
        ),
    )
    amount = money_field(_("amount due (yuan)"))
    adjustment = models.ForeignKey(
        DuesAdjustment,
        verbose_name=_("reduction or exemption"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    due_on = models.DateField(_("due date"))
    notes = models.CharField(_("notes"), max_length=200, blank=True)

    history = HistoricalRecords()
    objects = BillQuerySet.as_manager()

    class Meta:
        verbose_name = _("dues bill")
        verbose_name_plural = _("dues bills")
        ordering = ["-year", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "year"],
                name="dues_bill_once_a_year",
                violation_error_message=_("This company already has a bill for this year."),
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0) & Q(standard_amount__gte=0),
                name="dues_bill_amount_not_negative",
                violation_error_message=_("The amount cannot be negative."),
            ),
        ]
        indexes = [models.Index(fields=["year", "company"], name="dues_bill_year_idx")]

    def __str__(self):
        return f"{self.number} · {self.company}"

    def status_for(self, paid, today=None) -> str:
        """The status given the sum paid (``paid`` from ``with_paid()``)."""
        today = today or timezone.localdate()
        paid, amount = yuan(paid), yuan(self.amount)
        if amount == 0:
            return self.Status.EXEMPT if self.adjustment_id else self.Status.PAID
        if paid >= amount:
            return self.Status.PAID
        if paid > 0:
            return self.Status.PARTLY_PAID
        return self.Status.OVERDUE if self.due_on < today else self.Status.UNPAID

    @property
    def status(self) -> str:
        """Needs ``with_paid()`` (or costs a query)."""
        paid = getattr(self, "paid", None)
        if paid is None:
            paid = self.payments.aggregate(total=Sum("amount"))["total"]
        return self.status_for(paid)

    def get_status_display(self):
        return self.Status(self.status).label

    @property
    def outstanding_amount(self) -> Decimal:
        return max(yuan(self.amount) - yuan(getattr(self, "paid", 0)), yuan(0))


class Payment(Created):
    """Money received against a bill (会费收款), with its receipt (收据) number."""

    class Method(models.TextChoices):
        BANK = "bank", _("Bank transfer")
        CASH = "cash", _("Cash")
        WECHAT = "wechat", _("WeChat transfer")
        ALIPAY = "alipay", _("Alipay transfer")

    bill = models.ForeignKey(
        Bill, verbose_name=_("bill"), on_delete=models.PROTECT, related_name="payments"
    )
    number = models.CharField(_("receipt number"), max_length=20, unique=True)
    paid_on = models.DateField(_("date received"))
    amount = money_field(_("amount (yuan)"))
    method = models.CharField(
        _("method"), max_length=20, choices=Method.choices, default=Method.BANK
    )
    reference = models.CharField(
        _("reference"),
        max_length=60,
        blank=True,
        help_text=_("The bank's transaction number, or what identifies a transfer."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dues payment")
        verbose_name_plural = _("dues payments")
        ordering = ["-paid_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="dues_payment_amount_positive",
                violation_error_message=_("The amount must be more than zero."),
            ),
            models.UniqueConstraint(
                fields=["method", "reference"],
                condition=~Q(reference=""),
                name="dues_payment_reference_unique",
                violation_error_message=_("A payment with this reference is already recorded."),
            ),
        ]
        indexes = [models.Index(fields=["bill", "amount"], name="dues_payment_bill_idx")]

    def __str__(self):
        return f"{self.number} · {yuan(self.amount):,.2f}"


class Reminder(models.Model):
    """A reminder about an unpaid bill: at most one per bill and period (a month, 2026-12)."""

    bill = models.ForeignKey(
        Bill, verbose_name=_("bill"), on_delete=models.CASCADE, related_name="reminders"
    )
    period = models.CharField(_("period"), max_length=7, help_text=_("The month, e.g. 2026-12."))
    outstanding = money_field(_("outstanding when reminded (yuan)"))
    sent_to = models.CharField(_("sent to"), max_length=500)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("dues reminder")
        verbose_name_plural = _("dues reminders")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["bill", "period"], name="dues_reminder_once_a_period")
        ]

    def __str__(self):
        return f"{self.bill.number} · {self.period}"
