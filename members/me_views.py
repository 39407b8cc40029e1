"""/me/company/…: a member keeps their own company's record. The profile, logo, address and
the company's people change at once (in the history under their name); the register's facts
(name, credit code, tier, status) become a request the secretariat decides in the back office.
Every page is about the member's own company: another company's person is not found."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.counts import count_of, counted_all
from core.rules import rule_required
from core.sections import CSRF_PLACEHOLDER

from . import services
from .me_forms import ChangeRequestForm, ColleagueForm, CompanyProfileForm
from .models import Company, CompanyChangeRequest, Person

RULE = "members.keep_own_company"


def own_company(request) -> Company:
    return _company(request.roles.company.pk)


def _company(pk) -> Company:
    """The company with its current people and its five latest change requests."""
    return (
        Company.objects.prefetch_related(
            Prefetch(
                "people",
                queryset=Person.objects.current().order_by("-is_main_contact", "name"),
            ),
            Prefetch(
                "change_requests",
                queryset=CompanyChangeRequest.objects.order_by("-created_at")[:5],
                to_attr="recent_requests",
            ),
        )
        .filter(pk=pk)
        .get()
    )


def own_colleague(request, pk) -> Person:
    """A current person of the member's own company; anyone else is not found."""
    return get_object_or_404(Person.objects.current(), pk=pk, company_id=request.roles.company.pk)


@rule_required(RULE)
@require_http_methods(["GET", "POST"])
def company_edit(request):
    """The company's public profile, logo and address, and its people.

    Shown, the record is the same for every visit until the company, one of its people or one
    of its change requests is written: it is rendered once (the form unbound, a placeholder for
    the CSRF token) and kept in the shared cache, so a visit costs the frame's queries and one
    cache read. A posted form is bound to the company read afresh, and shown again with its
    errors from that instance."""
    if request.method != "POST":
        roles = request.roles
        (record,) = counted_all(
            (
                company_record,
                f"me-company:{get_language()}:{roles.company.pk}:{roles.person.pk}",
                roles.company.pk,
                roles.person.pk,
            )
        )
        record = mark_safe(record.replace(CSRF_PLACEHOLDER, get_token(request)))
        return render(request, "members/me_company.html", {"record": record})
    company = own_company(request)
    form = CompanyProfileForm(request.POST, request.FILES or None, instance=company)
    if form.is_valid():
        form.save()
        messages.success(request, _("Your company's profile is saved."))
        return redirect("members:me_company")
    return render(
        request,
        "members/me_company.html",
        {"company": company, "form": form, "viewer_pk": request.roles.person.pk},
    )


@count_of(Company, Person, CompanyChangeRequest)
def company_record(company_pk, person_pk) -> str:
    """/me/company/'s content as a member of the company sees it (every visitor who may keep
    it sees the same, but for the "Mark as left" button, never on their own line)."""
    company = _company(company_pk)
    return render_to_string(
        "members/includes/_me_company.html",
        {
            "company": company,
            "form": CompanyProfileForm(instance=company),
            "viewer_pk": person_pk,
            "csrf_token": CSRF_PLACEHOLDER,
        },
    )


@rule_required(RULE)
@require_http_methods(["GET", "POST"])
def person_add(request):
    form = ColleagueForm(request.POST or None, instance=Person(company=request.roles.company))
    if request.method == "POST" and form.is_valid():
        person = form.save()
        messages.success(
            request, _("%(name)s is on your company's record.") % {"name": person.name}
        )
        return redirect("members:me_company")
    return render(request, "members/me_person_form.html", {"form": form})


@rule_required(RULE)
@require_http_methods(["GET", "POST"])
def person_edit(request, pk):
    person = own_colleague(request, pk)
    form = ColleagueForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect("members:me_company")
    return render(request, "members/me_person_form.html", {"form": form, "colleague": person})


@require_POST
@rule_required(RULE)
def person_left(request, pk):
    person = own_colleague(request, pk)
    try:
        services.person_mark_left(person=person, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("%(name)s is marked as having left the company.") % {"name": person.name}
        )
    return redirect("members:me_company")


@rule_required(RULE)
@require_http_methods(["GET", "POST"])
def change_request(request):
    """Ask the secretariat to change the register's facts."""
    company = request.roles.company
    form = ChangeRequestForm(request.POST or None, company=company)
    if request.method == "POST" and form.is_valid():
        services.change_request_submit(
            change_request=form.instance, acting_user=request.user, request=request
        )
        messages.success(
            request,
            _("Your request is with the secretariat; the register changes once they approve it."),
        )
        return redirect("members:me_company")
    return render(request, "members/me_change_request.html", {"form": form, "company": company})
