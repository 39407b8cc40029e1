"""Donations of member companies, in money or in kind, and whether a company is listed among
the contributors."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import Created
from members.models import Company

from ..money import money_field
from .campaigns import Campaign
from .pairings import Pairing


class DonationQuerySet(models.QuerySet):
    def received(self):
        return self.filter(status=Donation.Status.RECEIVED)

    def pledged(self):
        return self.filter(status=Donation.Status.PLEDGED)


class Donation(Created):
    """A member company's gift to a campaign or to a pairing, in money or in kind."""

    class Form(models.TextChoices):
        CASH = "cash", _("Money")
        IN_KIND = "in_kind", _("In kind")

    class Status(models.TextChoices):
        PLEDGED = "pledged", _("Pledged")
        RECEIVED = "received", _("Received")

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.PROTECT, related_name="donations"
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="donations",
    )
    pairing = models.ForeignKey(
        Pairing,
        verbose_name=_("pairing"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="donations",
    )
    form = models.CharField(_("form"), max_length=20, choices=Form.choices, default=Form.CASH)
    amount = money_field(
        _("amount (yuan)"),
        help_text=_("The money given or, for a gift in kind, its valuation in yuan."),
    )
    goods = models.CharField(
        _("goods"),
        max_length=200,
        blank=True,
        help_text=_("For a gift in kind: what was given, e.g. 200 cases of mineral water."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    donated_on = models.DateField(
        _("date"), help_text=_("When it was pledged or, once received, when it arrived.")
    )
    receipt_number = models.CharField(_("receipt number"), max_length=40, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = DonationQuerySet.as_manager()

    class Meta:
        verbose_name = _("donation")
        verbose_name_plural = _("donations")
        ordering = ["-donated_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(campaign__isnull=False, pairing__isnull=True)
                | Q(campaign__isnull=True, pairing__isnull=False),
                name="charity_donation_campaign_or_pairing",
                violation_error_message=_("A donation goes to a campaign or to a pairing."),
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="charity_donation_amount_positive",
                violation_error_message=_("The amount must be more than zero."),
            ),
            models.CheckConstraint(
                condition=~Q(form="in_kind") | ~Q(goods=""),
                name="charity_donation_in_kind_names_goods",
                violation_error_message=_("Say what was given in kind."),
            ),
            models.UniqueConstraint(
                fields=["receipt_number"],
                condition=~Q(receipt_number=""),
                name="charity_donation_receipt_number_unique",
                violation_error_message=_("Another donation already has this receipt number."),
            ),
        ]
        indexes = [
            models.Index(
                fields=["status", "donated_on", "company", "amount"],
                name="charity_donation_status_idx",
            ),
            # The newest first, a page at a time (the back office's list).
            models.Index(fields=["donated_on", "id"], name="charity_donation_date_idx"),
            # What a campaign, a pairing or a company received, summed from the index alone
            # (an index-only scan): the totals on /charity/ and in the back office.
            models.Index(
                fields=["campaign", "status", "company", "amount"],
                name="charity_donation_campaign_idx",
            ),
            models.Index(
                fields=["pairing", "status", "amount"], name="charity_donation_pairing_idx"
            ),
            models.Index(
                fields=["company", "status", "amount"], name="charity_donation_company_idx"
            ),
        ]

    def __str__(self):
        return f"{self.company} · {self.amount:,.2f} · {self.donated_on.isoformat()}"

    @property
    def is_received(self) -> bool:
        return self.status == self.Status.RECEIVED

    @property
    def target(self):
        return self.campaign if self.campaign_id else self.pairing


class ContributorPreference(models.Model):
    """Whether a member company wants to be named among the contributors on /charity/.

    Kept here rather than on Company so that the member registry need not know about
    charity. A company without a row is not listed.
    """

    company = models.OneToOneField(
        Company,
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="contributor_preference",
    )
    listed = models.BooleanField(
        _("listed among contributors"),
        default=False,
        help_text=_("Named, with what it gave, on the charity page all members see."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("contributor listing")
        verbose_name_plural = _("contributor listings")
        ordering = ["company__name_pinyin"]

    def __str__(self):
        return str(self.company)
