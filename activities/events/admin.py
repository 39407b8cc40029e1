"""The secretariat's back office for events, sign-ups, talks and photos.

Events import from a year's plan in xlsx (all or nothing, as companies do) and export; sign-ups
and attendance export to xlsx. Actions close sign-up, cancel events (those signed up are
emailed), export the sign-ups of the chosen events, and copy yearly events to next year. A
change that a phone's calendar must show raises the event's SEQUENCE; more places, or a
cancelled sign-up, move people up from the waiting list.
"""

from django.contrib import admin, messages
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin, ImportExportMixin
from import_export.formats.base_formats import XLSX
from import_export.forms import ExportForm
from import_export.results import RowResult

from core.admin import HistoryAdmin, RuleAdminMixin, RuleInlineMixin
from core.imports import AllOrNothingImportMixin, RememberedXLSX
from core.share_links import admin_share_link
from members.admin import sees_contacts

from ..models import Event, EventPhoto, EventReminder, Registration, Talk
from . import services
from .resources import EventResource, RegistrationResource


class RegistrationInline(RuleInlineMixin, admin.TabularInline):
    model = Registration
    fields = ["person", "status", "created_at", "promoted_at", "checked_in_at", "checked_in_by"]
    readonly_fields = ["promoted_at", "checked_in_by"]
    autocomplete_fields = ["person"]
    extra = 0
    classes = ["collapse"]
    verbose_name_plural = _("sign-ups (in the order they came)")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("person__company", "checked_in_by__person")
            .order_by("created_at", "pk")
        )


class TalkInline(RuleInlineMixin, admin.StackedInline):
    model = Talk
    fields = [("company", "speaker"), "topic", "summary", "order"]
    autocomplete_fields = ["company", "speaker"]
    extra = 0


class EventPhotoInline(RuleInlineMixin, admin.TabularInline):
    model = EventPhoto
    fields = ["preview", "image", "caption"]
    readonly_fields = ["preview"]
    extra = 1

    @admin.display(description=_("preview"))
    def preview(self, photo):
        if not photo.pk:
            return ""
        return format_html('<img src="{}" alt="" width="120">', photo.thumbnail_url)


class UpcomingFilter(admin.SimpleListFilter):
    """Coming events by default; past ones one click away."""

    title = _("when")
    parameter_name = "when"
    UPCOMING, PAST, ALL = "upcoming", "past", "all"

    def lookups(self, request, model_admin):
        return [(self.UPCOMING, _("Coming")), (self.PAST, _("Past")), (self.ALL, _("All"))]

    def choices(self, changelist):
        current = self.value() or self.UPCOMING
        for value, title in self.lookup_choices:
            yield {
                "selected": current == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value() or self.UPCOMING
        now = timezone.now()
        if value == self.UPCOMING:
            return queryset.filter(ends_at__gte=now)
        if value == self.PAST:
            return queryset.filter(ends_at__lt=now)
        return queryset


@admin.register(Event)
class EventAdmin(RuleAdminMixin, AllOrNothingImportMixin, ImportExportMixin, HistoryAdmin):
    list_display = [
        "title",
        "kind",
        "local_start",
        "audience",
        "places",
        "waiting",
        "attended",
        "registration_open",
        "is_cancelled",
    ]
    list_filter = [
        UpcomingFilter,
        "kind",
        "audience",
        "registration_open",
        "is_cancelled",
        "recurrence",
    ]
    search_fields = ["title", "venue", "organisers", "partners", "description"]
    date_hierarchy = "starts_at"
    ordering = ["starts_at", "pk"]
    inlines = [RegistrationInline, TalkInline, EventPhotoInline]
    readonly_fields = [
        "sequence",
        "check_in_link",
        "share_link",
        "created_by",
        "created_at",
        "updated_at",
    ]
    actions = [
        "close_sign_up",
        "cancel_events",
        "export_sign_ups",
        "copy_to_next_year",
    ]
    fieldsets = [
        (None, {"fields": ["title", "kind", ("starts_at", "ends_at"), "venue"]}),
        (
            _("Sign-up"),
            {
                "fields": [
                    "capacity",
                    "places_per_company",
                    "audience",
                    "registration_open",
                    "is_cancelled",
                ]
            },
        ),
        (_("Organisers"), {"fields": ["organisers", "partners"]}),
        (_("About the event"), {"fields": ["description", "recurrence"]}),
        (_("After the event"), {"fields": ["minutes"]}),
        (_("Sharing outside"), {"fields": ["public_share", "share_link"]}),
        (
            _("Record"),
            {
                "fields": [
                    "check_in_link",
                    "sequence",
                    "created_by",
                    "created_at",
                    "updated_at",
                ],
                "classes": ["collapse"],
            },
        ),
    ]

    resource_classes = [EventResource]
    import_formats = [RememberedXLSX]
    export_formats = [XLSX]
    export_form_class = ExportForm
    import_template_name = "activities/events/admin/import.html"
    import_rows_problem = _(
        "Rows with problems: %(count)s. Correct the file and upload it "
        "again; until then no event is changed."
    )
    import_file_problem = _(
        "The file has a problem. Correct it and upload it again; until then no event is changed."
    )

    def get_inlines(self, request, obj):
        # Talks belong to the quarterly sharing meetings.
        if obj is not None and obj.kind != Event.Kind.SHARING:
            return [RegistrationInline, EventPhotoInline]
        return self.inlines

    def get_queryset(self, request):
        return super().get_queryset(request).with_counts().with_attended()

    @admin.display(description=_("starts at"), ordering="starts_at")
    def local_start(self, event):
        return timezone.localtime(event.starts_at).strftime("%Y-%m-%d %H:%M")

    @admin.display(description=_("signed up"), ordering="taken")
    def places(self, event):
        if event.capacity is None:
            return str(event.taken)
        return f"{event.taken} / {event.capacity}"

    @admin.display(description=_("waiting"), ordering="waiting")
    def waiting(self, event):
        return event.waiting

    @admin.display(description=_("checked in"), ordering="attended")
    def attended(self, event):
        return event.attended

    @admin.display(description=_("check-in address"))
    def check_in_link(self, event):
        if not event.pk:
            return ""
        url = reverse("activities:event_detail", args=[event.pk])
        return format_html(
            '<a href="{}">{}</a>', url, gettext("The event's page shows the check-in QR code.")
        )

    @admin.display(description=_("public share link"))
    def share_link(self, event):
        return admin_share_link(event, shown=event.public_share)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("organisers", "徐泾镇商会")
        return initial

    def save_model(self, request, obj, form, change):
        newly_cancelled = change and "is_cancelled" in form.changed_data and obj.is_cancelled
        if change:
            services.event_changed(obj, form.changed_data)
        else:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        if newly_cancelled:
            services.notify_cancelled(obj)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is EventPhoto:
            for photo in formset.new_objects:
                services.make_thumbnail(photo)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        promoted = services.fill_from_waiting_list(event=form.instance)
        if promoted:
            messages.info(
                request,
                ngettext(
                    "%(count)s person moved up from the waiting list and was emailed.",
                    "%(count)s people moved up from the waiting list and were emailed.",
                    len(promoted),
                )
                % {"count": len(promoted)},
            )

    # Actions --------------------------------------------------------------------------

    @admin.action(description=_("Close sign-up for the selected events"), permissions=["change"])
    def close_sign_up(self, request, queryset):
        for event in queryset:
            services.close_registration(event=event)
        messages.success(
            request,
            ngettext(
                "Sign-up closed for %(count)s event.",
                "Sign-up closed for %(count)s events.",
                len(queryset),
            )
            % {"count": len(queryset)},
        )

    @admin.action(
        description=_("Cancel the selected events (those signed up are emailed)"),
        permissions=["change"],
    )
    def cancel_events(self, request, queryset):
        count = 0
        for event in queryset.filter(is_cancelled=False):
            services.cancel_event(event=event)
            count += 1
        messages.success(
            request,
            ngettext("%(count)s event cancelled.", "%(count)s events cancelled.", count)
            % {"count": count},
        )

    @admin.action(description=_("Export sign-ups and attendance (xlsx)"), permissions=["change"])
    def export_sign_ups(self, request, queryset):
        if not sees_contacts(request):
            messages.error(request, gettext("Only the secretariat exports sign-ups."))
            return None
        registrations = Registration.objects.filter(event__in=queryset)
        dataset = RegistrationResource().export(registrations)
        response = HttpResponse(
            XLSX().export_data(dataset),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="sign-ups-{timezone.localdate():%Y-%m-%d}.xlsx"'
        )
        return response

    @admin.action(
        description=_("Copy the selected yearly events to next year"), permissions=["add"]
    )
    def copy_to_next_year(self, request, queryset):
        outcome = services.copy_to_next_year(
            events=list(queryset.order_by("starts_at")), acting_user=request.user
        )
        for event in outcome.copied:
            messages.success(
                request,
                gettext("Copied: %(title)s on %(date)s.")
                % {"title": event.title, "date": f"{timezone.localtime(event.starts_at):%Y-%m-%d}"},
            )
        if outcome.already:
            messages.info(
                request,
                gettext("Already copied before: %(titles)s.")
                % {"titles": "、".join(event.title for event in outcome.already)},
            )
        if outcome.not_yearly:
            messages.warning(
                request,
                gettext("Not yearly, so not copied: %(titles)s.")
                % {"titles": "、".join(event.title for event in outcome.not_yearly)},
            )

    # Import ---------------------------------------------------------------------------

    def get_export_context_data(self, **kwargs):
        return {"export_url": ""}

    def add_success_message(self, result, request):
        totals = result.totals
        messages.success(
            request,
            gettext(
                "Import finished: %(new)s events added, %(updated)s updated, %(skipped)s unchanged."
            )
            % {
                "new": totals[RowResult.IMPORT_TYPE_NEW],
                "updated": totals[RowResult.IMPORT_TYPE_UPDATE],
                "skipped": totals[RowResult.IMPORT_TYPE_SKIP],
            },
        )

    def get_export_filename(self, request, queryset, file_format):
        return f"events-{timezone.localdate():%Y-%m-%d}.{file_format.get_extension()}"


class CheckedInFilter(admin.SimpleListFilter):
    title = _("checked in")
    parameter_name = "checked_in"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(checked_in_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(checked_in_at__isnull=True)
        return queryset


@admin.register(Registration)
class RegistrationAdmin(RuleAdminMixin, ExportMixin, admin.ModelAdmin):
    list_display = [
        "person_name",
        "company",
        "event",
        "status",
        "created_at",
        "checked_in_at",
    ]
    list_filter = ["status", CheckedInFilter, "event__kind"]
    search_fields = ["person__name", "person__company__name", "event__title"]
    list_select_related = ["person__company", "event"]
    autocomplete_fields = ["person", "event"]
    date_hierarchy = "event__starts_at"
    # The event's page links to its sign-ups here (?event__id__exact=…).
    extra_lookups = ["event"]
    # The file carries mobile numbers.
    export_rules = ("members.see_contacts",)
    readonly_fields = ["promoted_at", "cancelled_at", "checked_in_by", "registered_by"]
    list_per_page = 100
    fields = [
        "event",
        "person",
        "status",
        "created_at",
        "promoted_at",
        "cancelled_at",
        "checked_in_at",
        "checked_in_by",
        "registered_by",
    ]

    resource_classes = [RegistrationResource]
    export_formats = [XLSX]
    export_form_class = ExportForm

    @admin.display(description=_("person"), ordering="person__name")
    def person_name(self, registration):
        return registration.person.name

    @admin.display(description=_("company"), ordering="person__company__name_pinyin")
    def company(self, registration):
        company = registration.person.company
        return company.name if company else ""

    def get_export_context_data(self, **kwargs):
        return {"export_url": ""}

    def get_export_filename(self, request, queryset, file_format):
        return f"sign-ups-{timezone.localdate():%Y-%m-%d}.{file_format.get_extension()}"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.registered_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.fill_from_waiting_list(event=form.instance.event)


@admin.register(EventReminder)
class EventReminderAdmin(RuleAdminMixin, admin.ModelAdmin):
    """The reminders sent the day before events: a log, written by the command only."""

    list_display = ["event", "person", "email", "sent_at"]
    list_select_related = ["event", "person"]
    search_fields = ["person__name", "event__title", "email"]
    protected_fields = {"email": "members.see_contacts"}
    date_hierarchy = "sent_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # A log the app writes: deleting a row would rewrite what happened (and let a
        # reminder go out twice).
        return False
