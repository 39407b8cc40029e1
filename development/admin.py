"""The secretariat's record of the applications to join, in the back office: every application
with its stage and status, searchable, read only (the steps are taken on /development/, where
the charter's order is kept), with the history of who moved it on.

Supervisors read it too (``development.see_applications``) without the applicant's mobile,
email and licence: those are for the people who work the pipeline (PIPL: the minimum
necessary). The licence is shown through the pipeline's permission-checked view, never as a
file under /media/.
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin import HistoryAdmin, RuleAdminMixin

from . import services
from .models import Application

CONTACT = "development.work_pipeline"


@admin.register(Application)
class ApplicationAdmin(RuleAdminMixin, HistoryAdmin):
    list_display = [
        "company_name",
        "credit_code",
        "status",
        "stage",
        "tier",
        "created_at",
        "decided_on",
        "pipeline",
    ]
    list_filter = ["status", "prospect__stage", "tier"]
    search_fields = ["company_name", "credit_code", "contact_name", "contact_mobile"]
    search_help_text = _("Company name, credit code, contact's name or mobile.")
    list_select_related = ["prospect"]
    date_hierarchy = "created_at"
    list_per_page = 50
    view_rules = ["development.see_applications"]
    protected_fields = {
        "contact_mobile": CONTACT,
        "contact_email": CONTACT,
        "licence": CONTACT,
        "licence_link": CONTACT,
    }
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "company_name",
                    "credit_code",
                    "industry",
                    "industry_text",
                    "address",
                    "tier",
                    "profile",
                    "licence_link",
                ]
            },
        ),
        (
            _("contact person"),
            {"fields": ["contact_name", "contact_title", "contact_mobile", "contact_email"]},
        ),
        (
            _("Steps"),
            {
                "fields": [
                    "status",
                    "pipeline",
                    "created_at",
                    "confirmed_at",
                    ("recommended_by", "recommended_at"),
                    ("checked_by", "checked_at"),
                    ("decided_on", "decided_by", "decision_recorded_at"),
                    "decision_note",
                    "company",
                ]
            },
        ),
    ]

    # Every field is read only: see has_change_permission().
    readonly_fields = [
        name
        for _title, options in fieldsets
        for item in options["fields"]
        for name in (item if isinstance(item, tuple) else [item])
    ]

    @admin.display(description=_("stage"), ordering="prospect__stage")
    def stage(self, application):
        return application.prospect.get_stage_display() if application.prospect_id else "—"

    @admin.display(description=_("pipeline"))
    def pipeline(self, application):
        if not application.prospect_id:
            return gettext("Not confirmed yet")
        return format_html(
            '<a href="{}">{}</a>',
            reverse("development:prospect_detail", args=[application.prospect_id]),
            gettext("Open in the pipeline"),
        )

    @admin.display(description=_("business licence"))
    def licence_link(self, application):
        if not application.licence:
            return "—"
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            application.licence.url,  # the pipeline's permission-checked view
            gettext("View the photo"),
        )

    # The steps are taken on /development/ (the charter's order, each by whom may take it).
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    # An application sent in error or as spam: deleted with its licence photo and history;
    # an approved one stays, the record of how its company joined.
    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.status == Application.Status.APPROVED:
            return False
        return super().has_delete_permission(request, obj)

    def delete_model(self, request, obj):
        services.application_delete(application=obj)

    def delete_queryset(self, request, queryset):
        for application in queryset:
            services.application_delete(application=application)
