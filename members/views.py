from django.core.paginator import InvalidPage, Page, Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView, TemplateView

from core.counts import count_of, counted_all
from core.rules import RuleRequiredMixin, allows
from core.sections import sections_with
from core.templatetags.fragments import Fragment

from .forms import CompanyFilterForm
from .models import Company, CompanyChangeRequest, Person, Tag
from .templatetags.directory import company_cards


@count_of(Company, Company.tags.through, Tag)
def directory_page(companies, number, per_page):
    """How many companies a search of the directory finds, and one page of them with their
    tags and their cards written: ``(count, page number, companies, cards)``. Raises
    InvalidPage for a page that isn't there."""
    paginator = Paginator(companies, per_page)
    page = paginator.page(paginator.num_pages if number == "last" else number)
    companies = list(page.object_list)
    return page.paginator.count, page.number, companies, company_cards(companies)


@count_of(Tag)
def tag_choices() -> list[tuple[int, str]]:
    """The tags the directory can be filtered by, ``(pk, name)`` in name order: read with the
    page of companies (one cache query), where the filter's field read them on every
    request."""
    return list(Tag.objects.values_list("pk", "name"))


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
        self.search = {}  # the filters applied, which name the cached page
        if self.filter_form.is_valid():
            data = self.filter_form.cleaned_data
            self.search = {key: str(getattr(value, "pk", value)) for key, value in data.items()}
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

    def paginate_queryset(self, queryset, page_size):
        """One page of the companies found, kept in the shared cache with their count until a
        company, a tag or a company's tags change (core.counts): a search such as "shj" reads
        every one of a city federation's 20,000 companies twice, to count and to rank them."""
        number = self.request.GET.get(self.page_kwarg) or 1
        try:
            number = "last" if number == "last" else int(number)
        except ValueError:
            raise Http404(_("That page of the directory does not exist.")) from None
        scope = "all" if allows("members.keep_registry", self.request.roles) else "active"
        # The cards are written in the viewer's language.
        name = (
            f"members:directory:{get_language()}:{scope}:{sorted(self.search.items())}:"
            f"{number}:{page_size}"
        )
        try:
            (count, number, companies, self.cards), tags = counted_all(
                (directory_page, name, queryset, number, page_size),
                (tag_choices, "members:directory:tags"),
            )
        except InvalidPage:
            raise Http404(_("That page of the directory does not exist.")) from None
        tag = self.filter_form.fields["tag"]
        tag.choices = [("", tag.empty_label), *tags]  # a tag asked for is still looked up
        paginator = Paginator(queryset, page_size)
        paginator.count = count
        page = Page(companies, number, paginator)
        return paginator, page, companies, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            filter_form=self.filter_form,
            query_string=query.urlencode(),
            company_cards=self.cards,
        )
        return context


class CompanyDetailView(DirectoryMixin, DetailView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        company, roles = self.object, self.request.roles
        sees_contacts = allows("members.see_contacts", roles)
        keeps_registry = allows("members.keep_registry", roles)
        sees_drafts = allows("notices.publish", roles)  # the spotlights not yet published
        # The company's page below the breadcrumb (its tags, people, honors, spotlights and
        # membership facts) is rendered once for each way of seeing it and kept in the shared
        # cache until the company, a tag, a person, an honor or a spotlight changes
        # (core.templatetags.fragments). Honors are chamber's and spotlights notices', named
        # by the relations.
        honors = Company._meta.get_field("honors").related_model
        spotlights = Company._meta.get_field("spotlights").related_model
        issues = spotlights._meta.get_field("journal_issue").related_model
        context.update(
            sees_contacts=sees_contacts,
            record_fragment=Fragment(
                f"company:{company.pk}:contacts={sees_contacts}:registry={keeps_registry}:"
                f"drafts={sees_drafts}",
                (Company, Tag, Company.tags.through, Person, honors, spotlights, issues),
                lambda: {
                    "people": Person.objects.current()
                    .filter(company=company)
                    .order_by("-is_main_contact", "name")
                },
            ),
        )
        return context


@count_of(Company, Company.tags.through, Tag, Person, CompanyChangeRequest)
def my_company(company_id):
    """The member's company for /me/: its tags, its people on record and its changes to the
    register waiting for the secretariat. Kept in the shared cache until one of those changes."""
    return (
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
        .filter(pk=company_id)
        .first()
    )


class MeView(RuleRequiredMixin, TemplateView):
    """A member's own page: their company, and what other apps show them (problems raised,
    sign-ups, pairings and donations, the calendar feed). The company and every section kept
    in the cache are read in one cache query."""

    template_name = "members/me.html"
    rule = "members.see_own_company"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        roles = self.request.roles
        company_id = roles.company.pk
        sections, (company,) = sections_with(
            "me", self.request, (my_company, f"members:me:company:{company_id}", company_id)
        )
        context.update(person=roles.person, company=company, sections=sections)
        return context
