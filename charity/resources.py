"""Charity records in and out of Excel (xlsx).

Donations import and export with the chamber's own Chinese column headers; a file with any
bad row is refused whole, each problem named by its spreadsheet row (as for companies, whose
helpers in members/resources.py this reuses). Everything else exports.

Exports mask sensitive beneficiaries (张*) unless the secretariat exports, and the
secretariat's unmasked exports are logged like any other unmasked view.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets

from core.exports import safe_cell
from members.models import Company
from members.resources import (
    ChoiceLabelWidget,
    DateWidget,
    ImportFileError,
    TextWidget,
    cell_value,
)
from members.validators import normalize_credit_code

from . import services
from .models import (
    Beneficiary,
    Campaign,
    Consent,
    ContributorPreference,
    Donation,
    Pairing,
    PairingKind,
    Project,
    UnmaskLog,
    mask_name,
)
from .money import LARGEST, yuan

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


class AmountWidget(widgets.Widget):
    """An amount in 元: an Excel number or text such as 1,234.50, ¥1234.5 or 1234.50元.

    Excel hands numbers over as floats; their shortest decimal form (repr) is what the
    spreadsheet shows, so that is what is read. More than two decimal places is refused.
    """

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, float):
            value = repr(value)
        text = str(cell_value(value))
        text = re.sub(r"[\s,，¥￥]|元$|^RMB", "", text, flags=re.IGNORECASE)
        if not text:
            return None
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise ValueError(
                gettext("“%(value)s” is not an amount in yuan, e.g. 12,500.00.")
                % {"value": cell_value(value)}
            ) from None
        if not amount.is_finite():
            raise ValueError(gettext("“%(value)s” is not an amount in yuan.") % {"value": text})
        if amount <= 0:
            raise ValueError(gettext("The amount must be more than zero."))
        # Checked before quantizing: 1e30 to the fen has more digits than Decimal carries.
        if amount > LARGEST:
            raise ValueError(gettext("The amount is too large."))
        if amount != amount.quantize(Decimal("0.01")):
            raise ValueError(
                gettext("%(value)s has more than two decimal places; amounts are to the fen.")
                % {"value": text}
            )
        return yuan(amount)

    def render(self, value, obj=None, **kwargs):
        # Written as a number to the fen, so Excel adds it up; Decimal, never float.
        return yuan(value) if value is not None else ""


def related_field(attribute, column):
    """A column the import resolves itself (import_instance), exported as dehydrated."""
    return fields.Field(attribute=attribute, column_name=column, widget=TextWidget())


class MaskingResource(resources.ModelResource):
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

    def export_field(self, field, instance, **kwargs):
        return safe_cell(super().export_field(field, instance, **kwargs))

    def after_export(self, queryset, dataset, **kwargs):
        if self.unmask and self.shown and self.viewer is not None:
            services.log_unmasked(
                self.shown.values(), user=self.viewer, where=self.log_where or "export"
            )
        self.shown = {}


class DonationResource(MaskingResource):
    """A donation, one spreadsheet row each."""

    company = related_field("company", "捐赠企业")
    credit_code = related_field("company__credit_code", "统一社会信用代码")
    campaign = related_field("campaign", "募捐活动")
    pairing = related_field("pairing", "结对对象")
    form = fields.Field(
        attribute="form",
        column_name="形式",
        widget=ChoiceLabelWidget(FORM_LABELS),
        saves_null_values=False,
    )
    amount = fields.Field(attribute="amount", column_name="金额（元）", widget=AmountWidget())
    goods = fields.Field(attribute="goods", column_name="物资说明", widget=TextWidget(empty=""))
    status = fields.Field(
        attribute="status",
        column_name="状态",
        widget=ChoiceLabelWidget(STATUS_LABELS),
        saves_null_values=False,
    )
    donated_on = fields.Field(attribute="donated_on", column_name="日期", widget=DateWidget())
    receipt_number = fields.Field(
        attribute="receipt_number", column_name="收据编号", widget=TextWidget(empty="")
    )
    notes = fields.Field(attribute="notes", column_name="备注", widget=TextWidget(empty=""))

    RESOLVED = ("company", "company__credit_code", "campaign", "pairing")

    class Meta:
        model = Donation
        fields = import_order = export_order = (
            "company",
            "credit_code",
            "campaign",
            "pairing",
            "form",
            "amount",
            "goods",
            "status",
            "donated_on",
            "receipt_number",
            "notes",
        )
        import_id_fields = ("receipt_number",)
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def __init__(self, **kwargs):
        kwargs.setdefault("log_where", "donations export")
        super().__init__(**kwargs)
        self.file_problems = {}

    # The whole file ---------------------------------------------------------------------

    def import_data(self, dataset, dry_run=False, raise_errors=False, **kwargs):
        """Import every row or none: any bad row rolls the whole file back."""
        kwargs["use_transactions"] = True
        kwargs["rollback_on_validation_errors"] = True
        # Whoever imports typed these names in; the preview shows them as written.
        self.unmask = True
        try:
            self.prepare_dataset(dataset)
        except ImportFileError as error:
            result = self.get_result_class()()
            result.diff_headers = self.get_diff_headers()
            result.append_base_error(self.get_error_result_class()(error))
            return result
        self.load_lookups()
        self.file_problems = self.find_duplicates(dataset)
        return super().import_data(dataset, dry_run=dry_run, raise_errors=raise_errors, **kwargs)

    def prepare_dataset(self, dataset):
        headers = [str(cell_value(header)) for header in dataset.headers or []]
        if headers:
            dataset.headers = headers
        missing = [column for column in COLUMNS if column not in headers]
        if missing:
            raise ImportFileError(
                gettext(
                    "The first row of the sheet must name the columns; these are missing: "
                    "%(missing)s. The columns are, in this order: %(columns)s."
                )
                % {"missing": "、".join(missing), "columns": "、".join(COLUMNS)}
            )
        while len(dataset) and self.is_blank(dataset[-1]):
            del dataset[-1]

    @staticmethod
    def is_blank(values) -> bool:
        return all(cell_value(value) == "" for value in values)

    def load_lookups(self):
        """Companies, campaigns and pairings, read once for the whole file."""
        self.companies_by_code, self.companies_by_name = {}, {}
        for company in Company.objects.only("pk", "name", "credit_code"):
            self.companies_by_name[company.name] = company
            if company.credit_code:
                self.companies_by_code[company.credit_code] = company
        self.campaigns = {campaign.name: campaign for campaign in Campaign.objects.all()}
        self.pairings = {}
        for pairing in Pairing.objects.select_related("beneficiary"):
            self.pairings.setdefault(pairing.beneficiary.name, []).append(pairing)

    def find_duplicates(self, dataset):
        """Rows that repeat a receipt number of an earlier row of the file."""
        problems, first = {}, {}
        index = dataset.headers.index("收据编号")
        for number, values in enumerate(dataset, 1):
            receipt = str(cell_value(values[index]))
            if not receipt:
                continue
            if receipt in first:
                problems.setdefault(number, {}).setdefault("receipt_number", []).append(
                    ValidationError(
                        _("Row %(row)s of this file has the same receipt number."),
                        params={"row": first[receipt]},
                    )
                )
            else:
                first[receipt] = number + 1  # the spreadsheet's row; the header is row 1
        return problems

    # One row ----------------------------------------------------------------------------

    def import_row(self, row, instance_loader, **kwargs):
        if self.is_blank(row.values()):
            return self.get_row_result_class()()
        return super().import_row(row, instance_loader, **kwargs)

    def get_instance(self, instance_loader, row):
        receipt = self.fields["receipt_number"].clean(row)
        if not receipt:
            return None
        return Donation.objects.filter(receipt_number=receipt).first()

    def after_init_instance(self, instance, new, row, **kwargs):
        user = kwargs.get("user")
        if user is not None and user.is_authenticated:
            instance._history_user = user
        file_name = kwargs.get("file_name")
        instance._change_reason = (
            gettext("Imported from %(file)s") % {"file": file_name}
            if file_name
            else gettext("Imported from a spreadsheet")
        )

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        if field.attribute in self.RESOLVED:
            return  # read together in resolve_related()
        super().import_field(field, instance, row, is_m2m, **kwargs)

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        try:
            self.resolve_related(instance, row)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for key, problems in self.file_problems.get(kwargs.get("row_number"), {}).items():
            errors.setdefault(key, []).extend(problems)
        if errors:
            raise ValidationError(errors)

    def resolve_related(self, donation, row):
        """The company (by credit code, else by name), and the campaign or the pairing."""
        errors = {}
        name = self.fields["company"].clean(row) or ""
        code = normalize_credit_code(self.fields["credit_code"].clean(row) or "")
        company = None
        if code:
            company = self.companies_by_code.get(code)
            if company is None:
                errors["company__credit_code"] = _(
                    "No member company has the credit code %(code)s."
                ) % {"code": code}
            elif name and company.name != name:
                errors["company"] = _(
                    "The credit code %(code)s is “%(company)s”, not “%(name)s”."
                ) % {"code": code, "company": company.name, "name": name}
        elif name:
            company = self.companies_by_name.get(name)
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

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        if instance.form == Donation.Form.IN_KIND and not instance.goods and "goods" not in errors:
            errors["goods"] = [ValidationError(_("Say what was given in kind."))]
        try:
            # The company, campaign and pairing were found in resolve_related(); checking
            # them again would cost three queries a row.
            instance.full_clean(exclude=[*errors, "company", "campaign", "pairing"])
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

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

    def after_export(self, queryset, dataset, **kwargs):
        dataset.title = "捐赠"
        super().after_export(queryset, dataset, **kwargs)

    def get_export_headers(self, selected_fields=None):
        return list(COLUMNS)

    def get_export_fields(self, selected_fields=None):
        return super().get_export_fields(None)


def describe_donation_problems(resource, result):
    """members.resources.describe_problems, with each row's reasons in this file's column
    order."""
    from members.resources import describe_problems

    problems = describe_problems(resource, result)
    return sorted(
        problems,
        key=lambda p: (
            p.row or 0,
            COLUMNS.index(p.column) if p.column in COLUMNS else -1,
        ),
    )


# --- Exports of everything else ------------------------------------------------------------


def export_field(attribute, column, widget=None):
    return fields.Field(attribute=attribute, column_name=column, widget=widget or TextWidget())


class ExportOnlyResource(MaskingResource):
    """A resource for export only, with Chinese headers; ``Meta.sheet`` names the sheet."""

    sheet_title = ""

    def after_export(self, queryset, dataset, **kwargs):
        dataset.title = self.sheet_title
        super().after_export(queryset, dataset, **kwargs)

    def get_export_fields(self, selected_fields=None):
        return super().get_export_fields(None)


KIND_LABELS = {
    Beneficiary.Kind.VILLAGE: "村",
    Beneficiary.Kind.SCHOOL: "学校",
    Beneficiary.Kind.STUDENT: "学生",
    Beneficiary.Kind.GROUP: "群体",
}
PAIRING_KIND_LABELS = {
    PairingKind.ONE_COMPANY_ONE_VILLAGE: "一企一村",
    PairingKind.COMPANIES_ONE_VILLAGE: "多企一村",
    PairingKind.STUDENT_AID: "助学结对",
    PairingKind.AID: "帮困结对",
}
YES_NO = {True: "是", False: "否"}


class BeneficiaryResource(ExportOnlyResource):
    sheet_title = "帮扶对象"
    name = export_field("name", "名称")
    kind = export_field("kind", "类别", ChoiceLabelWidget(KIND_LABELS))
    area = export_field("area", "地区")
    organisation = export_field("organisation", "学校或机构")
    is_sensitive = export_field("is_sensitive", "敏感个人信息")
    is_under_14 = export_field("is_under_14", "不满十四周岁")
    details = export_field("details", "情况说明")

    class Meta:
        model = Beneficiary
        fields = export_order = (
            "name",
            "kind",
            "area",
            "organisation",
            "is_sensitive",
            "is_under_14",
            "details",
        )

    def dehydrate_name(self, beneficiary):
        return self.beneficiary_name(beneficiary)

    def dehydrate_details(self, beneficiary):
        if beneficiary.is_sensitive and not self.unmask:
            return ""
        return beneficiary.details

    def dehydrate_is_sensitive(self, beneficiary):
        return YES_NO[beneficiary.is_sensitive]

    def dehydrate_is_under_14(self, beneficiary):
        return YES_NO[beneficiary.is_under_14]


class ConsentResource(ExportOnlyResource):
    sheet_title = "同意记录"
    beneficiary = export_field("beneficiary", "帮扶对象")
    given_by = export_field("given_by", "同意人")
    relation = export_field(
        "relation",
        "与帮扶对象关系",
        ChoiceLabelWidget(
            {
                Consent.Relation.SELF: "本人",
                Consent.Relation.PARENT: "父母",
                Consent.Relation.GUARDIAN: "其他监护人",
                Consent.Relation.ORGANISATION: "负责机构",
            }
        ),
    )
    given_on = export_field("given_on", "同意日期", DateWidget())
    notice_version = export_field("notice_version", "告知书版本")
    publish_name = export_field("publish_name", "同意公开姓名")
    withdrawn_on = export_field("withdrawn_on", "撤回日期", DateWidget())

    class Meta:
        model = Consent
        fields = export_order = (
            "beneficiary",
            "given_by",
            "relation",
            "given_on",
            "notice_version",
            "publish_name",
            "withdrawn_on",
        )

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("beneficiary")

    def dehydrate_beneficiary(self, consent):
        return self.beneficiary_name(consent.beneficiary)

    def dehydrate_given_by(self, consent):
        # A guardian's name points to the child: masked like the child's.
        if consent.beneficiary.is_sensitive and not self.unmask:
            return mask_name(consent.given_by)
        return consent.given_by

    def dehydrate_publish_name(self, consent):
        return YES_NO[consent.publish_name]


class CampaignResource(ExportOnlyResource):
    sheet_title = "募捐活动"
    name = export_field("name", "名称")
    kind = export_field(
        "kind",
        "类别",
        ChoiceLabelWidget(
            {
                Campaign.Kind.FUNDRAISER: "慈善募捐",
                Campaign.Kind.EPIDEMIC: "抗疫救灾",
                Campaign.Kind.POVERTY: "扶贫协作",
                Campaign.Kind.VISIT: "节日慰问",
                Campaign.Kind.OTHER: "其他",
            }
        ),
    )
    starts_on = export_field("starts_on", "开始日期", DateWidget())
    ends_on = export_field("ends_on", "结束日期", DateWidget())
    goal = export_field("goal", "目标（元）", AmountWidget())
    received = export_field("received", "已到账（元）", AmountWidget())
    pledged = export_field("pledged", "认捐未到账（元）", AmountWidget())

    class Meta:
        model = Campaign
        fields = export_order = (
            "name",
            "kind",
            "starts_on",
            "ends_on",
            "goal",
            "received",
            "pledged",
        )

    def filter_export(self, queryset, **kwargs):
        return queryset.annotate(
            received=services.money_sum(
                "donations__amount", donations__status=Donation.Status.RECEIVED
            ),
            pledged=services.money_sum(
                "donations__amount", donations__status=Donation.Status.PLEDGED
            ),
        )


class PairingResource(ExportOnlyResource):
    sheet_title = "结对"
    beneficiary = export_field("beneficiary", "结对对象")
    beneficiary_kind = export_field("beneficiary__kind", "对象类别", ChoiceLabelWidget(KIND_LABELS))
    area = export_field("beneficiary__area", "地区")
    kind = export_field("kind_code", "结对形式", ChoiceLabelWidget(PAIRING_KIND_LABELS))
    companies = export_field("companies", "结对企业")
    campaign = export_field("campaign", "募捐活动")
    starts_on = export_field("starts_on", "开始日期", DateWidget())
    ends_on = export_field("ends_on", "结束日期", DateWidget())
    goal = export_field("goal", "帮扶目标")
    received = export_field("received", "已到账捐赠（元）", AmountWidget())

    class Meta:
        model = Pairing
        fields = export_order = (
            "beneficiary",
            "beneficiary_kind",
            "area",
            "kind",
            "companies",
            "campaign",
            "starts_on",
            "ends_on",
            "goal",
            "received",
        )

    def filter_export(self, queryset, **kwargs):
        return services.pairings_with_totals(queryset).prefetch_related("companies")

    def dehydrate_beneficiary(self, pairing):
        return self.beneficiary_name(pairing.beneficiary)

    def dehydrate_companies(self, pairing):
        return "、".join(company.name for company in pairing.companies.all())

    def dehydrate_campaign(self, pairing):
        return pairing.campaign.name if pairing.campaign_id else ""


class ProjectResource(ExportOnlyResource):
    sheet_title = "帮扶项目"
    pairing = export_field("pairing", "结对对象")
    kind = export_field("kind", "类别")
    title = export_field("title", "项目")
    budget = export_field("budget", "预算（元）", AmountWidget())
    status = export_field("status", "状态")
    completed_on = export_field("completed_on", "完成日期", DateWidget())

    class Meta:
        model = Project
        fields = export_order = ("pairing", "kind", "title", "budget", "status", "completed_on")

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("pairing__beneficiary")

    def dehydrate_pairing(self, project):
        return self.beneficiary_name(project.pairing.beneficiary)

    def dehydrate_kind(self, project):
        return project.get_kind_display()

    def dehydrate_status(self, project):
        return project.get_status_display()


class ContributorPreferenceResource(ExportOnlyResource):
    sheet_title = "公开鸣谢意愿"
    company = export_field("company__name", "企业")
    listed = export_field("listed", "同意公开列名")
    updated_at = export_field("updated_at", "更新时间")

    class Meta:
        model = ContributorPreference
        fields = export_order = ("company", "listed", "updated_at")

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("company")

    def dehydrate_listed(self, preference):
        return YES_NO[preference.listed]

    def dehydrate_updated_at(self, preference):
        return preference.updated_at.isoformat(timespec="minutes")


class UnmaskLogResource(ExportOnlyResource):
    sheet_title = "查看敏感信息记录"
    at = export_field("at", "时间")
    user = export_field("user__username", "查看人")
    beneficiary = export_field("beneficiary", "帮扶对象")
    where = export_field("where", "位置")

    class Meta:
        model = UnmaskLog
        fields = export_order = ("at", "user", "beneficiary", "where")

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("user", "beneficiary")

    def dehydrate_at(self, log):
        return log.at.isoformat(timespec="seconds")

    def dehydrate_beneficiary(self, log):
        # The log says whose name was seen, not the name itself.
        return log.beneficiary.masked_name
