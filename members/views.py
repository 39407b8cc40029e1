from django.db.models import Prefetch
from django.views.generic import DetailView, ListView

from .forms import CompanyFilterForm
from .models import Company, Person
from .permissions import RoleRequiredMixin


class DirectoryMixin(RoleRequiredMixin):
    """The member directory: for the secretariat, leadership, supervisors and members."""

    def roles_allow(self, roles) -> bool:
        return roles.sees_directory

    def get_queryset(self):
        companies = Company.objects.all()
        if not self.request.roles.is_secretariat:
            companies = companies.active()
        return companies


class CompanyListView(DirectoryMixin, ListView):
    paginate_by = 30

    def get_queryset(self):
        self.filter_form = CompanyFilterForm(
            self.request.GET or None, show_status=self.request.roles.is_secretariat
        )
        companies = super().get_queryset().prefetch_related("tags")
        if self.filter_form.is_valid():
            data = self.filter_form.cleaned_data
            companies = companies.search(data["q"])
            if data["industry"]:
                companies = companies.filter(industry=data["industry"])
            if data["tier"]:
                companies = companies.filter(tier=data["tier"])
            if data["tag"]:
                companies = companies.filter(tags=data["tag"])
            if data.get("status"):
                companies = companies.filter(status=data["status"])
        return companies.order_by("name_pinyin", "pk")

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
                    queryset=Person.objects.order_by("-is_main_contact", "name"),
                ),
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sees_contacts"] = self.request.roles.sees_contacts
        return context
