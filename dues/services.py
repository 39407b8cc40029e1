"""What the secretariat does with dues: bills generated for a year, payments recorded, and
reminders about what is still owed."""

import datetime
import logging
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from simple_history.utils import bulk_create_with_history

from core import mail
from core.counts import written
from core.money import FEN, yuan
from core.notifications import notify
from members.models import Company, Person

from .models import Bill, DuesAdjustment, DuesStandard, Payment, Reminder

logger = logging.getLogger(__name__)

# The days a company that joins after the due date has to pay.
JOINER_DAYS = 30
BILL_PREFIX = "HF"
RECEIPT_PREFIX = "SJ"


def next_numbers(model, prefix: str, count: int, width: int) -> list[str]:
    """``count`` numbers ``<prefix><n>`` after the highest of the model's (zero-padded to
    ``width``, so that the text's order is the numbers')."""
    last = model.objects.filter(number__startswith=prefix).aggregate(last=Max("number"))["last"]
    start = int(last[len(prefix) :]) + 1 if last and last[len(prefix) :].isdigit() else 1
    return [f"{prefix}{n:0{width}d}" for n in range(start, start + count)]


def bill_prefix(year: int) -> str:
    return f"{BILL_PREFIX}{year}-"


def receipt_prefix(year: int) -> str:
    return f"{RECEIPT_PREFIX}{year}-"


# --- Bills ---------------------------------------------------------------------------------


def billed_amount(standard: DuesStandard, member_since: datetime.date | None) -> Decimal:
    """What a company owes for the standard's year before any reduction: the full amount, or
    for a company that joined in the year and a pro-rata standard, the months left (the
    joining month included) in twelfths, to the fen."""
    amount = yuan(standard.amount)
    joined_in_year = member_since is not None and member_since.year == standard.year
    if not joined_in_year or standard.joiner_rule == DuesStandard.JoinerRule.FULL:
        return amount
    months = 12 - member_since.month + 1
    return (amount * months / 12).quantize(FEN, rounding=ROUND_HALF_UP)


def due_date(standard: DuesStandard, member_since: datetime.date | None) -> datetime.date:
    """The standard's due date, or 30 days after joining for a company that joined later."""
    if member_since is not None and member_since.year == standard.year:
        return max(standard.due_on, member_since + datetime.timedelta(days=JOINER_DAYS))
    return standard.due_on


@dataclass
class Generated:
    year: int
    created: list = field(default_factory=list)
    already: int = 0
    without_standard: list = field(default_factory=list)  # companies whose tier has none


def billable_companies(year: int):
    """The companies billed for ``year``: active members that had joined by its end."""
    return (
        Company.objects.active()
        .exclude(member_since__gt=datetime.date(year, 12, 31))
        .order_by("name_pinyin", "pk")
    )


def generate_bills(*, year: int, acting_user=None) -> Generated:
    """Bill every active member company for ``year`` that has no bill for it yet.

    Safe to run again: a second run bills only the companies that joined (or came back) since.
    A company that left is not billed. Each bill takes its tier's standard (pro rata or in
    full for a company that joined in the year, as the standard says) less the company's
    reduction for the year, or nothing for an exemption. Two runs at once wait for each
    other (the year's standards are locked)."""
    outcome = Generated(year=year)
    with transaction.atomic():
        standards = {
            standard.tier: standard
            for standard in DuesStandard.objects.select_for_update().filter(year=year)
        }
        billed = set(Bill.objects.filter(year=year).values_list("company_id", flat=True))
        adjustments = {
            adjustment.company_id: adjustment
            for adjustment in DuesAdjustment.objects.filter(year=year)
        }
        bills = []
        for company in billable_companies(year).only("pk", "name", "tier", "member_since"):
            if company.pk in billed:
                outcome.already += 1
                continue
            standard = standards.get(company.tier)
            if standard is None:
                outcome.without_standard.append(company)
                continue
            base = billed_amount(standard, company.member_since)
            adjustment = adjustments.get(company.pk)
            bills.append(
                Bill(
                    company=company,
                    year=year,
                    standard=standard,
                    standard_amount=base,
                    amount=adjustment.applied_to(base) if adjustment else base,
                    adjustment=adjustment,
                    due_on=due_date(standard, company.member_since),
                    created_by=acting_user,
                )
            )
        numbers = next_numbers(Bill, bill_prefix(year), len(bills), width=5)
        for bill, number in zip(bills, numbers, strict=True):
            bill.number = number
        if bills:
            outcome.created = bulk_create_with_history(
                bills,
                Bill,
                batch_size=500,
                default_user=acting_user,
                default_change_reason=gettext("Generated with the year's bills"),
            )
            # Bulk writes send no signals: the cached dues figures (the board's, /me/'s) read bills.
            written(Bill)
    return outcome


def apply_adjustment(adjustment: DuesAdjustment) -> Bill | None:
    """Bring the company's bill for the year, if it has one, in line with a reduction or
    exemption decided after the bills were generated: what is due becomes the standard amount
    less the adjustment, never less than what is already paid. Returns the bill changed."""
    with transaction.atomic():
        bill = (
            Bill.objects.select_for_update()
            .filter(company_id=adjustment.company_id, year=adjustment.year)
            .first()
        )
        if bill is None:
            return None
        amount = max(adjustment.applied_to(bill.standard_amount), paid_on_bill(bill))
        if bill.adjustment_id == adjustment.pk and yuan(bill.amount) == amount:
            return None
        bill.adjustment, bill.amount = adjustment, amount
        bill._change_reason = gettext("Reduction or exemption applied")
        bill.save()
    return bill


# --- Payments ------------------------------------------------------------------------------


def paid_on_bill(bill: Bill, *, excluding: Payment | None = None) -> Decimal:
    payments = Payment.objects.filter(bill=bill)
    if excluding is not None and excluding.pk:
        payments = payments.exclude(pk=excluding.pk)
    return yuan(payments.aggregate(total=Sum("amount"))["total"])


def check_payment(bill: Bill, amount: Decimal, *, excluding: Payment | None = None) -> None:
    """Refuse (ValidationError on ``amount``) a payment that would pay more than is owed."""
    outstanding = yuan(bill.amount) - paid_on_bill(bill, excluding=excluding)
    if yuan(amount) > outstanding:
        raise ValidationError(
            {
                "amount": gettext(
                    "Bill %(number)s has %(outstanding)s yuan left to pay; this payment is more."
                )
                % {"number": bill.number, "outstanding": f"{max(outstanding, yuan(0)):,.2f}"}
            }
        )


def record_payment(
    *,
    bill: Bill,
    amount: Decimal,
    paid_on: datetime.date,
    method: str,
    reference: str = "",
    acting_user=None,
) -> Payment:
    """Record money received against a bill, with the next receipt number of its year.

    Refuses more than is left to pay. The bill is locked meanwhile, so two payments recorded
    at once cannot together pay more than it asks."""
    with transaction.atomic():
        bill = Bill.objects.select_for_update().get(pk=bill.pk)
        check_payment(bill, amount)
        payment = Payment(
            bill=bill,
            amount=yuan(amount),
            paid_on=paid_on,
            method=method,
            reference=reference,
            recorded_by=acting_user,
        )
        payment.number = next_numbers(Payment, receipt_prefix(paid_on.year), 1, width=5)[0]
        payment.full_clean()
        if acting_user is not None:
            payment._history_user = acting_user
        payment.save()
    return payment


# --- Reminders -----------------------------------------------------------------------------


def reminder_period(today: datetime.date | None = None) -> str:
    """The period a reminder counts in: the month, 2026-12."""
    today = today or timezone.localdate()
    return f"{today:%Y-%m}"


def recipients(company_id: int) -> list[Person]:
    """Who a company's reminders go to: its main contacts who can be reached (an address or
    an account), else its other people who can."""
    people = list(
        Person.objects.filter(company_id=company_id, left_on__isnull=True)
        .select_related("user")
        .order_by("-is_main_contact", "name")
    )
    reachable = [
        person
        for person in people
        if mail.address_of(person) or getattr(person, "user", None) is not None
    ]
    main = [person for person in reachable if person.is_main_contact]
    return main or reachable


class ReminderOutcome:
    SENT = "sent"
    ALREADY = "already"  # reminded in this period already
    SETTLED = "settled"  # nothing left to pay, or not yet due
    NO_ADDRESS = "no_address"


def remind_bill(bill: Bill, *, today=None, acting_user=None, request=None) -> str:
    """Remind a company of an overdue bill, at most once a period (a month): a ``Reminder``
    row is written with the message, and the unique (bill, period) keeps a second one from
    going out, also when two run at once. A message that cannot be sent leaves no row, so a
    later run tries again.

    The one place a dues reminder is sent, through the notification service (the inbox, email
    and WeChat, by the person's choices; the delivery is retried by the task worker). The
    message's key is the bill and period too, so a retried run never sends twice."""
    today = today or timezone.localdate()
    period = reminder_period(today)
    bill = Bill.objects.with_paid().select_related("company").get(pk=bill.pk)
    outstanding = bill.outstanding_amount
    if outstanding <= 0 or bill.due_on >= today:
        return ReminderOutcome.SETTLED
    if Reminder.objects.filter(bill=bill, period=period).exists():
        return ReminderOutcome.ALREADY
    to = recipients(bill.company_id)
    if not to:
        return ReminderOutcome.NO_ADDRESS
    context = {
        "bill": bill,
        "company": bill.company,
        "outstanding": outstanding,
        "url": mail.absolute_url(reverse("members:me"), request),
    }
    try:
        with transaction.atomic():
            Reminder.objects.create(
                bill=bill,
                period=period,
                outstanding=outstanding,
                sent_to=", ".join(person.name for person in to)[:500],
                sent_by=acting_user,
            )
            notify(to, "dues_reminder", context, key=f"dues_reminder:{bill.pk}:{period}")
    except IntegrityError:
        return ReminderOutcome.ALREADY
    return ReminderOutcome.SENT


def remind_bills(bills, *, today=None, acting_user=None, request=None) -> dict[str, list]:
    """``remind_bill`` for each bill: {outcome: [bill, …]}."""
    outcomes: dict[str, list] = {}
    for bill in bills:
        outcome = remind_bill(bill, today=today, acting_user=acting_user, request=request)
        outcomes.setdefault(outcome, []).append(bill)
    return outcomes
