from decimal import Decimal

from django import forms
from django.contrib import messages
from django.db.models import Count, Exists, OuterRef, Prefetch
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, FormView, TemplateView

from members.models import Company
from members.permissions import RoleRequiredMixin

from . import services
from .models import Campaign, ContributorPreference, Donation, Pairing, Photo, Project
from .money import yuan


class CharityOverviewView(TemplateView):
    """/charity/: totals by year, campaigns against their goals, kinds, pairings by area and
    the companies that chose to be listed. For everyone logged in."""

    template_name = "charity/overview.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(services.overview(timezone.localdate()))
        return context


def contributions_by_company(donations, *, roles):
    """Received and pledged totals per company, largest first, naming only the companies that
    may be named to this viewer: those listed, the viewer's own, and all of them for those who
    see the whole chamber. The rest are summed up as one line. One query."""
    rows = (
        donations.values("company", "company__name", "company__contributor_preference__listed")
        .annotate(
            received=services.money_sum(status=Donation.Status.RECEIVED),
            pledged=services.money_sum(status=Donation.Status.PLEDGED),
            gifts=Count("pk"),
        )
        .order_by()
    )
    own = roles.company.pk if roles.company else None
    named, others = [], {"count": 0, "received": Decimal("0.00"), "pledged": Decimal("0.00")}
    for row in rows:
        received, pledged = yuan(row["received"]), yuan(row["pledged"])
        if (
            roles.sees_everything
            or row["company__contributor_preference__listed"]
            or row["company"] == own
        ):
            named.append(
                {
                    "name": row["company__name"],
                    "pk": row["company"],
                    "received": received,
                    "pledged": pledged,
                    "gifts": row["gifts"],
                    "own": row["company"] == own,
                }
            )
        else:
            others["count"] += 1
            others["received"] += received
            others["pledged"] += pledged
    named.sort(key=lambda item: (-item["received"], -item["pledged"], item["name"]))
    others["any_pledged"] = bool(others["pledged"]) or any(item["pledged"] for item in named)
    return named, others


class CampaignDetailView(DetailView):
    """A campaign's story: its goal and progress, who gave what, the pairings it formed and
    the projects they completed, photos."""

    def get_queryset(self):
        return Campaign.objects.prefetch_related("photos")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        campaign = self.object
        donations = Donation.objects.filter(campaign=campaign)
        named, others = contributions_by_company(donations, roles=self.request.roles)
        received = sum((item["received"] for item in named), others["received"])
        pledged = sum((item["pledged"] for item in named), others["pledged"])
        pairings = list(
            services.pairings_with_totals(Pairing.objects.filter(campaign=campaign))
            .prefetch_related(
                Prefetch("companies", queryset=Company.objects.only("pk", "name")),
                Prefetch(
                    "projects",
                    queryset=Project.objects.filter(status=Project.Status.DONE),
                    to_attr="done_projects",
                ),
            )
            .order_by("beneficiary__area", "beneficiary__name", "pk")
        )
        goods = list(
            donations.filter(form=Donation.Form.IN_KIND)
            .values_list("goods", flat=True)
            .distinct()
            .order_by("goods")[:20]
        )
        context.update(
            named=named,
            others=others,
            received=received,
            pledged=pledged,
            progress=services.percent(received, campaign.goal),
            pairings=[p for p in pairings if not p.beneficiary.is_sensitive],
            protected_pairings=sum(1 for p in pairings if p.beneficiary.is_sensitive),
            done_projects=sum(len(p.done_projects) for p in pairings),
            goods=goods,
        )
        context["progress_bar"] = min(context["progress"] or 0, 100)
        return context


class PairingDetailView(DetailView):
    """A pairing's story: the beneficiary (masked unless the secretariat looks, which is
    logged), its companies, projects with photos, and what was given."""

    def get_queryset(self):
        return services.pairings_with_totals().prefetch_related(
            Prefetch("companies", queryset=Company.objects.only("pk", "name")),
            Prefetch(
                "projects",
                queryset=Project.objects.prefetch_related(
                    Prefetch("photos", queryset=Photo.objects.order_by("taken_on", "pk"))
                ),
            ),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        pairing = self.object
        beneficiary = pairing.beneficiary
        roles = self.request.roles
        names = services.beneficiary_names(
            [beneficiary], roles=roles, user=self.request.user, where=self.request.path
        )
        named, others = contributions_by_company(
            Donation.objects.filter(pairing=pairing), roles=roles
        )
        projects = list(pairing.projects.all())
        context.update(
            beneficiary_name=names[beneficiary.pk],
            unmasked=beneficiary.is_sensitive and services.sees_protected_names(roles),
            # Photos of children and of people in need stay with the secretariat.
            show_photos=not beneficiary.is_sensitive or services.sees_protected_names(roles),
            projects=projects,
            budget=sum((yuan(p.budget) for p in projects if p.budget), Decimal("0.00")),
            named=named,
            others=others,
            pledged=sum((item["pledged"] for item in named), others["pledged"]),
        )
        return context


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
        if roles.is_secretariat:
            return donations
        if roles.is_member and roles.company:
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


class ContributorListingView(RoleRequiredMixin, FormView):
    """A member company chooses whether it is named among the contributors."""

    template_name = "charity/contributor_listing.html"
    form_class = ContributorListingForm

    def roles_allow(self, roles) -> bool:
        return roles.is_member and roles.company is not None

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


def me_section_context(request):
    """The /me/ section: the member company's pairings and donations, or None when it has
    neither. Most members have neither, so one query asks first; at most three in all."""
    roles = request.roles
    if not (roles.is_member and roles.company):
        return None
    company = roles.company
    has = (
        Company.objects.filter(pk=company.pk)
        .annotate(
            gave=Exists(Donation.objects.filter(company=OuterRef("pk"))),
            paired=Exists(Pairing.companies.through.objects.filter(company=OuterRef("pk"))),
        )
        .values("gave", "paired")
        .first()
    )
    if not has or not (has["gave"] or has["paired"]):
        return None
    donations, pairings = [], []
    if has["gave"]:
        donations = list(
            Donation.objects.filter(company=company).select_related(
                "campaign", "pairing__beneficiary"
            )
        )
    if has["paired"]:
        pairings = list(
            Pairing.objects.filter(companies=company)
            .with_kind()
            .select_related("beneficiary")
            .order_by("-starts_on", "pk")
        )
    received = [d for d in donations if d.is_received]
    return {
        "company": company,
        "donations": donations,
        "pairings": pairings,
        "received_total": sum((d.amount for d in received), Decimal("0.00")),
        "pledged_total": sum((d.amount for d in donations if not d.is_received), Decimal("0.00")),
    }
