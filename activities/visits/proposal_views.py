"""Proposals (建议) the chamber makes of the problems heard: list, page, writing and editing."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView

from core.rules import RuleRequiredMixin, allows

from ..models import (
    Problem,
    Proposal,
)
from . import problems
from .forms import (
    ProposalForm,
    apply_errors,
    problems_as_text,
)

Status = Problem.Status


class ProposalsMixin(RuleRequiredMixin):
    rule = "activities.see_proposals"


class ProposalListView(ProposalsMixin, ListView):
    template_name = "activities/visits/proposal_list.html"
    context_object_name = "proposals"
    paginate_by = 30

    def get_queryset(self):
        return (
            Proposal.objects.visible_to(self.request.roles)
            .select_related("carrier")
            .annotate(problem_count=Count("problems"))
            .order_by("-created_at", "-pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["carries_proposals"] = allows("activities.carry_proposals", self.request.roles)
        return context


class ProposalDetailView(ProposalsMixin, DetailView):
    template_name = "activities/visits/proposal_detail.html"
    context_object_name = "proposal"

    def get_queryset(self):
        return (
            Proposal.objects.visible_to(self.request.roles)
            .select_related("carrier", "created_by__person")
            .prefetch_related(
                Prefetch("problems", queryset=Problem.objects.select_related("company", "owner"))
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_edit"] = allows("activities.edit_proposal", self.request.roles, self.object)
        return context


class ProposalCreateView(RuleRequiredMixin, View):
    """A leader who sits in the CPPCC or the People's Congress turns problems into a proposal."""

    template_name = "activities/visits/proposal_form.html"
    rule = "activities.carry_proposals"

    def problems(self):
        return (
            Problem.objects.visible_to(self.request.roles)
            .acted_on_by(self.request.roles)
            .open()
            .select_related("company", "visit")
            .order_by("company__name_pinyin", "pk")
        )

    def get(self, request):
        problems = self.problems()
        chosen = [pk for pk in request.GET.getlist("problems") if pk.isdigit()]
        chosen_problems = [problem for problem in problems if str(problem.pk) in chosen]
        form = ProposalForm(
            problems=problems,
            carrier=request.roles.person,
            initial={
                "problems": [problem.pk for problem in chosen_problems],
                "body": problems_as_text(chosen_problems),
                "status": Proposal.Status.DRAFT,
            },
        )
        return render(request, self.template_name, {"form": form, "creating": True})

    def post(self, request):
        form = ProposalForm(request.POST, problems=self.problems(), carrier=request.roles.person)
        if form.is_valid():
            data = form.cleaned_data
            try:
                proposal = problems.proposal_create_from_problems(
                    acting_user=request.user,
                    carrier=request.roles.person,
                    title=data["title"],
                    body=data["body"],
                    session=data["session"],
                    kind=data["kind"],
                    status=data["status"],
                    submitted_on=data["submitted_on"],
                    problems=data["problems"],
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The proposal is saved; its %(count)s problems are now “%(status)s”.")
                    % {"count": len(data["problems"]), "status": Status.PROPOSAL.label},
                )
                return redirect(proposal)
        return render(request, self.template_name, {"form": form, "creating": True})


class ProposalUpdateView(RuleRequiredMixin, View):
    template_name = "activities/visits/proposal_form.html"
    rule = "activities.edit_proposal"

    def get_proposal(self, pk):
        return get_object_or_404(
            Proposal.objects.editable_by(self.request.roles).select_related("carrier"), pk=pk
        )

    def get(self, request, pk):
        proposal = self.get_proposal(pk)
        form = ProposalForm(
            creating=False,
            initial={
                name: getattr(proposal, name)
                for name in (
                    "title",
                    "kind",
                    "session",
                    "body",
                    "status",
                    "submitted_on",
                    "response",
                )
            },
        )
        return render(request, self.template_name, {"form": form, "proposal": proposal})

    def post(self, request, pk):
        proposal = self.get_proposal(pk)
        form = ProposalForm(request.POST, creating=False)
        if form.is_valid():
            try:
                proposal = problems.proposal_update(
                    proposal=proposal, acting_user=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The proposal is saved."))
                return redirect(proposal)
        return render(request, self.template_name, {"form": form, "proposal": proposal})
