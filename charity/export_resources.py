"""The charity records that only export (beneficiaries, consents, campaigns, pairings,
projects, contributors' choices, the unmasking log), on the masking base of resources.py:
sensitive beneficiaries are masked (张*) unless the secretariat exports."""

from core.spreadsheets import (
    ChoiceLabelWidget,
    DateWidget,
    column,
)

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
from .resources import AmountWidget, MaskingResource

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


class BeneficiaryResource(MaskingResource):
    sheet_title = "帮扶对象"
    name = column("name", "名称")
    kind = column("kind", "类别", ChoiceLabelWidget(KIND_LABELS))
    area = column("area", "地区")
    organisation = column("organisation", "学校或机构")
    is_sensitive = column("is_sensitive", "敏感个人信息")
    is_under_14 = column("is_under_14", "不满十四周岁")
    details = column("details", "情况说明")

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


class ConsentResource(MaskingResource):
    sheet_title = "同意记录"
    beneficiary = column("beneficiary", "帮扶对象")
    given_by = column("given_by", "同意人")
    relation = column(
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
    given_on = column("given_on", "同意日期", DateWidget())
    notice_version = column("notice_version", "告知书版本")
    publish_name = column("publish_name", "同意公开姓名")
    withdrawn_on = column("withdrawn_on", "撤回日期", DateWidget())

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


class CampaignResource(MaskingResource):
    sheet_title = "募捐活动"
    name = column("name", "名称")
    kind = column(
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
    starts_on = column("starts_on", "开始日期", DateWidget())
    ends_on = column("ends_on", "结束日期", DateWidget())
    goal = column("goal", "目标（元）", AmountWidget())
    received = column("received", "已到账（元）", AmountWidget())
    pledged = column("pledged", "认捐未到账（元）", AmountWidget())

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


class PairingResource(MaskingResource):
    sheet_title = "结对"
    beneficiary = column("beneficiary", "结对对象")
    beneficiary_kind = column("beneficiary__kind", "对象类别", ChoiceLabelWidget(KIND_LABELS))
    area = column("beneficiary__area", "地区")
    kind = column("kind_code", "结对形式", ChoiceLabelWidget(PAIRING_KIND_LABELS))
    companies = column("companies", "结对企业")
    campaign = column("campaign", "募捐活动")
    starts_on = column("starts_on", "开始日期", DateWidget())
    ends_on = column("ends_on", "结束日期", DateWidget())
    goal = column("goal", "帮扶目标")
    received = column("received", "已到账捐赠（元）", AmountWidget())

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


class ProjectResource(MaskingResource):
    sheet_title = "帮扶项目"
    pairing = column("pairing", "结对对象")
    kind = column("kind", "类别")
    title = column("title", "项目")
    budget = column("budget", "预算（元）", AmountWidget())
    status = column("status", "状态")
    completed_on = column("completed_on", "完成日期", DateWidget())

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


class ContributorPreferenceResource(MaskingResource):
    sheet_title = "公开鸣谢意愿"
    company = column("company__name", "企业")
    listed = column("listed", "同意公开列名")
    updated_at = column("updated_at", "更新时间")

    class Meta:
        model = ContributorPreference
        fields = export_order = ("company", "listed", "updated_at")

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("company")

    def dehydrate_listed(self, preference):
        return YES_NO[preference.listed]

    def dehydrate_updated_at(self, preference):
        return preference.updated_at.isoformat(timespec="minutes")


class UnmaskLogResource(MaskingResource):
    sheet_title = "查看敏感信息记录"
    at = column("at", "时间")
    user = column("user__username", "查看人")
    beneficiary = column("beneficiary", "帮扶对象")
    where = column("where", "位置")

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
