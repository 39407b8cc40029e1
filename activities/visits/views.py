"""Pages of the visit rule: my visits, logging and editing a visit, its photos, and the
compliance board. The problem ledger is in ``problem_views``, proposals in ``proposal_views``."""

import datetime
import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_GET
from django.views.generic import DetailView, TemplateView

from chamber.models import Position, Term
from core.counts import counted
from core.files import serve_private
from core.rules import RuleRequiredMixin, allows, require
from core.templatetags.fragments import Fragment
from core.time import parse_year
from members.models import Company, Person

from ..models import (
    Assignment,
    CompanyLastVisit,
    Problem,
    Visit,
    VisitMonth,
    VisitPhoto,
    visits_per_month,
)
from . import exports, services, uploads
from .compliance import board_figures, compliance_board, coverage, leader_figures, leader_year
from .forms import (
    MAX_PHOTOS,
    ProblemFormSet,
    VisitForm,
    apply_errors,
)

Status = Problem.Status

_AFTER = re.compile(r"(\d{4}-\d{2}-\d{2})\.(\d{1,18})")


def page_after(token: str):
    """The (date, id) of the last visit of the page before, from ``?before=2026-11-03.123``;
    None for the first page, and for anything else (a mistyped or tampered link)."""
    match = _AFTER.fullmatch(token)
    if match is None:
        return None
    try:
        return datetime.date.fromisoformat(match[1]), int(match[2])
    except ValueError:
        return None


# --- Visits -------------------------------------------------------------------------------

# The tables behind a leader's own part of /visits/: their year and companies (visits, fellow
# leaders, assignments of the term in force, companies), the problems they follow and the
# names of the visits' leaders.
LEADER_PAGE_TABLES = (
    Visit,
    Visit.companions.through,
    VisitMonth,
    CompanyLastVisit,
    Assignment,
    Term,
    Company,
    Problem,
    Person,
)


class VisitListView(RuleRequiredMixin, TemplateView):
    """我的走访: a leader's month against the quota, their companies by how long since the
    last visit, their open problems and their visits. The secretariat and supervisors see the
    chamber's latest visits.

    The visits come ten at a time, newest first, each page continuing after the last visit of
    the one before (``?before=<date>.<id>``): a page costs the same on the tenth year of
    visits as on the first, where numbered pages would count and sort them all."""

    template_name = "activities/visits/visit_list.html"
    paginate_by = 10
    rule = "activities.see_visits"

    def get_visits(self, before):
        """A page of visits (one more than shown, to know whether there are older ones)."""
        roles = self.request.roles
        # A correlated count, worked out for the visits shown; a JOIN and GROUP BY would
        # count the problems of every visit before the page is cut.
        problems = (
            Problem.objects.filter(visit=OuterRef("pk"))
            .order_by()
            .values("visit")
            .annotate(n=Count("pk"))
            .values("n")
        )
        visits = (
            Visit.objects.select_related("company", "leader")
            .only("visited_on", "company__name", "leader__name")
            .annotate(problem_count=Coalesce(Subquery(problems), 0))
        )
        if before is not None:
            day, pk = before
            visits = visits.filter(Q(visited_on__lt=day) | Q(visited_on=day, pk__lt=pk))
        size = self.paginate_by + 1
        if not roles.is_leader:
            return list(visits.visible_to(roles).order_by("-visited_on", "-pk")[:size])
        # Those they led and those they came along on, each the latest first from its own
        # index, merged: one WHERE with an OR (or a UNION under an IN) reads every visit of
        # the leader's years before keeping ten.
        person = roles.person
        branches = (visits.filter(leader=person), visits.filter(companions=person))
        merged = {}
        for branch in branches:
            for visit in branch.order_by("-visited_on", "-pk")[:size]:
                merged[visit.pk] = visit
        return sorted(merged.values(), key=lambda v: (v.visited_on, v.pk), reverse=True)[:size]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        roles = self.request.roles
        before = page_after(self.request.GET.get("before", ""))
        context.update(
            logs_visits=allows("activities.log_visits", roles),
            is_later_page=before is not None,
        )
        if not roles.is_leader:
            context.update(self.visits_context(before))
            return context
        person = roles.person
        today = timezone.localdate()
        page = "" if before is None else f"{before[0].isoformat()}.{before[1]}"
        context.update(
            is_my_page=True,
            today=today,
            quota=visits_per_month(),
            # The leader's month, companies, problems and visits, rendered once a day and
            # again whenever a table they read changes.
            leader_fragment=Fragment(
                f"visits:leader:{person.pk}:{today}:{page}",
                LEADER_PAGE_TABLES,
                lambda: self.leader_context(person, today, before),
            ),
        )
        return context

    def visits_context(self, before) -> dict:
        visits = self.get_visits(before)
        shown = visits[: self.paginate_by]
        return {
            "visits": shown,
            "older": f"{shown[-1].visited_on.isoformat()}.{shown[-1].pk}"
            if len(visits) > self.paginate_by
            else "",
        }

    def leader_context(self, person, today, before) -> dict:
        year, assigned = leader_figures(person, today)
        this_month = year[today.month - 1]
        companies = []
        for pk, name, last_visit in assigned:
            company = Company(pk=pk, name=name)
            company.last_visit = last_visit
            company.days_since = (today - last_visit).days if last_visit else None
            companies.append(company)
        open_problems = (
            Problem.objects.followed_by(person, unsettled=True)
            .select_related("company")
            .only("category", "status", "due_on", "company__name")
            .order_by("due_on", "pk")
        )
        return {
            **self.visits_context(before),
            "year_cells": year,
            "this_month": this_month,
            "missing": max(this_month.required - this_month.done, 0),
            "dots": [index < this_month.done for index in range(this_month.required)],
            "assigned_companies": companies,
            "open_problems": list(open_problems[:50]),
        }


class VisitFormView(RuleRequiredMixin, View):
    """Log a visit (``visit`` None) or edit one, with photos and the problems heard, in one
    transaction. A form that comes back keeps everything typed, photos included."""

    template_name = "activities/visits/visit_form.html"
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
    template_name = "activities/visits/visit_detail.html"
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

# The tables behind the board (seats and terms, people, the roll-up of companies visited per
# month) and the coverage lists (companies, their last visits and responsible leaders).
BOARD_TABLES = (
    Position,
    Term,
    Person,
    VisitMonth,
    CompanyLastVisit,
    Company,
    Assignment,
)


class ComplianceView(RuleRequiredMixin, TemplateView):
    """Leaders × months against the quota, and the companies longest without a visit."""

    template_name = "activities/visits/compliance.html"
    rule = "activities.see_compliance"

    leaders_per_page = 30
    companies_per_bucket = 30

    def get_year(self) -> int:
        return parse_year(self.request.GET.get("year"), timezone.localdate().year)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        year = self.get_year()
        # A page number as typed (a mistyped one shows the first page).
        number = self.request.GET.get("page", "")
        number = number if number.isdigit() and len(number) <= 4 else "1"
        context.update(
            year=year,
            today=today,
            quota=visits_per_month(),
            previous_year=year - 1,
            next_year=year + 1 if year < today.year else None,
            # The board and the coverage lists, the same for everyone who may see them,
            # rendered once a day and again whenever a table they read changes.
            board_fragment=Fragment(
                f"compliance:{year}:{today}:{number}:"
                f"{self.leaders_per_page}:{self.companies_per_bucket}",
                BOARD_TABLES,
                lambda: self.board_context(year, today, number),
            ),
        )
        return context

    def board_context(self, year, today, number) -> dict:
        board = board_figures(year, today)
        # A city federation has 400 leaders: the board shows them a page at a time, with the
        # totals of all of them; the Excel export holds everyone.
        page = Paginator(board.rows, self.leaders_per_page).get_page(number)
        page.object_list = board.rows_of(page.object_list)
        buckets = counted(coverage, f"coverage:{today}", today, limit=self.companies_per_bucket)
        return {
            "board": board,
            "page_obj": page,
            "leader_rows": page.object_list,
            "query_string": f"year={year}",
            "buckets": buckets,
            "short_rows": [row for row in page.object_list if row.months_short],
        }


class ComplianceExportView(ComplianceView):
    def get(self, request, *args, **kwargs):
        today = timezone.localdate()
        year = self.get_year()
        workbook = exports.compliance_workbook(compliance_board(year, today), coverage(today))
        return exports.response(workbook, f"visits-{year}.xlsx")
