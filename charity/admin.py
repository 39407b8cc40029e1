"""The secretariat's back office for charity: beneficiaries and consents, pairings and their
projects, campaigns, donations (xlsx import and export), contributor listings, and the log of
unmasked views.

Supervisors have the view permissions only. They, like anyone but the secretariat, see
sensitive beneficiaries masked (张*) here too: in lists, change views, history and exports.
Lists mask for everyone; the secretariat sees a name by opening the record, and that view is
logged (UnmaskLog).
"""

import datetime

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import IGNORED_PARAMS, SEARCH_VAR
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Min, OuterRef, Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin, ImportExportMixin
from import_export.formats.base_formats import XLSX
from import_export.forms import ExportForm
from import_export.results import RowResult

from core.admin import (
    HistoryAdmin,
    RuleAdminMixin,
    RuleInlineMixin,
    path_reaches_hidden,
    protected_map,
)
from core.admin_lists import CountedListMixin
from core.imports import AllOrNothingImportMixin, RememberedXLSX
from members.models import Company

from . import services
from .export_resources import (
    BeneficiaryResource,
    CampaignResource,
    ConsentResource,
    ContributorPreferenceResource,
    PairingResource,
    ProjectResource,
    UnmaskLogResource,
)
from .models import (
    Beneficiary,
    Campaign,
    Consent,
    ContributorPreference,
    Donation,
    Pairing,
    PairingKind,
    Photo,
    Project,
    UnmaskLog,
    mask_name,
)
from .money import format_yuan
from .resources import DonationResource


def is_secretariat(request) -> bool:
    return services.sees_protected_names(getattr(request, "roles", None))


class XlsxExportMixin(ExportMixin):
    """Export to xlsx only, with the viewer passed to the resource so that it masks (or, for
    the secretariat, unmasks and logs)."""

    export_formats = [XLSX]
    export_form_class = ExportForm
    export_masks_itself = True

    def get_export_resource_kwargs(self, request, **kwargs):
        return {"viewer": request.user, "roles": request.roles, "log_where": request.path}

    def get_export_context_data(self, **kwargs):
        # The export form posts back to its own address (with the list's filters).
        return {"export_url": ""}

    def get_export_filename(self, request, queryset, file_format):
        name = self.model._meta.model_name
        return f"{name}-{timezone.localdate():%Y-%m-%d}.{file_format.get_extension()}"


PROTECTED_NAMES = "charity.see_protected_names"


class ConsentInline(RuleInlineMixin, admin.TabularInline):
    model = Consent
    extra = 0
    fields = ["given_by", "relation", "given_on", "notice_version", "publish_name", "withdrawn_on"]
    # A child's guardian: masked (per row, sensitive beneficiaries only) for all but the
    # secretariat.
    protected_fields = {"given_by": PROTECTED_NAMES}
    masked_fields = {"given_by": "masked_given_by"}

    @admin.display(description=_("consent given by"))
    def masked_given_by(self, consent):
        if consent.beneficiary.is_sensitive:
            return mask_name(consent.given_by)
        return consent.given_by


class ProtectedSearchMixin:
    """Only the secretariat may search sensitive beneficiaries by name: for anyone else a
    search would tell whether a name is on record, masked or not."""

    name_lookup = "name"
    sensitive_lookup = "is_sensitive"

    def get_search_fields(self, request):
        fields = super().get_search_fields(request)
        if is_secretariat(request):
            return fields
        return [field for field in fields if field != self.name_lookup]

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term and not is_secretariat(request):
            results |= queryset.filter(
                **{f"{self.name_lookup}__icontains": search_term, self.sensitive_lookup: False}
            )
        return results, may_have_duplicates


class NameFilteringLogMixin:
    """The secretariat may filter and search by sensitive names (Django's own lookups): a list
    so narrowed tells the names of the rows it shows, so those rows are logged as unmasked
    reads, as opening them would be."""

    def beneficiary_of(self, obj):
        raise NotImplementedError

    def narrows_by_protected_fields(self, request) -> bool:
        protected = protected_map(self.admin_site)
        paths = [key for key in request.GET if key not in IGNORED_PARAMS]
        if request.GET.get(SEARCH_VAR, "").strip():
            paths += list(super().get_search_fields(request))
        return any(path_reaches_hidden(self.model, path, None, protected) for path in paths)

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if (
            changelist is not None
            and is_secretariat(request)
            and self.narrows_by_protected_fields(request)
        ):
            services.log_unmasked(
                [self.beneficiary_of(obj) for obj in changelist.result_list],
                user=request.user,
                where=request.get_full_path(),
            )
        return response


class UnmaskingAdminMixin(NameFilteringLogMixin):
    """Log the secretariat's views of a sensitive record's change page and history."""

    def beneficiary_of(self, obj):
        raise NotImplementedError

    def log_view(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is not None and is_secretariat(request):
            services.log_unmasked([self.beneficiary_of(obj)], user=request.user, where=request.path)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self.log_view(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self.log_view(request, object_id)
        return super().history_view(request, object_id, extra_context)


@admin.register(Beneficiary)
class BeneficiaryAdmin(
    RuleAdminMixin, ProtectedSearchMixin, UnmaskingAdminMixin, XlsxExportMixin, HistoryAdmin
):
    list_display = [
        "display_name",
        "kind",
        "area",
        "organisation",
        "is_sensitive",
        "is_under_14",
        "publish_consent",
        "pairing_count",
    ]
    list_filter = ["kind", "is_sensitive", "is_under_14", "area"]
    search_fields = ["name", "area", "organisation"]
    search_help_text = _(
        "Names of sensitive beneficiaries are masked in lists; open one to see it (the view "
        "is logged)."
    )
    inlines = [ConsentInline]
    resource_classes = [BeneficiaryResource]
    protected_fields = {"name": PROTECTED_NAMES, "details": PROTECTED_NAMES}
    masked_fields = {"name": "masked_name"}
    fieldsets = [
        (None, {"fields": ["kind", "name", "area", "organisation"]}),
        (_("Privacy"), {"fields": ["is_sensitive", "is_under_14", "details"]}),
    ]

    def beneficiary_of(self, obj):
        return obj

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # An old version's form would show the name: for the secretariat alone, logged.
        if not is_secretariat(request):
            raise PermissionDenied
        self.log_view(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(pairing_count=Count("pairings", distinct=True))
            .prefetch_related("consents")
        )

    def mask_history_value(self, field_name, value, record):
        # As in the lists: only sensitive beneficiaries are masked.
        if not record.is_sensitive:
            return value
        if field_name == "name":
            return mask_name(value)
        return super().mask_history_value(field_name, value, record)

    @admin.display(description=_("name"), ordering="name")
    def display_name(self, beneficiary):
        return beneficiary.masked_name

    @admin.display(description=_("name"))
    def masked_name(self, beneficiary):
        return beneficiary.masked_name

    @admin.display(description=_("may publish the name"), boolean=True)
    def publish_consent(self, beneficiary):
        return services.may_publish_name(beneficiary)

    @admin.display(description=_("pairings"), ordering="pairing_count")
    def pairing_count(self, beneficiary):
        return beneficiary.pairing_count


@admin.register(Consent)
class ConsentAdmin(
    RuleAdminMixin, ProtectedSearchMixin, UnmaskingAdminMixin, XlsxExportMixin, admin.ModelAdmin
):
    list_display = [
        "beneficiary",
        "display_given_by",
        "relation",
        "given_on",
        "notice_version",
        "publish_name",
        "withdrawn_on",
    ]
    list_filter = ["relation", "notice_version", "publish_name"]
    list_select_related = ["beneficiary"]
    search_fields = ["beneficiary__name", "notice_version"]
    autocomplete_fields = ["beneficiary"]
    date_hierarchy = "given_on"
    resource_classes = [ConsentResource]
    name_lookup = "beneficiary__name"
    sensitive_lookup = "beneficiary__is_sensitive"
    protected_fields = {"given_by": PROTECTED_NAMES}
    masked_fields = {"given_by": "masked_given_by"}
    fields = [
        "beneficiary",
        "given_by",
        "relation",
        "given_on",
        "notice_version",
        "publish_name",
        "withdrawn_on",
    ]

    def beneficiary_of(self, consent):
        return consent.beneficiary

    @admin.display(description=_("consent given by"))
    def display_given_by(self, consent):
        # Masked in the list for everyone, like the beneficiaries' names.
        if consent.beneficiary.is_sensitive:
            return mask_name(consent.given_by)
        return consent.given_by

    masked_given_by = display_given_by


class ProjectInline(RuleInlineMixin, admin.TabularInline):
    model = Project
    extra = 0
    fields = ["kind", "title", "budget", "status", "completed_on"]
    show_change_link = True


class PairingKindFilter(admin.SimpleListFilter):
    """The derived kind: 一企一村, 多企一村, 助学结对, 帮困结对."""

    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return PairingKind.choices

    def queryset(self, request, queryset):
        if self.value() in PairingKind.values:
            return queryset.filter(kind_code=self.value())
        return queryset


@admin.register(Pairing)
class PairingAdmin(
    RuleAdminMixin, NameFilteringLogMixin, ProtectedSearchMixin, XlsxExportMixin, HistoryAdmin
):
    list_display = [
        "display_beneficiary",
        "kind",
        "area",
        "company_list",
        "campaign",
        "starts_on",
        "ends_on",
        "received",
    ]
    list_filter = [PairingKindFilter, "beneficiary__kind", "beneficiary__area", "campaign"]
    search_fields = ["beneficiary__name", "beneficiary__area", "companies__name", "goal"]
    name_lookup = "beneficiary__name"
    sensitive_lookup = "beneficiary__is_sensitive"
    autocomplete_fields = ["beneficiary", "companies", "campaign"]
    inlines = [ProjectInline]
    resource_classes = [PairingResource]
    fields = ["beneficiary", "companies", "campaign", "starts_on", "ends_on", "goal", "notes"]
    date_hierarchy = "starts_on"

    def beneficiary_of(self, pairing):
        return pairing.beneficiary

    def get_queryset(self, request):
        return services.pairings_with_totals(super().get_queryset(request)).prefetch_related(
            Prefetch("companies", queryset=Company.objects.only("pk", "name"))
        )

    @admin.display(description=_("beneficiary"), ordering="beneficiary__name")
    def display_beneficiary(self, pairing):
        return pairing.beneficiary.masked_name

    @admin.display(description=_("kind"), ordering="kind_code")
    def kind(self, pairing):
        return pairing.get_kind_display()

    @admin.display(description=_("area"), ordering="beneficiary__area")
    def area(self, pairing):
        return pairing.beneficiary.area

    @admin.display(description=_("companies"))
    def company_list(self, pairing):
        return "、".join(company.name for company in pairing.companies.all())

    @admin.display(description=_("received (yuan)"), ordering="received")
    def received(self, pairing):
        return format_yuan(pairing.received)


class PhotoInline(RuleInlineMixin, admin.TabularInline):
    model = Photo
    extra = 0
    fields = ["image", "caption", "taken_on"]


@admin.register(Project)
class ProjectAdmin(RuleAdminMixin, XlsxExportMixin, admin.ModelAdmin):
    list_display = ["title", "pairing_beneficiary", "kind", "status", "budget", "completed_on"]
    list_filter = ["kind", "status", "pairing__beneficiary__area"]
    search_fields = ["title", "description"]
    list_select_related = ["pairing__beneficiary"]
    autocomplete_fields = ["pairing"]
    inlines = [PhotoInline]
    resource_classes = [ProjectResource]
    fields = ["pairing", "kind", "title", "budget", "status", "completed_on", "description"]

    @admin.display(description=_("beneficiary"), ordering="pairing__beneficiary__name")
    def pairing_beneficiary(self, project):
        return project.pairing.beneficiary.masked_name


@admin.register(Campaign)
class CampaignAdmin(RuleAdminMixin, XlsxExportMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "starts_on", "ends_on", "display_goal", "display_received"]
    list_filter = ["kind"]
    search_fields = ["name", "description"]
    date_hierarchy = "starts_on"
    inlines = [PhotoInline]
    resource_classes = [CampaignResource]
    fields = ["name", "kind", "starts_on", "ends_on", "goal", "description"]

    def get_queryset(self, request):
        # A subquery per campaign shown, rather than a join grouped over every donation: the
        # list's counts and dates then need not touch the donations at all.
        received = Donation.objects.received().filter(campaign=OuterRef("pk"))
        return (
            super()
            .get_queryset(request)
            .annotate(received=services.sum_of(received.order_by().values("campaign")))
        )

    @admin.display(description=_("goal (yuan)"), ordering="goal")
    def display_goal(self, campaign):
        return format_yuan(campaign.goal) if campaign.goal else "—"

    @admin.display(description=_("received (yuan)"), ordering="received")
    def display_received(self, campaign):
        return format_yuan(campaign.received)


@admin.register(Photo)
class PhotoAdmin(RuleAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "project", "campaign", "taken_on"]
    list_filter = ["campaign"]
    search_fields = ["caption"]
    list_select_related = ["project", "campaign"]
    autocomplete_fields = ["project", "campaign"]
    fields = ["image", "caption", "taken_on", "project", "campaign"]


class DonationYearFilter(admin.SimpleListFilter):
    """Donations by year, the years read from the first and the last date (two index
    lookups), where a date hierarchy would scan every donation for its years."""

    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        dates = model_admin.get_queryset(request).aggregate(
            first=Min("donated_on"), last=Max("donated_on")
        )
        if dates["first"] is None:
            return []
        years = range(dates["last"].year, dates["first"].year - 1, -1)
        return [(str(year), str(year)) for year in years]

    def queryset(self, request, queryset):
        # Years a date can hold only (year=0 or a 20-digit year: the whole list).
        value = self.value() or ""
        if value.isascii() and value.isdigit() and len(value) <= 4 and int(value) >= 1:
            year = int(self.value())
            return queryset.filter(
                donated_on__gte=datetime.date(year, 1, 1),
                donated_on__lt=datetime.date(year + 1, 1, 1),
            )
        return queryset


@admin.register(Donation)
class DonationAdmin(
    RuleAdminMixin,
    CountedListMixin,
    XlsxExportMixin,
    AllOrNothingImportMixin,
    ImportExportMixin,
    HistoryAdmin,
):
    list_display = [
        "donated_on",
        "company",
        "target",
        "form",
        "display_amount",
        "status",
        "receipt_number",
        "acknowledgement",
    ]
    list_filter = [
        DonationYearFilter,
        "status",
        "form",
        "campaign",
        "pairing__beneficiary__kind",
    ]
    search_fields = ["company__name", "company__name_initials", "receipt_number", "goods"]
    list_select_related = ["company", "campaign", "pairing__beneficiary"]
    autocomplete_fields = ["company", "campaign", "pairing"]
    list_per_page = 100
    # Counting every donation once more for "N total" costs a scan of the table.
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["company", "campaign", "pairing"]}),
        (_("Gift"), {"fields": ["form", "amount", "goods", "status", "donated_on"]}),
        (_("Receipt"), {"fields": ["receipt_number", "notes"]}),
    ]

    resource_classes = [DonationResource]
    import_formats = [RememberedXLSX]
    import_template_name = "admin/charity/donation/import.html"
    import_rows_problem = _(
        "Rows with problems: %(count)s. Correct the file and upload it "
        "again; until then no donation is added or changed."
    )
    import_file_problem = _(
        "The file has a problem. Correct it and upload it again; until "
        "then no donation is added or changed."
    )

    @admin.display(description=_("campaign or pairing"))
    def target(self, donation):
        if donation.campaign_id:
            return donation.campaign.name
        return donation.pairing.beneficiary.masked_name

    @admin.display(description=_("amount (yuan)"), ordering="amount")
    def display_amount(self, donation):
        return format_yuan(donation.amount)

    @admin.display(description=_("acknowledgement"))
    def acknowledgement(self, donation):
        if not donation.is_received:
            return ""
        return format_html(
            '<a href="{}">{}</a>',
            reverse("charity:donation_acknowledgement", args=[donation.pk]),
            gettext("Print"),
        )

    def get_import_resource_kwargs(self, request, **kwargs):
        return {"viewer": request.user, "roles": request.roles}

    def add_success_message(self, result, request):
        totals = result.totals
        messages.success(
            request,
            gettext(
                "Import finished: %(new)s donations added, %(updated)s updated, "
                "%(skipped)s unchanged."
            )
            % {
                "new": totals[RowResult.IMPORT_TYPE_NEW],
                "updated": totals[RowResult.IMPORT_TYPE_UPDATE],
                "skipped": totals[RowResult.IMPORT_TYPE_SKIP],
            },
        )


@admin.register(ContributorPreference)
class ContributorPreferenceAdmin(RuleAdminMixin, XlsxExportMixin, admin.ModelAdmin):
    list_display = ["company", "listed", "updated_at", "updated_by"]
    list_filter = ["listed"]
    search_fields = ["company__name", "company__name_initials"]
    list_select_related = ["company", "updated_by__person"]
    autocomplete_fields = ["company"]
    fields = ["company", "listed"]
    resource_classes = [ContributorPreferenceResource]

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(UnmaskLog)
class UnmaskLogAdmin(RuleAdminMixin, XlsxExportMixin, admin.ModelAdmin):
    """Read-only: the log cannot be added to, changed or pruned by hand."""

    list_display = ["at", "user", "beneficiary_masked", "where"]
    list_filter = ["user"]
    search_fields = ["user__username", "where"]
    list_select_related = ["user__person", "beneficiary"]
    date_hierarchy = "at"
    resource_classes = [UnmaskLogResource]

    @admin.display(description=_("beneficiary"), ordering="beneficiary__name")
    def beneficiary_masked(self, log):
        return log.beneficiary.masked_name

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
