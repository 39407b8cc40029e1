"""The secretariat's back office for member companies, their people, prospects and tags.

Companies and their people import from and export to xlsx (see resources.py and
people_resources.py); companies and people keep a history of who changed what. Supervisors
read everything here and change nothing: their group has only the view permissions.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import XLSX
from import_export.forms import ExportForm
from import_export.results import RowResult

from core.admin import HistoryAdmin, RuleAdminMixin, RuleInlineMixin
from core.admin_lists import CountedListMixin
from core.imports import AllOrNothingImportMixin, RememberedXLSX
from core.rules import allows

from . import services
from .models import MOBILE_TAKEN, Company, CompanyChangeRequest, Person, Prospect, Tag
from .people_resources import PersonResource
from .resources import CompanyResource, with_main_contacts


def sees_contacts(request) -> bool:
    """Mobiles and emails are for the secretariat and the leadership (the roles say who)."""
    return allows("members.see_contacts", getattr(request, "roles", None))


class StatusFilter(admin.SimpleListFilter):
    """Companies on the register by default; those suspended or gone one click away."""

    title = _("status")
    parameter_name = "status"
    ALL = "all"

    def lookups(self, request, model_admin):
        return [*Company.Status.choices, (self.ALL, _("All"))]

    def choices(self, changelist):
        current = self.value() or Company.Status.ACTIVE
        for value, title in self.lookup_choices:
            yield {
                "selected": current == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value() or Company.Status.ACTIVE
        if value == self.ALL:
            return queryset
        return queryset.filter(status=value)


CONTACTS = {"mobile": "members.see_contacts", "email": "members.see_contacts"}


class PersonForm(forms.ModelForm):
    """A mobile logs in one account: refuse one another account's person has already."""

    def clean_mobile(self):
        mobile = self.cleaned_data.get("mobile", "")
        person = self.instance
        if mobile and mobile != person.mobile:
            person.mobile = mobile
            if person.mobile_taken():
                raise forms.ValidationError(MOBILE_TAKEN, params={"mobile": mobile})
        return mobile


class PersonInline(RuleInlineMixin, admin.TabularInline):
    model = Person
    form = PersonForm
    fields = ["name", "title", "mobile", "email", "is_main_contact"]
    protected_fields = CONTACTS
    extra = 0
    show_change_link = True


@admin.register(Company)
class CompanyAdmin(
    RuleAdminMixin, CountedListMixin, AllOrNothingImportMixin, ImportExportMixin, HistoryAdmin
):
    list_display = [
        "display_name",
        "credit_code",
        "industry",
        "tier",
        "status",
        "member_since",
        "main_contact",
        "tag_list",
    ]
    list_display_links = ["display_name"]
    list_filter = [StatusFilter, "tier", "industry", "tags", "party_organisation"]
    # The 四好 report links to the companies that joined in a year (member_since__year).
    extra_lookups = ["member_since"]
    search_fields = ["name", "name_initials", "credit_code"]
    search_help_text = _("Name, pinyin initials (e.g. shj) or unified social credit code.")

    autocomplete_fields = ["tags"]
    inlines = [PersonInline]
    # 50 rows a page: each admin row costs about half a millisecond to render.
    list_per_page = 50
    # A search shows "N results" without counting every company again ("of 20,000 total").
    show_full_result_count = False
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "credit_code",
                    "industry",
                    "industry_text",
                    "tier",
                    "status",
                    "member_since",
                ]
            },
        ),
        (_("Profile"), {"fields": ["address", "logo", "profile", "tags"]}),
        (_("Party building"), {"fields": ["party_organisation", "party_members"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    # Import and export: xlsx only, always the full set of columns.
    resource_classes = [CompanyResource]
    import_formats = [RememberedXLSX]
    export_formats = [XLSX]
    export_form_class = ExportForm
    import_template_name = "admin/members/company/import.html"
    # The file carries the main contacts' mobiles and emails.
    export_rules = ("members.see_contacts",)
    import_rows_problem = _(
        "Rows with problems: %(count)s. Correct the file and upload it again; until then no "
        "company or person is changed."
    )
    import_file_problem = _(
        "The file has a problem. Correct it and upload it again; until then no company or "
        "person is changed."
    )

    def get_queryset(self, request):
        return with_main_contacts(super().get_queryset(request).prefetch_related("tags"))

    def get_search_results(self, request, queryset, search_term):
        """The directory's search (Company.objects.search), which the trigram indexes serve:
        the admin's own ORs UPPER() over every field and reads all 20,000 companies."""
        if not search_term.strip():
            return queryset, False
        return queryset.search(search_term), False

    @admin.display(description=_("company name"), ordering="name_pinyin")
    def display_name(self, company):
        return company.name

    @admin.display(description=_("main contact"))
    def main_contact(self, company):
        contact = CompanyResource.main_contact(company)
        return contact.name if contact else ""

    @admin.display(description=_("tags"))
    def tag_list(self, company):
        return "、".join(tag.name for tag in company.tags.all())

    def get_export_context_data(self, **kwargs):
        # The export form posts back to its own address (with the list's filters).
        return {"export_url": ""}

    def add_success_message(self, result, request):
        totals = result.totals
        messages.success(
            request,
            gettext(
                "Import finished: %(new)s companies added, %(updated)s updated, "
                "%(skipped)s unchanged."
            )
            % {
                "new": totals[RowResult.IMPORT_TYPE_NEW],
                "updated": totals[RowResult.IMPORT_TYPE_UPDATE],
                "skipped": totals[RowResult.IMPORT_TYPE_SKIP],
            },
        )

    def get_export_filename(self, request, queryset, file_format):
        return f"companies-{timezone.localdate():%Y-%m-%d}.{file_format.get_extension()}"


@admin.register(Person)
class PersonAdmin(
    RuleAdminMixin, CountedListMixin, AllOrNothingImportMixin, ImportExportMixin, HistoryAdmin
):
    form = PersonForm
    list_display = [
        "name",
        "company",
        "title",
        "mobile",
        "email",
        "is_main_contact",
        "political_title",
    ]
    list_filter = ["is_main_contact", "is_cppcc_member", "is_npc_deputy", "company__tier"]
    search_fields = ["name", "mobile", "email", "company__name", "company__name_initials"]
    protected_fields = CONTACTS
    list_select_related = ["company"]
    autocomplete_fields = ["company"]
    list_per_page = 100
    fieldsets = [
        (None, {"fields": ["name", "company", "title", "is_main_contact"]}),
        (_("Contact details"), {"fields": ["mobile", "email"]}),
        (
            _("Political office"),
            {"fields": ["is_cppcc_member", "is_npc_deputy", "political_title"]},
        ),
        (_("Notes"), {"fields": ["notes"]}),
    ]

    # Import and export: xlsx only, always the full set of columns.
    resource_classes = [PersonResource]
    import_formats = [RememberedXLSX]
    export_formats = [XLSX]
    export_form_class = ExportForm
    import_template_name = "admin/members/person/import.html"
    # The file carries mobiles and emails.
    export_rules = ("members.see_contacts",)
    import_rows_problem = _(
        "Rows with problems: %(count)s. Correct the file and upload it again; until then no "
        "person is added or changed."
    )
    import_file_problem = _(
        "The file has a problem. Correct it and upload it again; until then no person is "
        "added or changed."
    )

    def get_queryset(self, request):
        # Person.__str__ names the company: also in autocomplete results.
        return super().get_queryset(request).select_related("company")

    def get_export_context_data(self, **kwargs):
        # The export form posts back to its own address (with the list's filters).
        return {"export_url": ""}

    def add_success_message(self, result, request):
        totals = result.totals
        messages.success(
            request,
            gettext(
                "Import finished: %(new)s people added, %(updated)s updated, %(skipped)s unchanged."
            )
            % {
                "new": totals[RowResult.IMPORT_TYPE_NEW],
                "updated": totals[RowResult.IMPORT_TYPE_UPDATE],
                "skipped": totals[RowResult.IMPORT_TYPE_SKIP],
            },
        )

    def get_export_filename(self, request, queryset, file_format):
        return f"people-{timezone.localdate():%Y-%m-%d}.{file_format.get_extension()}"


@admin.register(Prospect)
class ProspectAdmin(RuleAdminMixin, admin.ModelAdmin):
    list_display = ["company_name", "stage", "source", "owner", "contact", "updated_at"]
    list_filter = ["stage", "source"]
    search_fields = ["company_name", "contact", "owner__name"]
    # The contact at the company courted: a name with a phone number, often.
    protected_fields = {"contact": "members.see_contacts"}
    list_select_related = ["owner__company", "converted_company"]
    autocomplete_fields = ["owner", "converted_company"]
    date_hierarchy = "updated_at"
    fields = [
        "company_name",
        "source",
        "stage",
        "owner",
        "contact",
        "next_step",
        "next_step_on",
        "notes",
        "converted_company",
    ]


@admin.register(Tag)
class TagAdmin(RuleAdminMixin, admin.ModelAdmin):
    list_display = ["name", "company_count"]
    search_fields = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(company_count=Count("companies"))

    @admin.display(description=_("companies"), ordering="company_count")
    def company_count(self, tag):
        return tag.company_count


@admin.register(CompanyChangeRequest)
class CompanyChangeRequestAdmin(RuleAdminMixin, admin.ModelAdmin):
    """Members' requests to change the register's facts: approve to change the company (in its
    history under the approver's name), or refuse."""

    list_display = ["company", "requested_changes", "state", "requested_by", "created_at"]
    list_filter = ["state"]
    search_fields = ["company__name", "name", "credit_code"]
    list_select_related = ["company", "requested_by", "decided_by"]
    date_hierarchy = "created_at"
    actions = ["approve", "refuse"]
    fields = [
        "company",
        "requested_changes",
        "reason",
        "requested_by",
        "created_at",
        "state",
        "decided_by",
        "decided_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False  # Members ask from /me/company/request/.

    @admin.display(description=_("changes"))
    def requested_changes(self, change):
        return "；".join(f"{label}：{old} → {new}" for label, old, new in change.changes())

    def _decide(self, request, queryset, approve: bool):
        done = 0
        for change in queryset.select_related("company"):
            try:
                services.change_request_decide(
                    change_request=change,
                    approve=approve,
                    acting_user=request.user,
                    request=request,
                )
            except ValidationError as error:
                self.message_user(
                    request, f"{change.company}：{' '.join(error.messages)}", messages.ERROR
                )
            else:
                done += 1
        if done:
            self.message_user(
                request, gettext("%(count)d requests decided.") % {"count": done}, messages.SUCCESS
            )

    @admin.action(description=_("Approve: change the register"), permissions=["change"])
    def approve(self, request, queryset):
        self._decide(request, queryset, approve=True)

    @admin.action(description=_("Refuse"), permissions=["change"])
    def refuse(self, request, queryset):
        self._decide(request, queryset, approve=False)
