"""Writes a member makes to their own company's record, and the secretariat's decision on a
request to change its register facts. Each change is in the history with who made it."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import mail
from core.notifications import audience, notify

from .models import Company, CompanyChangeRequest, Person


def person_mark_left(*, person: Person, acting_user, on=None) -> Person:
    """Mark a colleague as having left the company: kept on record, no longer among its people
    nor a member through it; a main contact stops being one."""
    if getattr(acting_user, "person_id", None) == person.pk:
        raise ValidationError(
            _("You cannot mark yourself as having left; ask a colleague or the secretariat."),
            code="self",
        )
    person.left_on = on or timezone.localdate()
    person.is_main_contact = False
    person._history_user = acting_user
    person.save(update_fields=["left_on", "is_main_contact", "updated_at"])
    return person


def change_request_submit(
    *, change_request: CompanyChangeRequest, acting_user, request=None
) -> CompanyChangeRequest:
    """A member's request to change the register's facts, saved and told to the secretariat
    (through the notification service, once: keyed by the request)."""
    with transaction.atomic():
        change_request.requested_by = acting_user
        change_request.save()
        notify(
            audience("secretariat"),
            "change_request",
            {
                "change_request": change_request,
                "requested_by": getattr(acting_user, "display_name", str(acting_user)),
                "url": mail.absolute_url(
                    reverse("admin:members_companychangerequest_change", args=[change_request.pk]),
                    request,
                ),
            },
            key=f"change_request:{change_request.pk}",
        )
    return change_request


def change_request_decide(
    *, change_request: CompanyChangeRequest, approve: bool, acting_user, request=None
) -> CompanyChangeRequest:
    """Approve (the register takes the requested facts, in the company's history under the
    secretary's name) or refuse a pending request; the member who asked is told (once)."""
    with transaction.atomic():
        change_request = CompanyChangeRequest.objects.select_for_update().get(pk=change_request.pk)
        if change_request.state != CompanyChangeRequest.State.PENDING:
            raise ValidationError(_("This request has already been decided."), code="decided")
        if approve:
            company = Company.objects.select_for_update().get(pk=change_request.company_id)
            for name in CompanyChangeRequest.FACTS:
                value = getattr(change_request, name)
                if value:
                    setattr(company, name, value)
            company.full_clean(exclude=["logo"])
            company._history_user = acting_user
            company._change_reason = str(_("Change request no. %(number)s")) % {
                "number": change_request.pk
            }
            company.save()
        change_request.state = (
            CompanyChangeRequest.State.APPROVED if approve else CompanyChangeRequest.State.REFUSED
        )
        change_request.decided_by = acting_user
        change_request.decided_at = timezone.now()
        change_request.save(update_fields=["state", "decided_by", "decided_at"])
        if change_request.requested_by_id:
            notify(
                [change_request.requested_by],
                "change_request_decided",
                {
                    "change_request": change_request,
                    "url": mail.absolute_url(reverse("members:me_company"), request),
                },
                key=f"change_request_decided:{change_request.pk}",
            )
    return change_request
