from decimal import Decimal
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.db.models import OuterRef, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from django.views.generic import DetailView, FormView, ListView, TemplateView

from core.counts import counted
from core.files import serve_private
from core.rules import RuleRequiredMixin, allows
from core.templatetags.fragments import Fragment
from members.models import Company

from . import services
from .models import (
    Beneficiary,
    Campaign,
    ContributorPreference,
    Donation,
    Pairing,
    PairingKind,
    Photo,
    Project,
)
from .money import yuan


def scoped_url(name: str, **params) -> str:
    """The address of a list page narrowed to one campaign, pairing, company or area."""
    return f"{reverse(name)}?{urlencode(params)}"


def query_string_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


class CharityOverviewView(TemplateView):
    """/charity/: totals by year, campaigns against their goals, kinds, pairings by area and
    the companies that chose to be listed. For everyone logged in."""

    template_name = "charity/overview.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        # The same for every viewer, and a pass over every donation (100,000 at a city
        # federation): kept in the shared cache until a donation, campaign or pairing changes,
        # the figures and the page rendered from them (64 KB of HTML at city scale).
        lists_own = allows("charity.choose_listing", self.request.roles)
        context["overview"] = Fragment(
            f"charity:overview:{today}:{lists_own}",
            services.overview.tables,
            lambda: counted(services.overview, f"charity:overview:{today}", today),
        )
        return context


class CampaignDetailView(DetailView):
    """A campaign's story: its goal and progress, who gave what, the pairings it formed and
    the projects they completed, photos."""

    def get_queryset(self):
        return services.campaigns_with_pairing_counts().prefetch_related("photos")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        campaign = self.object
        donations = Donation.objects.filter(campaign=campaign)
        given = services.contributions(donations, roles=self.request.roles)
        pairings = list(
            Pairing.objects.filter(campaign=campaign, beneficiary__is_sensitive=False)
            .with_kind()
            .select_related("beneficiary")
            .prefetch_related(
                Prefetch("companies", queryset=Company.objects.only("pk", "name")),
                Prefetch(
                    "projects",
                    queryset=Project.objects.filter(status=Project.Status.DONE),
                    to_attr="done_projects",
                ),
            )
            .order_by("beneficiary__area", "beneficiary__name", "pk")[
                : services.CAMPAIGN_PAIRINGS_SHOWN
            ]
        )
        goods = list(
            donations.filter(form=Donation.Form.IN_KIND)
            .values_list("goods", flat=True)
            .distinct()
            .order_by("goods")[:20]
        )
        progress = services.percent(given.received, campaign.goal)
        context.update(
            given=given,
            named=given.named,
            others=given.others,
            givers_url=scoped_url("charity:contributor_list", campaign=campaign.pk),
            received=given.received,
            pledged=given.pledged,
            progress=progress,
            progress_bar=min(progress or 0, 100),
            pairings=pairings,
            more_pairings=campaign.named_pairings - len(pairings),
            pairings_url=scoped_url("charity:pairing_list", campaign=campaign.pk),
            goods=goods,
        )
        return context


class PairingDetailView(DetailView):
    """A pairing's story: the beneficiary (masked unless the secretariat looks, which is
    logged), its companies, projects with photos, and what was given."""

    def get_queryset(self):
        return (
            Pairing.objects.visible_to(self.request.roles)
            .with_kind()
            .select_related("beneficiary", "campaign")
            .prefetch_related(
                Prefetch("companies", queryset=Company.objects.only("pk", "name")),
                Prefetch(
                    "projects",
                    queryset=Project.objects.prefetch_related(
                        Prefetch("photos", queryset=Photo.objects.order_by("taken_on", "pk"))
                    ),
                ),
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        pairing = self.object
        beneficiary = pairing.beneficiary
        roles = self.request.roles
        names = services.beneficiary_names(
            [beneficiary], roles=roles, user=self.request.user, where=self.request.path
        )
        given = services.contributions(Donation.objects.filter(pairing=pairing), roles=roles)
        projects = list(pairing.projects.all())
        context.update(
            beneficiary_name=names[beneficiary.pk],
            unmasked=beneficiary.is_sensitive and services.sees_protected_names(roles),
            # Photos of children and of people in need stay with the secretariat.
            show_photos=allows("charity.see_pairing_photos", roles, pairing),
            projects=projects,
            budget=sum((yuan(p.budget) for p in projects if p.budget), Decimal("0.00")),
            given=given,
            named=given.named,
            others=given.others,
            givers_url=scoped_url("charity:contributor_list", pairing=pairing.pk),
            received=given.received,
            pledged=given.pledged,
        )
        return context


@require_GET
def photo(request, pk):
    """A campaign's photo (for everyone logged in, like the campaign's page) or a project's
    (for those who may see the pairing's photos)."""
    photo = get_object_or_404(Photo.objects.select_related("project__pairing__beneficiary"), pk=pk)
    if photo.project_id and not allows(
        "charity.see_pairing_photos", request.roles, photo.project.pairing
    ):
        raise Http404
    return serve_private(request, photo.image)


class DonationAcknowledgementView(DetailView):
    """The printable acknowledgement (捐赠确认函) of a received donation: for the member
    company that gave it, and for the secretariat who issue it. Anyone else gets 404."""

    template_name = "charity/donation_acknowledgement.html"

    def get_queryset(self):
        roles = self.request.roles
        donations = (
            Donation.objects.received()
            .select_related("company", "campaign", "pairing__beneficiary")
            .prefetch_related("pairing__beneficiary__consents")
        )
        if allows("charity.issue_acknowledgements", roles):
            return donations
        if allows("charity.see_own_donations", roles):
            return donations.filter(company=roles.company)
        return donations.none()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        donation = self.object
        if donation.pairing_id:
            context["beneficiary_label"] = services.beneficiary_public_label(
                donation.pairing.beneficiary
            )
        context["issued_on"] = timezone.localdate()
        return context


class ContributorListingForm(forms.Form):
    listed = forms.BooleanField(
        label=_("List my company among the contributors on the charity page"),
        required=False,
        help_text=_(
            "Everyone who logs in would see your company's name and what it gave. "
            "You can change this at any time."
        ),
    )


class ContributorListingView(RuleRequiredMixin, FormView):
    """A member company chooses whether it is named among the contributors."""

    template_name = "charity/contributor_listing.html"
    form_class = ContributorListingForm
    rule = "charity.choose_listing"

    def get_initial(self):
        preference = ContributorPreference.objects.filter(
            company=self.request.roles.company
        ).first()
        return {"listed": bool(preference and preference.listed)}

    def form_valid(self, form):
        listed = form.cleaned_data["listed"]
        services.set_contributor_listing(
            company=self.request.roles.company, listed=listed, acting_user=self.request.user
        )
        if listed:
            messages.success(
                self.request, gettext("Your company is now listed among the contributors.")
            )
        else:
            messages.success(
                self.request, gettext("Your company is no longer listed among the contributors.")
            )
        return redirect(reverse("members:me"))


# --- The lists behind the overview's "see all" links ---------------------------------------


class CampaignFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds"))] + Campaign.Kind.choices, required=False
    )


class CampaignListView(ListView):
    """Every campaign and yearly visit, newest first, with what each received."""

    template_name = "charity/campaign_list.html"
    paginate_by = 25

    def get_queryset(self):
        self.filter_form = CampaignFilterForm(self.request.GET)
        campaigns = Campaign.objects.order_by("-starts_on", "name")
        if self.filter_form.is_valid() and self.filter_form.cleaned_data["kind"]:
            campaigns = campaigns.filter(kind=self.filter_form.cleaned_data["kind"])
        return campaigns

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            campaigns=services.with_campaign_totals(context["page_obj"].object_list),
            filter_form=self.filter_form,
            query_string=query_string_without_page(self.request),
        )
        return context


class PairingFilterForm(forms.Form):
    area = forms.ChoiceField(label=_("Area"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds"))] + PairingKind.choices, required=False
    )
    campaign = forms.ModelChoiceField(
        queryset=Campaign.objects.all(), required=False, widget=forms.HiddenInput
    )
    company = forms.ModelChoiceField(
        queryset=Company.objects.only("pk", "name"), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        areas = (
            Beneficiary.objects.filter(pairings__isnull=False)
            .exclude(area="")
            .values_list("area", flat=True)
            .distinct()
            .order_by("area")
        )
        self.fields["area"].choices = [("", _("All areas"))] + [(a, a) for a in areas]

    def filter(self, pairings):
        """The pairings narrowed to what the form asks for (nothing, when it is not valid)."""
        if not self.is_valid():
            return pairings
        data = self.cleaned_data
        if data["area"]:
            pairings = pairings.filter(beneficiary__area=data["area"])
        if data["kind"]:
            pairings = pairings.filter(kind_code=data["kind"])
        if data["campaign"]:
            pairings = pairings.filter(campaign=data["campaign"])
        if data["company"]:
            pairings = pairings.filter(companies=data["company"])
        return pairings


class PairingListView(ListView):
    """Every pairing that may be named, newest first, with its companies and what it received;
    pairings with students or people in need are counted, never named (as on /charity/)."""

    template_name = "charity/pairing_list.html"
    paginate_by = 50

    def get_queryset(self):
        self.filter_form = PairingFilterForm(self.request.GET)
        pairings = self.filter_form.filter(Pairing.objects.with_kind())
        self.protected = pairings.filter(beneficiary__is_sensitive=True).count()
        return services.pairings_with_totals(
            pairings.filter(beneficiary__is_sensitive=False)
        ).prefetch_related(Prefetch("companies", queryset=Company.objects.only("pk", "name")))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = self.filter_form
        context.update(
            filter_form=form,
            scope_campaign=form.is_valid() and form.cleaned_data["campaign"],
            scope_company=form.is_valid() and form.cleaned_data["company"],
            protected=self.protected,
            query_string=query_string_without_page(self.request),
        )
        return context


class ContributorScopeForm(forms.Form):
    campaign = forms.ModelChoiceField(queryset=Campaign.objects.all(), required=False)
    pairing = forms.ModelChoiceField(queryset=Pairing.objects.none(), required=False)

    def __init__(self, *args, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pairing"].queryset = Pairing.objects.visible_to(roles).select_related(
            "beneficiary"
        )


class ContributorListView(ListView):
    """Who gave, largest first: to one campaign or pairing (``?campaign=`` or ``?pairing=``)
    or to all of them. Named as on the campaign and pairing pages: the companies listed at
    their wish and the viewer's own, every company for those who see the whole chamber; the
    rest as one line."""

    template_name = "charity/contributor_list.html"
    paginate_by = 50

    def get_queryset(self):
        form = ContributorScopeForm(self.request.GET, roles=self.request.roles)
        if not form.is_valid():
            raise Http404("no such campaign or pairing")
        self.campaign = form.cleaned_data["campaign"]
        self.pairing = form.cleaned_data["pairing"]
        donations = Donation.objects.all()
        if self.campaign:
            donations = donations.filter(campaign=self.campaign)
        if self.pairing:
            donations = donations.filter(pairing=self.pairing)
        roles = self.request.roles
        self.summary = services.giver_summary(donations, roles=roles)
        return services.KnownCount(
            services.giver_rows(donations, roles=roles), self.summary["named_count"]
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            campaign=self.campaign,
            pairing=self.pairing,
            named=services.giver_entries(context["page_obj"].object_list, roles=self.request.roles),
            **self.summary,
            query_string=query_string_without_page(self.request),
        )
        return context


class DonationListView(RuleRequiredMixin, ListView):
    """A member company's own donations, newest first, with its totals."""

    template_name = "charity/donation_list.html"
    paginate_by = 50
    rule = "charity.see_own_donations"

    def get_queryset(self):
        return Donation.objects.filter(company=self.request.roles.company).select_related(
            "campaign", "pairing__beneficiary"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        totals = Donation.objects.filter(company=self.request.roles.company).aggregate(
            received=services.money_sum(status=Donation.Status.RECEIVED),
            pledged=services.money_sum(status=Donation.Status.PLEDGED),
        )
        context.update(
            company=self.request.roles.company,
            donations=context["page_obj"].object_list,
            received_total=yuan(totals["received"]),
            pledged_total=yuan(totals["pledged"]),
        )
        return context


# --- /me/ ----------------------------------------------------------------------------------

ME_DONATIONS_SHOWN = 10
ME_PAIRINGS_SHOWN = 10


def me_section_context(request):
    """The /me/ section: the member company's totals, its latest donations and its pairings
    (the first few of each, the rest a link away), or None when it has neither. Most members
    have neither, so one query asks first, with the totals; at most three in all."""
    roles = request.roles
    if not allows("charity.see_own_donations", roles):
        return None
    company = roles.company
    given = Donation.objects.filter(company=OuterRef("pk")).order_by().values("company")
    paired = (
        Pairing.companies.through.objects.filter(company=OuterRef("pk"))
        .order_by()
        .values("company")
    )
    counts = (
        Company.objects.filter(pk=company.pk)
        .annotate(
            donation_count=services.count_of(given),
            pairing_count=services.count_of(paired),
            received_total=services.sum_of(given.filter(status=Donation.Status.RECEIVED)),
            pledged_total=services.sum_of(given.filter(status=Donation.Status.PLEDGED)),
        )
        .values("donation_count", "pairing_count", "received_total", "pledged_total")
        .first()
    )
    if not counts or not (counts["donation_count"] or counts["pairing_count"]):
        return None
    donations, pairings = [], []
    if counts["donation_count"]:
        donations = list(
            Donation.objects.filter(company=company).select_related(
                "campaign", "pairing__beneficiary"
            )[:ME_DONATIONS_SHOWN]
        )
    if counts["pairing_count"]:
        pairings = list(
            Pairing.objects.filter(companies=company)
            .with_kind()
            .select_related("beneficiary")
            .order_by("-starts_on", "pk")[:ME_PAIRINGS_SHOWN]
        )
    return {
        "company": company,
        "donations": donations,
        "more_donations": counts["donation_count"] - len(donations),
        "pairings": pairings,
        "more_pairings": counts["pairing_count"] - len(pairings),
        "pairings_url": scoped_url("charity:pairing_list", company=company.pk),
        "received_total": yuan(counts["received_total"]),
        "pledged_total": yuan(counts["pledged_total"]),
    }
