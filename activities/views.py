"""Pages of the visit rule: my visits, logging and editing a visit, the compliance board, the
problem ledger and a problem's page, proposals; and, for member companies, confirming a solved
problem and raising one directly."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, Max, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import DetailView, ListView, TemplateView

from core import limits
from core.files import normalised_extension, serve_private
from core.rules import RuleRequiredMixin, allows, require, rule_required
from members.counts import counted
from members.models import Company, Person

from . import exports, services, uploads
from .compliance import compliance_board, coverage, leader_year
from .forms import (
    MAX_PHOTOS,
    PROBLEM_ACTIONS,
    AssignForm,
    ConfirmForm,
    LinkProposalForm,
    ProblemFilterForm,
    ProblemFormSet,
    ProblemRaiseForm,
    ProposalForm,
    VisitForm,
    YearForm,
    apply_errors,
    problems_as_text,
)
from .ledger import ledger_summary, ledger_tables, scope_of
from .models import (
    Assignment,
    Problem,
    Proposal,
    Visit,
    VisitPhoto,
    ledger_order,
    visits_per_month,
)

Status = Problem.Status


# --- Visits -------------------------------------------------------------------------------


class VisitListView(RuleRequiredMixin, ListView):
    """我的走访: a leader's month against the quota, their companies by how long since the
    last visit, their open problems and their visits. The secretariat and supervisors see the
    chamber's latest visits."""

    template_name = "activities/visit_list.html"
    paginate_by = 10
    rule = "activities.see_visits"

    def get_queryset(self):
        roles = self.request.roles
        # A correlated count, worked out for the ten visits shown; a JOIN and GROUP BY would
        # count the problems of every visit before the page is cut.
        problems = (
            Problem.objects.filter(visit=OuterRef("pk"))
            .order_by()
            .values("visit")
            .annotate(n=Count("pk"))
            .values("n")
        )
        visits = Visit.objects.select_related("company", "leader").annotate(
            problem_count=Coalesce(Subquery(problems), 0)
        )
        if roles.is_leader:
            visits = visits.involving(roles.person)
        else:
            visits = visits.visible_to(roles)
        return visits.order_by("-visited_on", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        roles = self.request.roles
        context["logs_visits"] = allows("activities.log_visits", roles)
        if not roles.is_leader:
            return context
        person = roles.person
        today = timezone.localdate()
        year = leader_year(person, today)
        this_month = year[today.month - 1]
        companies = list(
            Company.objects.filter(
                pk__in=Assignment.objects.current(today).filter(leader=person).values("company_id")
            )
            .annotate(last_visit=Max("visits__visited_on"))
            .only("name", "name_pinyin", "status")
            .order_by(F("last_visit").asc(nulls_first=True), "name_pinyin")
        )
        for company in companies:
            company.days_since = (today - company.last_visit).days if company.last_visit else None
        open_problems = (
            Problem.objects.followed_by(person)
            .open()
            .select_related("company", "owner")
            .order_by("due_on", "pk")
        )
        context.update(
            is_my_page=True,
            today=today,
            year_cells=year,
            this_month=this_month,
            quota=this_month.required,
            missing=max(this_month.required - this_month.done, 0),
            dots=[index < this_month.done for index in range(this_month.required)],
            assigned_companies=companies,
            open_problems=list(open_problems[:50]),
            carries_proposals=allows("activities.carry_proposals", roles),
        )
        return context


class VisitFormView(RuleRequiredMixin, View):
    """Log a visit (``visit`` None) or edit one, with photos and the problems heard, in one
    transaction. A form that comes back keeps everything typed, photos included."""

    template_name = "activities/visit_form.html"
    visit = None
    rule = "activities.log_visits"

    def get_forms(self, data=None, files=None):
        roles = self.request.roles
        initial = {}
        if self.visit is not None:
            visit = self.visit
            initial = {
                "company": str(visit.company_id),
                "visited_on": visit.visited_on,
                "companions": [person.pk for person in visit.companions.all()],
                "with_economic_office": visit.with_economic_office,
                "with_community_centre": visit.with_community_centre,
                "other_partners": visit.other_partners,
                "summary": visit.summary,
            }
        elif self.request.GET.get("company", "").isdigit():
            initial["company"] = self.request.GET["company"]
        form = VisitForm(data, files, roles=roles, visit=self.visit, initial=initial)
        formset = ProblemFormSet(data, prefix="problems")
        if self.visit is not None and data is None:
            formset.extra = 1
        return form, formset

    def get(self, request, *args, **kwargs):
        form, formset = self.get_forms()
        return self.render(form, formset, [])

    def post(self, request, *args, **kwargs):
        user = request.user
        form, formset = self.get_forms(request.POST, request.FILES)
        kept = []
        # Each kept file once and no more than a visit holds, before any file is read.
        tokens = uploads.unique(request.POST.getlist("kept_photos"), user=user, limit=MAX_PHOTOS)
        for token in tokens:
            file = uploads.take(token, user=user)
            if file is not None:
                kept.append((token, file))
        valid = form.is_valid() & formset.is_valid()
        photos = [file for _token, file in kept] + form.good_photos
        if valid and len(photos) + self.photo_count() > MAX_PHOTOS:
            form.add_error(
                "photos", _("At most %(count)s photos for a visit.") % {"count": MAX_PHOTOS}
            )
            valid = False
        if valid:
            drafts = [
                services.ProblemDraft(row.cleaned_data["category"], row.cleaned_data["description"])
                for row in formset
                if row.cleaned_data.get("category")
            ]
            try:
                visit = self.save(form, photos, drafts)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                uploads.discard(file for _token, file in kept)
                return self.saved(visit, drafts)
        tokens = [token for token, _file in kept]
        tokens += [uploads.keep(photo, user=user) for photo in form.good_photos]
        return self.render(form, formset, tokens, status=200)

    def photo_count(self) -> int:
        return 0

    def save(self, form, photos, drafts):
        data = form.cleaned_data
        return services.visit_record(
            acting_user=self.request.user,
            leader=form.visit_leader,
            company=data["company"],
            visited_on=data["visited_on"],
            summary=data["summary"],
            companions=data["companions"],
            photos=photos,
            problems=drafts,
            **form.partner_data(),
        )

    def saved(self, visit, drafts):
        done = leader_year(visit.leader)[timezone.localdate().month - 1].done
        messages.success(
            self.request,
            _(
                "The visit to %(company)s is logged with %(problems)s problems. This month: "
                "%(done)s of %(quota)s companies visited."
            )
            % {
                "company": visit.company.name,
                "problems": len(drafts),
                "done": done,
                "quota": visits_per_month(),
            },
        )
        if self.request.roles.is_leader and visit.leader_id == self.request.roles.person.pk:
            return redirect("activities:visit_list")
        return redirect(visit)

    def render(self, form, formset, tokens, status=200):
        user = self.request.user
        kept = [
            {
                "token": token,
                "url": uploads.url(token, user=user),
                "name": uploads.original_name(token),
            }
            for token in tokens
        ]
        context = {
            "form": form,
            "formset": formset,
            "kept_photos": kept,
            "visit": self.visit,
            "photos": list(self.visit.photos.all()) if self.visit else [],
            "max_photos": MAX_PHOTOS,
        }
        return render(self.request, self.template_name, context, status=status)


class VisitCreateView(VisitFormView):
    pass


class VisitUpdateView(VisitFormView):
    rule = "activities.edit_visit"

    def dispatch(self, request, *args, **kwargs):
        require(self.rule, request.roles)
        self.visit = get_object_or_404(
            Visit.objects.editable_by(request.roles)
            .select_related("company", "leader")
            .prefetch_related("companions", "photos"),
            pk=kwargs["pk"],
        )
        return super().dispatch(request, *args, **kwargs)

    def photo_count(self) -> int:
        removed = set(self.request.POST.getlist("remove_photos"))
        return sum(1 for photo in self.visit.photos.all() if str(photo.pk) not in removed)

    def save(self, form, photos, drafts):
        data = form.cleaned_data
        removed = set(self.request.POST.getlist("remove_photos"))
        return services.visit_update(
            visit=self.visit,
            acting_user=self.request.user,
            company=data["company"],
            visited_on=data["visited_on"],
            summary=data["summary"],
            companions=data["companions"],
            add_photos=photos,
            remove_photos=[p for p in self.visit.photos.all() if str(p.pk) in removed],
            problems=drafts,
            **form.partner_data(),
        )

    def saved(self, visit, drafts):
        messages.success(
            self.request, _("The visit to %(company)s is saved.") % {"company": visit.company.name}
        )
        return redirect(visit)


class VisitDetailView(RuleRequiredMixin, DetailView):
    template_name = "activities/visit_detail.html"
    context_object_name = "visit"
    rule = "activities.see_visits"

    def get_queryset(self):
        return (
            Visit.objects.visible_to(self.request.roles)
            .select_related("company", "leader", "created_by__person")
            .prefetch_related(
                "companions",
                "photos",
                Prefetch("problems", queryset=Problem.objects.select_related("owner")),
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_edit"] = allows("activities.edit_visit", self.request.roles, self.object)
        return context


@require_GET
def visit_photo(request, pk, thumbnail=False):
    """A visit's photo (or its thumbnail), for those who may see the visit."""
    photo = get_object_or_404(
        VisitPhoto.objects.filter(visit__in=Visit.objects.visible_to(request.roles)), pk=pk
    )
    return serve_private(request, (thumbnail and photo.thumbnail) or photo.image)


@require_GET
def kept_photo(request, token):
    """A photo kept while the visit form came back with an error: only for its uploader."""
    file = uploads.stored(token, user=request.user)
    if file is None:
        raise Http404
    return serve_private(request, file)


# --- Compliance -----------------------------------------------------------------------------


class ComplianceView(RuleRequiredMixin, TemplateView):
    """Leaders × months against the quota, and the companies longest without a visit."""

    template_name = "activities/compliance.html"
    rule = "activities.see_compliance"

    leaders_per_page = 30
    companies_per_bucket = 30

    def get_year(self) -> int:
        form = YearForm(self.request.GET)
        return form.cleaned_data["year"] if form.is_valid() else timezone.localdate().year

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        year = self.get_year()
        board = compliance_board(year, today)
        # A city federation has 400 leaders: the board shows them a page at a time, with the
        # totals of all of them; the Excel export holds everyone.
        page = Paginator(board.rows, self.leaders_per_page).get_page(self.request.GET.get("page"))
        buckets = counted(
            (Visit, Company, Assignment),
            f"coverage:{today}",
            lambda: coverage(today, limit=self.companies_per_bucket),
        )
        context.update(
            year=year,
            today=today,
            board=board,
            page_obj=page,
            leader_rows=page.object_list,
            query_string=f"year={year}",
            buckets=buckets,
            previous_year=year - 1,
            next_year=year + 1 if year < today.year else None,
            short_rows=[row for row in page.object_list if row.months_short],
        )
        return context


class ComplianceExportView(ComplianceView):
    def get(self, request, *args, **kwargs):
        today = timezone.localdate()
        year = self.get_year()
        workbook = exports.compliance_workbook(compliance_board(year, today), coverage(today))
        return exports.response(workbook, f"visits-{year}.xlsx")


# --- Problems -------------------------------------------------------------------------------


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
        self.summary = ledger_summary(roles, timezone.localdate())
        owners = Person.objects.filter(pk__in=self.summary["owner_ids"]).order_by("name")
        self.filter_form = ProblemFilterForm(self.request.GET or None, owners=owners)
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
        unsettled_first, due_if_open = ledger_order()
        return (
            problems.select_related("company", "owner", "visit__leader", "proposal")
            .alias(unsettled_first=unsettled_first, due_if_open=due_if_open)
            .order_by("unsettled_first", "due_if_open", "-raised_on", "-id")
        )


class ProblemListView(ProblemLedgerMixin, ListView):
    """The ledger. Its counts read every problem (300,000 at a city federation), so they are
    kept in the shared cache until a problem, visit or assignment changes (members.counts)."""

    template_name = "activities/problem_list.html"
    context_object_name = "problems"
    paginate_by = 30

    def get_paginator(self, queryset, per_page, **kwargs):
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        paginator.count = counted(
            ledger_tables(), self.count_name("found", filtered=True), queryset.count
        )
        return paginator

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        roles = self.request.roles
        today = timezone.localdate()
        counts = self.summary
        context.update(
            filter_form=self.filter_form,
            query_string=query.urlencode(),
            today=today,
            counts=counts,
            carries_proposals=allows("activities.carry_proposals", roles),
        )
        return context


class ProblemExportView(ProblemLedgerMixin, View):
    def get(self, request, *args, **kwargs):
        workbook = exports.ledger_workbook(self.get_queryset())
        return exports.response(workbook, f"problems-{timezone.localdate():%Y-%m-%d}.xlsx")


def problem_actions(problem, roles) -> list[str]:
    """The forms a person may use on a problem's page, in the order shown."""
    if not allows("activities.act_on_problem", roles, problem):
        return []
    actions = []
    allowed = services.TRANSITIONS[problem.status]
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
    return render(request, "activities/problem_detail.html", context, status=status)


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
                services.problem_add_note(
                    problem=problem,
                    acting_user=request.user,
                    note=data["note"],
                    is_internal=data["is_internal"],
                )
                message = _("The note is added.")
            elif action == "assign":
                services.problem_assign(
                    problem=problem,
                    acting_user=request.user,
                    owner=data["owner"],
                    due_on=data["due_on"],
                    note=data["note"],
                )
                message = _("The owner and due date are saved.")
            else:
                problem = services.problem_transition(
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
            problem = services.problem_confirm(
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
    return render(request, "activities/problem_confirm.html", {"problem": problem, "form": form})


# One person raising more than this many problems an hour is refused for the rest of it.
RAISES_PER_HOUR = 10


class ProblemRaiseView(RuleRequiredMixin, View):
    """企业诉求直通车: a member company raises a problem without waiting for a visit."""

    template_name = "activities/problem_raise.html"
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
                problem = services.problem_raise_by_company(
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


# --- Proposals ----------------------------------------------------------------------------


class ProposalsMixin(RuleRequiredMixin):
    rule = "activities.see_proposals"


class ProposalListView(ProposalsMixin, ListView):
    template_name = "activities/proposal_list.html"
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
    template_name = "activities/proposal_detail.html"
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

    template_name = "activities/proposal_form.html"
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
                proposal = services.proposal_create_from_problems(
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
    template_name = "activities/proposal_form.html"
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
                proposal = services.proposal_update(
                    proposal=proposal, acting_user=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The proposal is saved."))
                return redirect(proposal)
        return render(request, self.template_name, {"form": form, "proposal": proposal})
