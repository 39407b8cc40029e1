"""The secretariat's back office for the liaison table, visits, problems, proposals and the
reminders sent.

The liaison table imports from and exports to xlsx (resources.py). Visits, problems, proposals
and assignments keep a history. A problem's status changed here follows the same rules as on
its page (problems.check_transition) and is written in its timeline.
"""

import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import XLSX
from import_export.forms import ExportForm
from import_export.results import RowResult

from chamber.models import Position, Term
from core.admin import HistoryAdmin, RuleAdminMixin, RuleInlineMixin
from core.admin_lists import CountedListMixin
from core.imports import AllOrNothingImportMixin, RememberedXLSX
from members.models import Person

from ..models import (
    Assignment,
    Problem,
    ProblemEvent,
    Proposal,
    Visit,
    VisitPhoto,
    VisitReminder,
)
from . import problems, services
from .forms import apply_errors
from .resources import AssignmentResource


class CurrentTermFilter(admin.SimpleListFilter):
    """The current term's table by default; earlier terms one click away."""

    title = _("term")
    parameter_name = "term"
    ALL = "all"

    def lookups(self, request, model_admin):
        return [(str(term.pk), str(term)) for term in Term.objects.all()] + [(self.ALL, _("All"))]

    def current(self):
        term = Term.objects.current()
        return str(term.pk) if term else self.ALL

    def choices(self, changelist):
        current = self.value() or self.current()
        for value, title in self.lookup_choices:
            yield {
                "selected": current == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value() or self.current()
        if value == self.ALL:
            return queryset
        return queryset.filter(term_id=value)


class LeaderFilter(admin.SimpleListFilter):
    """The current leadership, rather than every person the chamber knows."""

    title = _("responsible leader")
    parameter_name = "leader"

    def lookups(self, request, model_admin):
        term = Term.objects.current()
        people = Person.objects.filter(
            positions__term=term, positions__title__in=Position.LEADERSHIP_TITLES
        ).distinct()
        return [(str(person.pk), person.name) for person in people.order_by("name")]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(leader_id=self.value())
        return queryset


@admin.action(
    permissions=["change"],
    description=_("Email the selected leaders who are below this month's quota"),
)
def remind_below_quota(modeladmin, request, queryset):
    people = Person.objects.filter(pk__in=queryset.values("leader_id"))
    outcome = services.send_visit_reminders(
        acting_user=request.user, people=people, request=request
    )
    report_reminders(modeladmin, request, outcome)


def report_reminders(modeladmin, request, outcome):
    if outcome.too_early:
        modeladmin.message_user(
            request,
            gettext(
                "Reminders go out after the %(day)sth of the month, when there is still time "
                "but the month is well under way. Nothing was sent."
            )
            % {"day": services.reminder_after_day()},
            messages.WARNING,
        )
        return
    groups = [
        (outcome.sent, messages.SUCCESS, gettext("Reminded: %(names)s.")),
        (
            outcome.already,
            messages.INFO,
            gettext("Already reminded this month, not mailed again: %(names)s."),
        ),
        (outcome.without_email, messages.WARNING, gettext("No email address: %(names)s.")),
        (outcome.failed, messages.ERROR, gettext("The email could not be sent to: %(names)s.")),
    ]
    for people, level, text in groups:
        if people:
            names = "、".join(person.name for person in people)
            modeladmin.message_user(request, text % {"names": names}, level)
    if not any(people for people, _level, _text in groups):
        modeladmin.message_user(
            request, gettext("Everyone selected has met this month's quota."), messages.INFO
        )


@admin.register(Assignment)
class AssignmentAdmin(RuleAdminMixin, AllOrNothingImportMixin, ImportExportMixin, HistoryAdmin):
    list_display = ["leader", "company", "term"]
    list_filter = [CurrentTermFilter, LeaderFilter]
    search_fields = [
        "company__name",
        "company__name_initials",
        "company__credit_code",
        "leader__name",
    ]
    list_select_related = ["leader", "company", "term"]
    autocomplete_fields = ["leader", "company"]
    list_per_page = 100
    actions = [remind_below_quota]

    resource_classes = [AssignmentResource]
    import_formats = [RememberedXLSX]
    export_formats = [XLSX]
    export_form_class = ExportForm
    import_template_name = "admin/activities/assignment/import.html"
    import_rows_problem = _(
        "Rows with problems: %(count)s. Correct the file and upload it "
        "again; until then the liaison table is not changed."
    )
    import_file_problem = _(
        "The file has a problem. Correct it and upload it again; until "
        "then the liaison table is not changed."
    )

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        term = Term.objects.current()
        if term is not None:
            initial.setdefault("term", term.pk)
        return initial

    def get_export_context_data(self, **kwargs):
        return {"export_url": ""}

    def add_success_message(self, result, request):
        totals = result.totals
        messages.success(
            request,
            gettext("Import finished: %(new)s assignments added, %(skipped)s already there.")
            % {
                "new": totals[RowResult.IMPORT_TYPE_NEW],
                "skipped": totals[RowResult.IMPORT_TYPE_SKIP],
            },
        )

    def get_export_filename(self, request, queryset, file_format):
        return f"liaison-table-{timezone.localdate():%Y-%m-%d}.{file_format.get_extension()}"


# --- Visits and their problems ------------------------------------------------------------


class ProblemInlineForm(forms.ModelForm):
    class Meta:
        model = Problem
        fields = ["category", "description", "owner", "due_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["due_on"].required = False
        self.fields["due_on"].help_text = _("30 days after the visit if left empty.")


class ProblemInline(RuleInlineMixin, admin.StackedInline):
    model = Problem
    form = ProblemInlineForm
    fields = ["category", "description", "owner", "due_on", "status"]
    readonly_fields = ["status"]
    autocomplete_fields = ["owner"]
    extra = 0
    show_change_link = True
    verbose_name_plural = _("problems heard (change their status on each problem's page)")


class VisitPhotoInline(RuleInlineMixin, admin.TabularInline):
    model = VisitPhoto
    fields = ["image"]
    extra = 0


class VisitAdminForm(forms.ModelForm):
    class Meta:
        model = Visit
        fields = [
            "company",
            "visited_on",
            "leader",
            "companions",
            "with_economic_office",
            "with_community_centre",
            "other_partners",
            "summary",
        ]

    def clean_visited_on(self):
        visited_on = self.cleaned_data["visited_on"]
        if visited_on > timezone.localdate():
            raise ValidationError(_("The date of a visit cannot be in the future."))
        return visited_on


@admin.register(Visit)
class VisitAdmin(RuleAdminMixin, CountedListMixin, HistoryAdmin):
    form = VisitAdminForm
    list_display = [
        "visited_on",
        "company",
        "leader",
        "companion_names",
        "partners",
        "problem_count",
    ]
    list_display_links = ["visited_on", "company"]
    list_filter = ["with_economic_office", "with_community_centre"]
    date_hierarchy = "visited_on"
    search_fields = ["company__name", "company__name_initials", "leader__name", "summary"]
    # The leader column shows str(leader), which names the person's company.
    list_select_related = ["company", "leader__company"]
    autocomplete_fields = ["company", "leader", "companions"]
    inlines = [ProblemInline, VisitPhotoInline]
    readonly_fields = ["created_by", "created_at"]
    fields = [
        "company",
        "visited_on",
        "leader",
        "companions",
        "with_economic_office",
        "with_community_centre",
        "other_partners",
        "summary",
        "created_by",
        "created_at",
    ]
    list_per_page = 100

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            # A subquery, computed for the page's rows only: Count("problems") grouped every
            # visit with its problems before the page was cut (4 s at city scale).
            .annotate(
                problem_count=Coalesce(
                    Subquery(
                        Problem.objects.filter(visit=OuterRef("pk"))
                        .order_by()
                        .values("visit")
                        .annotate(n=Count("pk"))
                        .values("n"),
                        output_field=IntegerField(),
                    ),
                    0,
                )
            )
            .prefetch_related("companions")
        )

    @admin.display(description=_("fellow leaders"))
    def companion_names(self, visit):
        return "、".join(person.name for person in visit.companions.all())

    @admin.display(description=_("offices"))
    def partners(self, visit):
        return "、".join(visit.partner_names)

    @admin.display(description=_("problems"), ordering="problem_count")
    def problem_count(self, visit):
        return visit.problem_count

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Problem:
            return super().save_formset(request, form, formset, change)
        visit = form.instance
        problems = formset.save(commit=False)
        for problem in formset.deleted_objects:
            problem.delete()
        for problem in problems:
            created = problem.pk is None
            problem.company = visit.company
            if created:
                problem.raised_on = visit.visited_on
                problem.raised_by = request.user
                problem.owner = problem.owner or visit.leader
            if problem.due_on is None:
                problem.due_on = problem.raised_on + datetime.timedelta(days=services.due_days())
            problem.save()
            if created:
                ProblemEvent.objects.create(
                    problem=problem,
                    kind=ProblemEvent.Kind.RAISED,
                    by=request.user,
                    to_status=Problem.Status.OPEN,
                )
        formset.save_m2m()


class ProblemEventInline(RuleInlineMixin, admin.TabularInline):
    model = ProblemEvent
    fields = ["at", "by", "kind", "from_status", "to_status", "satisfaction", "note", "is_internal"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("timeline")

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by__person")


class ProblemAdminForm(forms.ModelForm):
    class Meta:
        model = Problem
        fields = [
            "company",
            "visit",
            "category",
            "description",
            "attachment",
            "owner",
            "raised_on",
            "due_on",
            "status",
            "internal_notes",
            "resolution",
            "resolved_on",
            "decline_reason",
            "proposal",
        ]

    def clean(self):
        data = super().clean()
        if self.instance.pk and "status" in self.changed_data and data.get("status"):
            original = Problem.objects.get(pk=self.instance.pk)
            try:
                problems.check_transition(
                    original,
                    data["status"],
                    resolution=data.get("resolution") or "",
                    resolved_on=data.get("resolved_on"),
                    decline_reason=data.get("decline_reason") or "",
                    proposal=data.get("proposal"),
                    note=str(_("Changed in the back office.")),
                )
            except ValidationError as error:
                apply_errors(self, error)
        return data


class OverdueFilter(admin.SimpleListFilter):
    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Overdue"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.overdue()
        return queryset


@admin.register(Problem)
class ProblemAdmin(RuleAdminMixin, CountedListMixin, HistoryAdmin):
    form = ProblemAdminForm
    list_display = [
        "company",
        "category",
        "status",
        "owner",
        "raised_on",
        "due_on",
        "overdue",
        "source",
    ]
    list_filter = ["status", "category", OverdueFilter]
    date_hierarchy = "raised_on"
    search_fields = ["company__name", "company__name_initials", "description", "owner__name"]
    # The owner column shows str(owner), which names the person's company.
    list_select_related = ["company", "owner__company", "visit__leader"]
    autocomplete_fields = ["company", "owner", "visit", "proposal"]
    readonly_fields = ["raised_by", "confirmed_at", "satisfaction", "created_at"]
    inlines = [ProblemEventInline]
    list_per_page = 100
    fieldsets = [
        (None, {"fields": ["company", "visit", "category", "description", "attachment"]}),
        (_("Follow-up"), {"fields": ["owner", "raised_on", "due_on", "status", "internal_notes"]}),
        (
            _("Outcome"),
            {"fields": ["resolution", "resolved_on", "decline_reason", "proposal"]},
        ),
        (_("Record"), {"fields": ["raised_by", "confirmed_at", "satisfaction", "created_at"]}),
    ]

    @admin.display(description=_("overdue"), boolean=True)
    def overdue(self, problem):
        return problem.is_overdue

    @admin.display(description=_("source"))
    def source(self, problem):
        if problem.raised_by_company:
            return gettext("Raised by the company")
        return gettext("Visit by %(name)s") % {"name": problem.visit.leader.name}

    def save_model(self, request, obj, form, change):
        from_status = form.initial.get("status", "") if change else ""
        if not change:
            obj.raised_by = request.user
        if change and "status" in form.changed_data and from_status == Problem.Status.SOLVED:
            obj.confirmed_at = None
            obj.satisfaction = ""
        super().save_model(request, obj, form, change)
        if not change:
            ProblemEvent.objects.create(
                problem=obj, kind=ProblemEvent.Kind.RAISED, by=request.user, to_status=obj.status
            )
        elif "status" in form.changed_data:
            ProblemEvent.objects.create(
                problem=obj,
                kind=ProblemEvent.Kind.STATUS,
                by=request.user,
                from_status=from_status,
                to_status=obj.status,
                note=gettext("Changed in the back office."),
            )


class ProposalProblemInline(RuleInlineMixin, admin.TabularInline):
    model = Problem
    fields = ["company", "category", "description", "status"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = _("problems it takes up")

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("company")


class ProposalAdminForm(forms.ModelForm):
    class Meta:
        model = Proposal
        fields = [
            "title",
            "kind",
            "session",
            "body",
            "carrier",
            "status",
            "submitted_on",
            "response",
        ]

    def clean(self):
        data = super().clean()
        if data.get("carrier") and data.get("kind"):
            try:
                problems.check_carrier(data["carrier"], data["kind"])
            except ValidationError as error:
                apply_errors(self, error)
        return data


@admin.register(Proposal)
class ProposalAdmin(RuleAdminMixin, HistoryAdmin):
    form = ProposalAdminForm
    list_display = ["title", "kind", "session", "carrier", "status", "submitted_on", "problems"]
    list_filter = ["kind", "status", "session"]
    # The 四好 report links to the proposals submitted in a year (submitted_on__year).
    extra_lookups = ["submitted_on"]
    search_fields = ["title", "session", "carrier__name", "body"]
    list_select_related = ["carrier"]
    autocomplete_fields = ["carrier"]
    readonly_fields = ["created_by", "created_at"]
    inlines = [ProposalProblemInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(problem_count=Count("problems"))

    @admin.display(description=_("problems"), ordering="problem_count")
    def problems(self, proposal):
        return proposal.problem_count

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(VisitReminder)
class VisitReminderAdmin(RuleAdminMixin, admin.ModelAdmin):
    """The reminders sent: read only, they are the record that stops a second email."""

    list_display = ["month_label", "leader", "visits_done", "email", "sent_at", "sender"]
    list_filter = ["month"]
    search_fields = ["leader__name", "email"]
    protected_fields = {"email": "members.see_contacts"}
    list_select_related = ["leader", "sent_by__person"]
    date_hierarchy = "month"

    @admin.display(description=_("month"), ordering="month")
    def month_label(self, reminder):
        return f"{reminder.month:%Y-%m}"

    @admin.display(description=_("sent by"))
    def sender(self, reminder):
        if reminder.sent_by is None:
            return gettext("the daily job")
        return reminder.sent_by.display_name

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # A log the app writes: deleting a row would rewrite what happened (and let a
        # reminder go out twice).
        return False
