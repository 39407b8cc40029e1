"""/development/: the 会员发展工作小组's pipeline of prospects and applications to join, for the
group and the secretariat."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import InvalidPage, Paginator
from django.db.models import Case, Count, IntegerField, Prefetch, Q, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import CreateView, DetailView, TemplateView

from chamber.models import WorkingGroup
from core.files import serve_private
from core.rules import RuleRequiredMixin, allows, rule_required
from core.templatetags.fragments import Fragment
from members.models import Company, Person, Prospect

from . import services
from .forms import DecisionForm, NoteForm, ProspectForm
from .models import Application, Note

OPEN_STAGES = [
    Prospect.Stage.LEAD,
    Prospect.Stage.CONTACTED,
    Prospect.Stage.INTERESTED,
    Prospect.Stage.APPLIED,
]
STAGE_ORDER = Case(
    *[When(stage=stage, then=Value(i)) for i, stage in enumerate(Prospect.Stage.values)],
    output_field=IntegerField(),
)


def owner_choices(prospect=None):
    """Who may follow a prospect: the group's people, and whoever follows it now."""
    people = Q(group_memberships__group__kind=WorkingGroup.Kind.MEMBERSHIP)
    if prospect is not None and prospect.owner_id:
        people |= Q(pk=prospect.owner_id)
    return Person.objects.filter(people).distinct().order_by("name")


class PipelineView(RuleRequiredMixin, TemplateView):
    """Every prospect and application in one list, by stage, the next step first."""

    rule = "development.work_pipeline"
    template_name = "development/pipeline.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        """The list is rendered once per stage, "mine", page and day and kept in the shared
        cache until a prospect, an application, a person or a company changes
        (core.templatetags.fragments): the group opens it many times a day."""
        context = super().get_context_data(**kwargs)
        stage = self.request.GET.get("stage", "")
        if stage not in Prospect.Stage.values and stage != "all":
            stage = ""
        mine = self.request.GET.get("mine") == "1"
        person = self.request.roles.person
        number = self.request.GET.get("page") or 1
        if number != "last":
            try:
                number = int(number)
            except ValueError:
                raise Http404(_("That page of the pipeline does not exist.")) from None
        today = timezone.localdate()
        owner = person.pk if mine and person is not None else None
        query = self.request.GET.copy()
        query.pop("page", None)
        context["pipeline_fragment"] = Fragment(
            f"development:pipeline:{stage}:{mine}:{owner}:{number}:{today}:{query.urlencode()}",
            (Prospect, Application, Person, Company),
            lambda: self.pipeline(stage, mine, person, number, today, query.urlencode()),
        )
        return context

    def pipeline(self, stage, mine, person, number, today, query_string) -> dict:
        prospects = Prospect.objects.select_related("owner", "application", "converted_company")
        if stage in Prospect.Stage.values:
            prospects = prospects.filter(stage=stage)
        elif stage != "all":
            prospects = prospects.filter(stage__in=OPEN_STAGES)
        if mine:
            prospects = prospects.filter(owner=person)
        prospects = prospects.alias(stage_order=STAGE_ORDER).order_by(
            "stage_order", "next_step_on", "-updated_at", "pk"
        )
        paginator = Paginator(prospects, self.paginate_by)
        try:
            page = paginator.page(paginator.num_pages if number == "last" else number)
        except InvalidPage:
            raise Http404(_("That page of the pipeline does not exist.")) from None
        rows = list(page.object_list)
        duplicates = services.duplicates_for(rows)
        for row in rows:
            row.duplicates = duplicates[row.pk]
            row.application_or_none = getattr(row, "application", None)
        counts = Prospect.objects.aggregate(
            **{stage: Count("pk", filter=Q(stage=stage)) for stage in Prospect.Stage.values}
        )
        return dict(
            rows=rows,
            page_obj=page,
            paginator=paginator,
            is_paginated=page.has_other_pages(),
            query_string=query_string,
            stages=[(value, label, counts[value]) for value, label in Prospect.Stage.choices],
            open_count=sum(counts[stage] for stage in OPEN_STAGES),
            stage=stage,
            mine=mine,
            today=today,
        )


class ProspectCreateView(RuleRequiredMixin, CreateView):
    rule = "development.work_pipeline"
    model = Prospect
    form_class = ProspectForm
    template_name = "development/prospect_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["owners"] = owner_choices()
        return kwargs

    def get_initial(self):
        return {"owner": self.request.roles.person, "stage": Prospect.Stage.LEAD}

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("%(name)s is in the pipeline.") % {"name": self.object})
        return response

    def get_success_url(self):
        return reverse("development:prospect_detail", args=[self.object.pk])


class ProspectDetailView(RuleRequiredMixin, DetailView):
    rule = "development.work_pipeline"
    model = Prospect
    template_name = "development/prospect_detail.html"

    def get_queryset(self):
        return Prospect.objects.select_related(
            "owner",
            "converted_company",
            "application__recommended_by",
            "application__checked_by",
            "application__decided_by",
        ).prefetch_related(
            Prefetch("pipeline_notes", queryset=Note.objects.select_related("author__person"))
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        prospect = self.object
        application = getattr(prospect, "application", None)
        roles = self.request.roles
        context.update(
            application=application,
            duplicates=services.duplicates_for([prospect])[prospect.pk],
            form=kwargs.get("form")
            or ProspectForm(instance=prospect, owners=owner_choices(prospect)),
            note_form=kwargs.get("note_form") or NoteForm(),
            decision_form=kwargs.get("decision_form")
            or DecisionForm(initial={"decided_on": timezone.localdate()}),
            may_decide=allows("development.decide_applications", roles),
        )
        return context


def _prospect(pk):
    return get_object_or_404(Prospect.objects.select_related("application"), pk=pk)


def _again(request, prospect, **forms):
    view = ProspectDetailView()
    view.setup(request, pk=prospect.pk)
    view.object = view.get_object()
    return view.render_to_response(view.get_context_data(**forms))


@require_POST
@rule_required("development.work_pipeline")
def prospect_update(request, pk):
    prospect = _prospect(pk)
    form = ProspectForm(request.POST, instance=prospect, owners=owner_choices(prospect))
    if not form.is_valid():
        return _again(request, prospect, form=form)
    form.save()
    messages.success(request, _("Saved."))
    return redirect("development:prospect_detail", prospect.pk)


@require_POST
@rule_required("development.work_pipeline")
def note_add(request, pk):
    prospect = _prospect(pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _again(request, prospect, note_form=form)
    Note.objects.create(prospect=prospect, author=request.user, text=form.cleaned_data["text"])
    prospect.save(update_fields=["updated_at"])
    return redirect("development:prospect_detail", prospect.pk)


def _application_or_404(prospect) -> Application:
    application = getattr(prospect, "application", None)
    if application is None:
        raise ValidationError(_("This prospect has no application."), code="no_application")
    return application


def _step(request, pk, service, done_message):
    prospect = _prospect(pk)
    try:
        service(application=_application_or_404(prospect), acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done_message)
    return redirect("development:prospect_detail", prospect.pk)


@require_POST
@rule_required("development.work_pipeline")
def application_recommend(request, pk):
    """The group recommends an application to the secretariat (章程第八条（二）)."""
    return _step(
        request,
        pk,
        services.application_recommend,
        _("The application is recommended to the secretariat."),
    )


@require_POST
@rule_required("development.decide_applications")
def application_check(request, pk):
    """The secretariat has checked an application: it goes to the executive committee."""
    return _step(
        request,
        pk,
        services.application_check,
        _("The application goes to the executive committee."),
    )


@require_POST
@rule_required("development.decide_applications")
def application_decide(request, pk):
    prospect = _prospect(pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _again(request, prospect, decision_form=form)
    try:
        application = services.application_decide(
            application=_application_or_404(prospect),
            approved=form.cleaned_data["decision"] == Application.Status.APPROVED,
            decided_on=form.cleaned_data["decided_on"],
            note=form.cleaned_data["note"],
            acting_user=request.user,
            request=request,
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _again(request, prospect, decision_form=form)
    if application.status == Application.Status.APPROVED:
        messages.success(
            request,
            _("%(name)s is a member company now; its contact has been invited to log in.")
            % {"name": application.company_name}
            if application.contact_email
            else _("%(name)s is a member company now.") % {"name": application.company_name},
        )
    else:
        messages.success(request, _("The decision is recorded."))
    return redirect("development:prospect_detail", prospect.pk)


@rule_required("development.work_pipeline")
def licence(request, pk):
    application = get_object_or_404(Application, pk=pk)
    return serve_private(request, application.licence)
