"""A member signs up colleagues and guests for an event that gives companies places."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.rules import rule_required

from ..models import Registration
from . import company_signups, guest_passes
from .forms import CompanySignUpForm
from .services import SignUpError
from .views import _visible_event_or_404


@require_POST
@rule_required("activities.sign_up_colleagues")
def event_company_register(request, pk):
    event = _visible_event_or_404(request, pk)
    company = request.roles.company
    form = CompanySignUpForm(request.POST, event=event, company=company)
    if not form.is_valid():
        messages.error(request, _("Choose a colleague, or write the guest's name and mobile."))
        return redirect(event)
    data = form.cleaned_data
    try:
        registration = company_signups.register_for_company(
            event=event,
            company=company,
            acting_user=request.user,
            colleague=data["colleague"],
            guest_name=data["guest_name"],
            guest_mobile=data["guest_mobile"],
        )
    except SignUpError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if registration.status == Registration.Status.REGISTERED:
            messages.success(
                request, _("%(name)s is signed up.") % {"name": registration.person.name}
            )
            if registration.is_guest:
                guest_passes.send_guest_pass(registration, request)
        else:
            messages.warning(
                request,
                _("The event is full: %(name)s is on the waiting list.")
                % {"name": registration.person.name},
            )
    return redirect(event)


@require_POST
@rule_required("activities.sign_up_colleagues")
def event_company_cancel(request, pk, registration_pk):
    event = _visible_event_or_404(request, pk)
    registration = get_object_or_404(
        Registration.objects.active().select_related("event", "person"),
        pk=registration_pk,
        event=event,
        company=request.roles.company,
    )
    try:
        company_signups.cancel_for_company(
            registration=registration, company=request.roles.company, acting_user=request.user
        )
    except SignUpError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("%(name)s's sign-up is cancelled.") % {"name": registration.person.name}
        )
    return redirect(event)
