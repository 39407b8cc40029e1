"""Charity records in and out of Excel (xlsx).

Donations import and export with the chamber's own Chinese column headers; a file with any
bad row is refused whole, each problem named by its spreadsheet row (core.spreadsheets, as
for companies). Everything else exports (export_resources.py).

Exports mask sensitive beneficiaries (张*) unless the secretariat exports, and the
secretariat's unmasked exports are logged like any other unmasked view.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.amounts import AmountWidget
from core.spreadsheets import (
    ChoiceLabelWidget,
    DateWidget,
    DigitsWidget,
    SpreadsheetResource,
    TextWidget,
    cell_value,
    column,
    name_key,
)
from core.templates_xlsx import default_choice_lists
from members.models import Company
from members.validators import normalize_credit_code

from . import services
from .models import (
    Campaign,
    Donation,
    Pairing,
)

# The columns of the donations file, in order. Renaming one breaks every file the chamber keeps.
COLUMNS = (
    "捐赠企业",
    "统一社会信用代码",
    "募捐活动",
    "结对对象",
    "形式",
    "金额（元）",
    "物资说明",
    "状态",
    "日期",
    "收据编号",
    "备注",
)
FORM_LABELS = {Donation.Form.CASH: "现金", Donation.Form.IN_KIND: "实物"}
STATUS_LABELS = {Donation.Status.PLEDGED: "认捐", Donation.Status.RECEIVED: "已到账"}


class MaskingResource(SpreadsheetResource):
    """A resource that masks sensitive beneficiaries unless its viewer is the secretariat,
    and logs what an unmasked export showed."""

    def __init__(self, *, viewer=None, roles=None, log_where="", **kwargs):
        super().__init__(**kwargs)
        self.viewer = viewer
        self.unmask = services.sees_protected_names(roles)
        self.log_where = log_where
        self.shown = {}

    def beneficiary_name(self, beneficiary):
        if beneficiary is None:
            return ""
        if self.unmask:
            if beneficiary.is_sensitive:
                self.shown[beneficiary.pk] = beneficiary
            return beneficiary.name
        return beneficiary.masked_name

    def after_export(self, queryset, dataset, **kwargs):
        super().after_export(queryset, dataset, **kwargs)
        if self.unmask and self.shown and self.viewer is not None:
            services.log_unmasked(
                self.shown.values(), user=self.viewer, where=self.log_where or "export"
            )
        self.shown = {}


class DonationResource(MaskingResource):
    """A donation, one spreadsheet row each."""

    columns = COLUMNS
    sheet_title = "捐赠"
    synonyms = {
        "企业名称": "捐赠企业",
        "捐赠单位": "捐赠企业",
        "捐款单位": "捐赠企业",
        "金额": "金额（元）",
        "捐赠金额": "金额（元）",
        "捐赠日期": "日期",
        "收据号": "收据编号",
    }
    # Found, with the rest of the file's lookups, in import_related().
    unchecked_fields = ("company", "campaign", "pairing")
    # Its constraints are checked row by row without asking the database: the amount by
    # AmountWidget, a campaign or a pairing by import_related(), the goods of a gift in kind
    # by check_instance(), a receipt number once by find_duplicates() and get_instance().
    validate_in_database = False
    # The import template (core.templates_xlsx); 募捐活动 lists the campaigns.
    text_columns = ("统一社会信用代码", "收据编号")
    template_example = {
        "捐赠企业": "上海示例科技有限公司",
        "统一社会信用代码": "91310118MA1K2X3P4L",
        "募捐活动": "重阳敬老募捐",
        "结对对象": "",
        "形式": FORM_LABELS[Donation.Form.CASH],
        "金额（元）": 10000,
        "物资说明": "",
        "状态": STATUS_LABELS[Donation.Status.RECEIVED],
        "日期": datetime.date(2026, 10, 29),
        "收据编号": "JZ2026-001",
        "备注": "",
    }

    # The import resolves these four itself (import_related); exports dehydrate them.
    company = column("company", "捐赠企业")
    credit_code = column("company__credit_code", "统一社会信用代码", DigitsWidget())
    campaign = column("campaign", "募捐活动")
    pairing = column("pairing", "结对对象")
    form = column("form", "形式", ChoiceLabelWidget(FORM_LABELS), saves_null_values=False)
    amount = column("amount", "金额（元）", AmountWidget())
    goods = column("goods", "物资说明", TextWidget(empty=""))
    status = column("status", "状态", ChoiceLabelWidget(STATUS_LABELS), saves_null_values=False)
    donated_on = column("donated_on", "日期", DateWidget())
    receipt_number = column("receipt_number", "收据编号", TextWidget(empty=""))
    notes = column("notes", "备注", TextWidget(empty=""))

    RESOLVED = ("company", "company__credit_code", "campaign", "pairing")

    class Meta:
        model = Donation
        import_id_fields = ("receipt_number",)

    def __init__(self, **kwargs):
        kwargs.setdefault("log_where", "donations export")
        super().__init__(**kwargs)

    # The whole file ---------------------------------------------------------------------

    def import_data(self, dataset, dry_run=False, raise_errors=False, **kwargs):
        # Whoever imports typed these names in; the preview shows them as written.
        self.unmask = True
        return super().import_data(dataset, dry_run=dry_run, raise_errors=raise_errors, **kwargs)

    def template_choices(self):
        """The template's lists: 形式 and 状态, and the campaigns by name."""
        lists = default_choice_lists(self)
        names = list(Campaign.objects.order_by("-starts_on").values_list("name", flat=True))
        if names:
            lists["募捐活动"] = names
        return lists

    def prepare_dataset(self, dataset):
        super().prepare_dataset(dataset)
        self.load_lookups()

    def load_lookups(self):
        """Companies, campaigns and pairings, read once for the whole file."""
        self.companies_by_code, self.companies_by_name = {}, {}
        for company in Company.objects.only("pk", "name", "credit_code"):
            self.companies_by_name[name_key(company.name)] = company
            if company.credit_code:
                self.companies_by_code[company.credit_code] = company
        self.campaigns = {campaign.name: campaign for campaign in Campaign.objects.all()}
        self.pairings = {}
        for pairing in Pairing.objects.select_related("beneficiary"):
            self.pairings.setdefault(pairing.beneficiary.name, []).append(pairing)

    def find_duplicates(self, dataset):
        """Rows that repeat a receipt number of an earlier row of the file."""
        return self.repeats(
            dataset,
            lambda row: str(cell_value(row["收据编号"])),
            "receipt_number",
            _("Row %(row)s of this file has the same receipt number."),
        )

    # One row ----------------------------------------------------------------------------

    def before_import(self, dataset, **kwargs):
        """Read, in one query, the donations with a receipt number of the file."""
        receipts = {str(cell_value(value)) for value in dataset["收据编号"]} - {""}
        self.donations_by_receipt = {
            donation.receipt_number: donation
            for donation in Donation.objects.filter(receipt_number__in=receipts).order_by("-pk")
        }

    def get_instance(self, instance_loader, row):
        receipt = self.fields["receipt_number"].clean(row)
        if not receipt:
            return None
        return self.donations_by_receipt.get(receipt)

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        if field.attribute in self.RESOLVED:
            return  # read together in import_related()
        super().import_field(field, instance, row, is_m2m, **kwargs)

    def import_related(self, donation, row):
        """The company (by credit code, else by name), and the campaign or the pairing."""
        errors = {}
        name = self.fields["company"].clean(row) or ""
        try:
            code = normalize_credit_code(self.fields["credit_code"].clean(row) or "")
        except ValueError as error:
            errors["company__credit_code"] = str(error)
            code = ""
        company = None
        if errors:
            pass  # 9.13101E+17, what Excel left of a code, names no company
        elif code:
            company = self.companies_by_code.get(code)
            if company is None:
                errors["company__credit_code"] = _(
                    "No member company has the credit code %(code)s."
                ) % {"code": code}
            elif name and name_key(company.name) != name_key(name):
                errors["company"] = _(
                    "The credit code %(code)s is “%(company)s”, not “%(name)s”."
                ) % {"code": code, "company": company.name, "name": name}
        elif name:
            company = self.companies_by_name.get(name_key(name))
            if company is None:
                errors["company"] = _("No member company is called “%(name)s”.") % {"name": name}
        else:
            errors["company"] = _("Name the company that gave.")
        if company is not None:
            donation.company = company

        campaign_name = self.fields["campaign"].clean(row) or ""
        beneficiary_name = self.fields["pairing"].clean(row) or ""
        if campaign_name and beneficiary_name:
            errors["campaign"] = _(
                "A donation goes to a campaign or to a pairing: fill in 募捐活动 or 结对对象, "
                "not both."
            )
        elif campaign_name:
            campaign = self.campaigns.get(campaign_name)
            if campaign is None:
                errors["campaign"] = _("No campaign is called “%(name)s”.") % {
                    "name": campaign_name
                }
            else:
                donation.campaign, donation.pairing = campaign, None
        elif beneficiary_name:
            pairing, problem = self.find_pairing(beneficiary_name, donation.donated_on)
            if problem:
                errors["pairing"] = problem
            else:
                donation.campaign, donation.pairing = None, pairing
        else:
            errors["campaign"] = _("Say where the donation went: fill in 募捐活动 or 结对对象.")
        if errors:
            raise ValidationError(errors)

    def find_pairing(self, name, on: datetime.date | None):
        pairings = self.pairings.get(name, [])
        if not pairings:
            return None, _("No pairing is with “%(name)s”.") % {"name": name}
        if len(pairings) > 1 and on is not None:
            pairings = [
                p for p in pairings if p.starts_on <= on and (p.ends_on is None or on <= p.ends_on)
            ] or pairings
        if len(pairings) > 1:
            return None, _(
                "Several pairings are with “%(name)s”; enter this donation in the back "
                "office instead."
            ) % {"name": name}
        return pairings[0], None

    def check_instance(self, instance, errors):
        if instance.form == Donation.Form.IN_KIND and not instance.goods and "goods" not in errors:
            errors["goods"] = [ValidationError(_("Say what was given in kind."))]
        return errors

    # Export -----------------------------------------------------------------------------

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("company", "campaign", "pairing__beneficiary")

    def dehydrate_company(self, donation):
        return donation.company.name if donation.company_id else ""

    def dehydrate_campaign(self, donation):
        return donation.campaign.name if donation.campaign_id else ""

    def dehydrate_pairing(self, donation):
        if not donation.pairing_id:
            return ""
        return self.beneficiary_name(donation.pairing.beneficiary)


# --- Exports of everything else ------------------------------------------------------------
