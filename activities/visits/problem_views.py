"""The problem ledger and a problem's page for the leadership and the secretariat; for member
companies, confirming a solved problem and raising one directly."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from chamber.models import Term
from core import limits
from core.counts import count_of, counted, counted_all
from core.files import normalised_extension, serve_private
from core.rules import RuleRequiredMixin, allows, require, rule_required
from members.models import Company, Person

from ..models import (
    Assignment,
    Problem,
    Proposal,
    Visit,
    ledger_order,
)
from . import exports, problems, uploads
from .forms import (
    PROBLEM_ACTIONS,
    AssignForm,
    ConfirmForm,
    LinkProposalForm,
    ProblemFilterForm,
    ProblemRaiseForm,
    apply_errors,
)
from .ledger import found, ledger_owners, scope_of, summary_call

Status = Problem.Status


# What a ledger card shows besides the problem.
LEDGER_RELATED = ("company", "owner", "visit__leader", "proposal")
# The tables a page of cards reads: the problems the viewer sees (for a leader, through their
# visits, companions and assignments in the term in force), the company search, the names.
CARD_TABLES = (
    Problem,
    Visit,
    Visit.companions.through,
    Assignment,
    Term,
    Company,
    Person,
    Proposal,
)


def in_ledger_order(problems):
    """``problems`` unsettled first, soonest due first, then the newest (``ledger_order``)."""
    unsettled_first, due_if_open = ledger_order()
    return problems.alias(unsettled_first=unsettled_first, due_if_open=due_if_open).order_by(
        "unsettled_first", "due_if_open", "-raised_on", "-id"
    )


class ProblemLedgerMixin(RuleRequiredMixin):
    """The ledger: every problem for the president, the secretariat and supervisors; a
    leader's own for a leader."""

    rule = "activities.see_problems"

    def count_name(self, what: str, *, filtered: bool) -> str:
        """What a cached count depends on besides the tables: the viewer, the day, filters."""
        name = f"ledger:{what}:{scope_of(self.request.roles)}:{timezone.localdate()}"
        if filtered:
            name += f":{sorted((k, v) for k, v in self.request.GET.lists() if k != 'page')}"
        return name

    def get_queryset(self):
        roles = self.request.roles
        problems = Problem.objects.visible_to(roles)
        self.filter_form = ProblemFilterForm(self.request.GET or None, owners=ledger_owners())
        if self.filter_form.is_valid():
            data = self.filter_form.cleaned_data
            if data["status"] == ProblemFilterForm.UNSETTLED:
                problems = problems.open()
            elif data["status"] == ProblemFilterForm.AWAITING:
                problems = problems.filter(status=Status.SOLVED, confirmed_at=None)
            elif data["status"]:
                problems = problems.filter(status=data["status"])
            if data["category"]:
                problems = problems.filter(category=data["category"])
            if data["owner"]:
                problems = problems.filter(owner=data["owner"])
            if data["company"].strip():
                problems = problems.filter(
                    company__in=Company.objects.search(data["company"]).values("pk")
                )
            if data["overdue"]:
                problems = problems.overdue()
        return in_ledger_order(problems).select_related(*LEDGER_RELATED)


class ProblemListView(ProblemLedgerMixin, TemplateView):
    """The ledger. Its counts read every problem (300,000 at a city federation), so they are
    kept in the shared cache until a problem, visit or assignment changes (core.counts), and
    so are the filters, the problems they find and the page of them, rendered: a page reads
    both in one cache query."""

    template_name = "activities/visits/problem_list.html"
    paginate_by = 30

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        roles = self.request.roles
        today = timezone.localdate()
        query = self.request.GET.copy()
        number = query.pop("page", [""])[-1] or "1"
        if len(number) > 10:  # no page has such a number
            raise Http404
        carries_proposals = allows("activities.carry_proposals", roles)
        # The results change with the viewer's scope, the day, the filters and the page, with
        # whether the viewer may pick problems for a proposal, and with the language.
        name = (
            f"{self.count_name('results', filtered=True)}:{number}:{int(carries_proposals)}:"
            f"{get_language()}"
        )
        counts, results = counted_all(
            summary_call(roles, today),
            (_results, name, self, number, query.urlencode(), carries_proposals),
        )
        context.update(
            counts=counts,
            results=mark_safe(results),  # rendered by _results
            query_string=query.urlencode(),
            today=today,
            carries_proposals=carries_proposals,
        )
        return context

    def get_page(self, queryset, number: str):
        """The page ``number`` (or ``last``) of ``queryset``, as ListView reads it: a 404 for
        any other. The page's problems are picked by their order alone before their company,
        owner, visit and proposal are joined: a leader follows a thousand problems after a
        few years, and joining them all before sorting cost most of the page's SQL time."""
        paginator = Paginator(queryset, self.paginate_by)
        paginator.count = counted(found, self.count_name("found", filtered=True), queryset)
        try:
            page = paginator.page(paginator.num_pages if number == "last" else int(number))
        except (ValueError, InvalidPage):
            raise Http404 from None
        start = (page.number - 1) * self.paginate_by
        picked = queryset.values("pk")[start : start + self.paginate_by]
        page.object_list = in_ledger_order(
            Problem.objects.filter(pk__in=picked).select_related(*LEDGER_RELATED)
        )
        return page


@count_of(*CARD_TABLES)
def _results(view, number: str, query_string: str, carries_proposals: bool) -> str:
    """The ledger's filters, the number of problems they find and the page ``number`` of
    them, rendered."""
    page = view.get_page(view.get_queryset(), number)
    context = {
        "filter_form": view.filter_form,
        "query_string": query_string,
        "paginator": page.paginator,
        "page_obj": page,
        "problems": page.object_list,
        "carries_proposals": carries_proposals,
    }
    return render_to_string("activities/visits/includes/_ledger_results.html", context)


class ProblemExportView(ProblemLedgerMixin, View):
    def get(self, request, *args, **kwargs):
        workbook = exports.ledger_workbook(self.get_queryset())
        return exports.response(workbook, f"problems-{timezone.localdate():%Y-%m-%d}.xlsx")


def problem_actions(problem, roles) -> list[str]:
    """The forms a person may use on a problem's page, in the order shown."""
    if not allows("activities.act_on_problem", roles, problem):
        return []
    actions = []
    allowed = problems.TRANSITIONS[problem.status]
    if Status.IN_PROGRESS in allowed:
        actions.append("start" if problem.status == Status.OPEN else "reopen")
    if Status.SOLVED in allowed:
        actions.append("solve")
    if Status.DECLINED in allowed:
        actions.append("decline")
    if Status.PROPOSAL in allowed:
        actions.append("link_proposal")
    actions.append("note")
    if allows("activities.assign_problems", roles):
        actions.append("assign")
    return actions


def linkable_proposals(roles):
    """Proposals a problem may still join: any but those not accepted."""
    return Proposal.objects.visible_to(roles).exclude(status=Proposal.Status.NOT_ACCEPTED)


def problem_forms(request, problem, bound=None) -> dict:
    forms = {}
    for action in problem_actions(problem, request.roles):
        if bound is not None and bound.action == action:
            forms[action] = bound
            continue
        form_class = PROBLEM_ACTIONS[action]
        kwargs = {"prefix": action}
        if form_class is LinkProposalForm:
            kwargs["proposals"] = linkable_proposals(request.roles)
        if form_class is AssignForm:
            kwargs["problem"] = problem
        forms[action] = form_class(**kwargs)
    return forms


def problem_queryset(roles):
    return Problem.objects.visible_to(roles).select_related(
        "company", "owner", "visit__leader", "proposal", "raised_by__person"
    )


def render_problem(request, problem, bound=None, status=200):
    roles = request.roles
    events = problem.events.select_related("by__person")
    context = {
        "problem": problem,
        "events": events,
        "forms": problem_forms(request, problem, bound),
        "today": timezone.localdate(),
        "carries_proposals": allows("activities.carry_proposals", roles) and problem.is_open,
    }
    return render(request, "activities/visits/problem_detail.html", context, status=status)


class ProblemDetailView(RuleRequiredMixin, View):
    rule = "activities.see_problems"

    def get(self, request, pk):
        problem = get_object_or_404(problem_queryset(request.roles), pk=pk)
        return render_problem(request, problem)


@require_POST
@rule_required("activities.see_problems")
def problem_update(request, pk):
    """One of the forms on a problem's page: move it on, add a note, or hand it over."""
    roles = request.roles
    problem = get_object_or_404(problem_queryset(roles), pk=pk)
    action = request.POST.get("action", "")
    if action not in problem_actions(problem, roles):
        # Not a role check: the action is not on offer (the problem's state, or the rules
        # "activities.act_on_problem" and "activities.assign_problems" in problem_actions).
        raise PermissionDenied
    form_class = PROBLEM_ACTIONS[action]
    kwargs = {"prefix": action}
    if form_class is LinkProposalForm:
        kwargs["proposals"] = linkable_proposals(roles)
    form = form_class(request.POST, **kwargs)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if action == "note":
                problems.problem_add_note(
                    problem=problem,
                    acting_user=request.user,
                    note=data["note"],
                    is_internal=data["is_internal"],
                )
                message = _("The note is added.")
            elif action == "assign":
                problems.problem_assign(
                    problem=problem,
                    acting_user=request.user,
                    owner=data["owner"],
                    due_on=data["due_on"],
                    note=data["note"],
                    request=request,
                )
                message = _("The owner and due date are saved.")
            else:
                problem = problems.problem_transition(
                    problem=problem,
                    acting_user=request.user,
                    to_status=form.to_status,
                    note=data.get("note", ""),
                    resolution=data.get("resolution", ""),
                    resolved_on=data.get("resolved_on"),
                    decline_reason=data.get("decline_reason", ""),
                    proposal=data.get("proposal"),
                    request=request,
                )
                message = _("The problem is now “%(status)s”.") % {
                    "status": problem.get_status_display()
                }
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, message)
            return redirect(reverse("activities:problem_detail", args=[pk]))
    return render_problem(request, problem, bound=form)


def member_problem(request, pk):
    """A problem of the member's own company: 403 for people who are not members, 404 for
    another company's."""
    roles = request.roles
    require("activities.follow_company_problems", roles)
    return get_object_or_404(
        Problem.objects.select_related("company", "owner"), pk=pk, company=roles.company
    )


@require_POST
def problem_confirm(request, pk):
    """The company confirms a solved problem (销号) with its satisfaction."""
    problem = member_problem(request, pk)
    form = ConfirmForm(request.POST, prefix=f"confirm-{problem.pk}")
    if form.is_valid():
        try:
            problem = problems.problem_confirm(
                problem=problem,
                acting_user=request.user,
                satisfaction=form.cleaned_data["satisfaction"],
                note=form.cleaned_data["note"],
                request=request,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if problem.status == Status.SOLVED:
                messages.success(request, _("Thank you: the problem is confirmed as solved."))
            else:
                messages.warning(
                    request,
                    _("Thank you: the problem is reopened, and its owner has been told."),
                )
            return redirect("members:me")
    return render(
        request, "activities/visits/problem_confirm.html", {"problem": problem, "form": form}
    )


# One person raising more than this many problems an hour is refused for the rest of it.
RAISES_PER_HOUR = 10


class ProblemRaiseView(RuleRequiredMixin, View):
    """企业诉求直通车: a member company raises a problem without waiting for a visit."""

    template_name = "activities/visits/problem_raise.html"
    rule = "activities.raise_problems"

    def get(self, request):
        return self.render(ProblemRaiseForm(prefix="raise"), "")

    def post(self, request):
        token = request.POST.get("kept_attachment", "")
        limit_key = f"problem-raise:{request.user.pk}"
        if limits.exceeded(limit_key, RAISES_PER_HOUR, 3600):
            # Refused before the attachment is read; what was typed comes back.
            form = ProblemRaiseForm(request.POST, prefix="raise")
            form.add_error(
                None,
                _(
                    "You have raised %(count)s problems within the hour, the most one person can "
                    "send in an hour. Please send this one a little later."
                )
                % {"count": RAISES_PER_HOUR},
            )
            return self.render(form, token if uploads.original_name(token) else "")
        form = ProblemRaiseForm(request.POST, request.FILES, prefix="raise")
        kept = uploads.take(token, user=request.user) if token else None
        if form.is_valid():
            attachment = form.cleaned_data["attachment"] or kept
            try:
                problem = problems.problem_raise_by_company(
                    acting_user=request.user,
                    company=request.roles.company,
                    category=form.cleaned_data["category"],
                    description=form.cleaned_data["description"],
                    attachment=attachment,
                    request=request,
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                limits.hit(limit_key, RAISES_PER_HOUR, 3600)
                if kept is not None:
                    uploads.discard([kept])
                messages.success(
                    request,
                    _(
                        "Your problem is in the chamber's ledger; %(owner)s follows it up and "
                        "has been told."
                    )
                    % {"owner": problem.owner.name if problem.owner else _("the secretariat")},
                )
                return redirect("members:me")
        if kept is None:
            token = ""
        new = form.cleaned_data.get("attachment") if hasattr(form, "cleaned_data") else None
        if new:
            if kept is not None:  # The new file replaces the one kept before.
                uploads.discard([kept])
            token = uploads.keep(new, user=request.user)
        return self.render(form, token)

    def render(self, form, token):
        context = {
            "form": form,
            "kept_attachment": token,
            "kept_name": uploads.original_name(token) if token else "",
        }
        return render(self.request, self.template_name, context)


def problem_attachment(request, pk):
    """The file a company sent with its problem, for those who may see the problem."""
    roles = request.roles
    problem = (
        problem_queryset(roles).filter(pk=pk).first()
        if allows("activities.see_problems", roles)
        else None
    )
    if problem is None and allows("activities.follow_company_problems", roles):
        problem = Problem.objects.filter(pk=pk, company=roles.company).first()
    if problem is None or not problem.attachment:
        raise Http404
    filename = _("Attachment of problem %(number)s") % {"number": problem.pk}
    extension = normalised_extension(problem.attachment.name)
    return serve_private(
        request,
        problem.attachment,
        filename=f"{filename}.{extension}" if extension else filename,
        as_attachment=True,
    )
