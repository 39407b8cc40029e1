from django.db.models import Count, Prefetch, Q
from django.views.generic import DetailView, ListView, TemplateView

from core.rules import RuleRequiredMixin, allows
from core.sections import sections_for

from .forms import CompanyFilterForm
from .models import Company, CompanyChangeRequest, Person


class DirectoryMixin(RuleRequiredMixin):
    """The member directory: for the secretariat, leadership, supervisors and members."""

    rule = "members.see_directory"

    def get_queryset(self):
        companies = Company.objects.all()
        if not allows("members.keep_registry", self.request.roles):
            companies = companies.active()
        return companies


class CompanyListView(DirectoryMixin, ListView):
    paginate_by = 30

    def get_queryset(self):
        self.filter_form = CompanyFilterForm(
            self.request.GET or None,
            show_status=allows("members.keep_registry", self.request.roles),
        )
        companies = super().get_queryset().prefetch_related("tags")
        order = ["name_pinyin", "pk"]
        if self.filter_form.is_valid():
            data = self.filter_form.cleaned_data
            companies = companies.search(data["q"])
            if data["q"].strip():
                companies = companies.trade_name_first(data["q"])
                order.insert(0, "search_rank")
            if data["industry"]:
                companies = companies.filter(industry=data["industry"])
            if data["tier"]:
                companies = companies.filter(tier=data["tier"])
            if data["tag"]:
                companies = companies.filter(tags=data["tag"])
            if data.get("status"):
                companies = companies.filter(status=data["status"])
        return companies.order_by(*order)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            filter_form=self.filter_form,
            query_string=query.urlencode(),
        )
        return context


class CompanyDetailView(DirectoryMixin, DetailView):
    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .prefetch_related(
                "tags",
                "honors",
                Prefetch(
                    "people",
                    queryset=Person.objects.current().order_by("-is_main_contact", "name"),
                ),
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sees_contacts"] = allows("members.see_contacts", self.request.roles)
        return context


class MeView(RuleRequiredMixin, TemplateView):
    """A member's own page: their company, and what other apps show them (problems raised,
    sign-ups, pairings and donations, the calendar feed)."""

    template_name = "members/me.html"
    rule = "members.see_own_company"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        roles = self.request.roles
        company = (
            Company.objects.prefetch_related(
                "tags",
                Prefetch(
                    "people",
                    queryset=Person.objects.current().order_by("-is_main_contact", "name"),
                ),
            )
            .annotate(
                pending_requests=Count(
                    "change_requests",
                    filter=Q(change_requests__state=CompanyChangeRequest.State.PENDING),
                )
            )
            .filter(pk=roles.company.pk)
            .first()
        )
        context.update(
            person=roles.person,
            company=company,
            sections=sections_for("me", self.request),
        )
        return context
