"""A member company signs up colleagues and guests for an event that allows it
(``Event.places_per_company``): within the company's share and the event's places, both
counted with the event's row locked, as a person's own sign-up is (``services.register``)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import Person
from members.validators import normalize_mobile, validate_mobile

from ..models import Event, Registration
from .guest_passes import guest_pass_token
from .services import SignUpError, Status, _locked, cancel, check_company_share, places_taken


def company_sign_ups(event: Event, company) -> list[Registration]:
    """The company's sign-ups for the event (its own people's and its guests'), in order."""
    if company is None:
        return []
    registrations = list(
        Registration.objects.active()
        .filter(event=event)
        .filter(company=company)
        .select_related("person")
        .order_by("created_at", "pk")
    )
    for registration in registrations:
        if registration.is_guest:  # the contact forwards it to the guest, who has no account
            registration.guest_pass_path = reverse(
                "activities:event_guest_pass", args=[guest_pass_token(registration)]
            )
    return registrations


def register_for_company(
    *,
    event: Event,
    company,
    acting_user,
    colleague: Person | None = None,
    guest_name: str = "",
    guest_mobile: str = "",
    now=None,
) -> Registration:
    """Sign up a colleague (a current person of ``company``) or a guest (by name and mobile):
    a place if one is free, else the waiting list. Raises SignUpError when the event does not
    take company sign-ups, or the company has used its share."""
    now = now or timezone.now()
    guest_name = " ".join((guest_name or "").split())[:50]
    if colleague is None:
        guest_mobile = normalize_mobile(guest_mobile)
        if not guest_name:
            raise SignUpError(_("Write the guest's name."), code="guest_name")
        try:
            validate_mobile(guest_mobile)
        except ValidationError as error:
            raise SignUpError(error.messages, code="guest_mobile") from None
    elif colleague.company_id != company.pk or colleague.left_on is not None:
        raise SignUpError(_("Choose one of your company's people."), code="not_colleague")
    with transaction.atomic():
        event = _locked(event)
        if not event.places_per_company:
            raise SignUpError(
                _("At this event each person signs up themselves."), code="no_company_places"
            )
        if event.is_cancelled:
            raise SignUpError(_("This event has been cancelled."), code="cancelled")
        if event.has_started(now):
            raise SignUpError(_("This event has already started."), code="started")
        if not event.registration_open:
            raise SignUpError(_("Sign-up for this event is closed."), code="closed")
        check_company_share(event, company)
        if colleague is not None:
            if Registration.objects.active().filter(event=event, person=colleague).exists():
                raise SignUpError(
                    _("%(name)s has already signed up for this event.") % {"name": colleague.name},
                    code="duplicate",
                )
            person = colleague
        else:
            # A guest joins the roster as a person of no company, noted with who brought them.
            person = Person.objects.create(
                name=guest_name,
                mobile=guest_mobile,
                notes=str(_("Guest of %(company)s")) % {"company": company.name},
            )
        full = event.capacity is not None and (
            places_taken(event) >= event.capacity
            or Registration.objects.waitlisted().filter(event=event).exists()
        )
        return Registration.objects.create(
            event=event,
            person=person,
            status=Status.WAITLISTED if full else Status.REGISTERED,
            created_at=now,
            registered_by=acting_user,
            company=company,
            is_guest=colleague is None,
        )


def cancel_for_company(*, registration: Registration, company, acting_user) -> None:
    """Cancel one of the company's sign-ups (a place freed goes down the waiting list)."""
    if registration.company_id != company.pk:
        raise SignUpError(_("This sign-up is not your company's."), code="not_yours")
    cancel(registration=registration, acting_user=acting_user)
