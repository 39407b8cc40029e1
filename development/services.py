"""Writes of the membership development pipeline: an application confirmed, recommended,
checked and decided; an approved one made a member company with its contact invited."""

import datetime
import logging
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chamber.models import GroupMembership, User, WorkingGroup
from chamber.roles import secretariat_accounts
from chamber.services import invite_person
from core import mail
from core.notifications import notify
from core.spreadsheets import name_variants
from members.models import Company, Person, Prospect

from .models import Application, Note
from .verification import track_token

logger = logging.getLogger(__name__)


# --- Duplicates ---------------------------------------------------------------------------


@dataclass
class Duplicates:
    """The member companies a prospect or application may already be: by credit code, by name."""

    by_code: list = field(default_factory=list)
    by_name: list = field(default_factory=list)

    def __bool__(self):
        return bool(self.by_code or self.by_name)

    @property
    def companies(self) -> list:
        seen = {}
        for company in [*self.by_code, *self.by_name]:
            seen.setdefault(company.pk, company)
        return list(seen.values())


def duplicates_for(rows) -> dict[int, Duplicates]:
    """For each prospect in ``rows`` (with ``application`` selected), the member companies
    it may already be, in one query whatever the number of rows: the same credit code, or
    the same name once brackets and spaces are read alike (``core.spreadsheets.name_key``)."""
    codes, names = {}, {}
    for prospect in rows:
        application = getattr(prospect, "application", None)
        if application is not None and application.credit_code:
            codes.setdefault(application.credit_code, []).append(prospect.pk)
        for variant in name_variants(prospect.company_name):
            names.setdefault(variant, []).append(prospect.pk)
    found = {prospect.pk: Duplicates() for prospect in rows}
    if not codes and not names:
        return found
    companies = Company.objects.filter(
        Q(credit_code__in=list(codes)) | Q(name__in=list(names))
    ).only("pk", "name", "credit_code", "status")
    for company in companies:
        for pk in codes.get(company.credit_code, []) if company.credit_code else []:
            found[pk].by_code.append(company)
        for pk in names.get(company.name, []):
            if company not in found[pk].by_code:
                found[pk].by_name.append(company)
    # A prospect that joined matches its own company: that is no duplicate.
    for prospect in rows:
        own = prospect.converted_company_id
        if own:
            duplicates = found[prospect.pk]
            duplicates.by_code = [c for c in duplicates.by_code if c.pk != own]
            duplicates.by_name = [c for c in duplicates.by_name if c.pk != own]
    return found


# --- Applications -------------------------------------------------------------------------


def group_people() -> list[Person]:
    """The 会员发展工作小组's members this term (with their accounts)."""
    today = timezone.localdate()
    return list(
        Person.objects.filter(
            group_memberships__in=GroupMembership.objects.filter(
                group__kind=WorkingGroup.Kind.MEMBERSHIP,
                term__starts_on__lte=today,
                term__ends_on__gte=today,
            )
        )
        .select_related("user")
        .distinct()
    )


def application_confirm(*, application: Application, request=None) -> Application:
    """The contact confirmed their mobile or email: the application is received, enters the
    pipeline as a prospect that applied, and the group and the secretariat are told."""
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.status != Application.Status.UNCONFIRMED:
            return application  # A second click on the link changes nothing.
        contact = application.contact_name
        if application.contact_title:
            contact = f"{contact}（{application.contact_title}）"
        application.prospect = Prospect.objects.create(
            company_name=application.company_name,
            source=Prospect.Source.SELF,
            stage=Prospect.Stage.APPLIED,
            contact=contact[:100],
        )
        application.status = Application.Status.SUBMITTED
        application.confirmed_at = timezone.now()
        application.code_hash = ""
        application.save()
    track_url = mail.absolute_url(
        reverse("development:track", args=[track_token(application)]), request
    )
    mail.send(
        "development/email/received",
        [application.contact_email],
        {"application": application, "track_url": track_url},
    )
    # The pipeline's people hear of it through the notification service (their inbox and
    # their channels); the applicant, who has no account, by the email they confirmed.
    notify(
        [*secretariat_accounts(), *group_people()],
        "new_application",
        {
            "application": application,
            "url": mail.absolute_url(
                reverse("development:prospect_detail", args=[application.prospect_id]), request
            ),
        },
        key=f"new_application:{application.pk}",
    )
    return application


def _locked_open(application: Application, allowed) -> Application:
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status not in allowed:
        raise ValidationError(
            _("This application is already %(status)s."),
            code="wrong_status",
            params={"status": application.get_status_display()},
        )
    return application


def application_recommend(*, application: Application, acting_user: User) -> Application:
    """The 会员发展工作小组 recommends the application (章程第八条（二）)."""
    with transaction.atomic():
        application = _locked_open(application, [Application.Status.SUBMITTED])
        application.status = Application.Status.RECOMMENDED
        application.recommended_by = acting_user
        application.recommended_at = timezone.now()
        application.save()
        _note(application, acting_user, _("Recommended by the development group."))
    return application


def application_check(*, application: Application, acting_user: User) -> Application:
    """The secretariat has checked the application (秘书处审核): it goes to the executive
    committee."""
    with transaction.atomic():
        application = _locked_open(application, [Application.Status.RECOMMENDED])
        application.status = Application.Status.CHECKED
        application.checked_by = acting_user
        application.checked_at = timezone.now()
        application.save()
        _note(application, acting_user, _("Checked by the secretariat."))
    return application


def _note(application, author, text) -> None:
    if application.prospect_id:
        Note.objects.create(prospect_id=application.prospect_id, author=author, text=str(text))


def application_decide(
    *,
    application: Application,
    approved: bool,
    decided_on: datetime.date,
    note: str,
    acting_user: User,
    request=None,
) -> Application:
    """Record the executive committee's decision (章程第八条（三）). An approved application
    becomes a member company from ``decided_on``, with its contact as the main contact, who
    is invited to log in (when they gave an email address).

    Refused while a member company has the same credit code or name: the group looks at the
    duplicate first.
    """
    if decided_on > timezone.localdate():
        raise ValidationError(_("The date of the meeting cannot be in the future."), code="future")
    with transaction.atomic():
        application = _locked_open(application, [Application.Status.CHECKED])
        application.decided_on = decided_on
        application.decided_by = acting_user
        application.decision_recorded_at = timezone.now()
        application.decision_note = (note or "").strip()
        prospect = Prospect.objects.select_for_update().filter(pk=application.prospect_id).first()
        if not approved:
            application.status = Application.Status.DECLINED
            application.save()
            if prospect is not None:
                prospect.stage = Prospect.Stage.DECLINED
                prospect.save(update_fields=["stage", "updated_at"])
            _note(application, acting_user, _("Not approved by the executive committee."))
            transaction.on_commit(lambda: _tell_applicant(application, request))
            return application

        clash = Company.objects.filter(
            Q(credit_code=application.credit_code)
            | Q(name__in=name_variants(application.company_name))
        ).first()
        if clash is not None:
            raise ValidationError(
                _(
                    "%(company)s is already in the register with this name or credit code: "
                    "look at it before approving."
                ),
                code="duplicate",
                params={"company": clash.name},
            )
        company = Company(
            name=application.company_name,
            credit_code=application.credit_code,
            industry=application.industry,
            industry_text=application.industry_text,
            address=application.address,
            tier=application.tier,
            profile=application.profile,
            status=Company.Status.ACTIVE,
            member_since=decided_on,
        )
        company._history_user = acting_user
        company.save()
        person = Person(
            name=application.contact_name,
            company=company,
            title=application.contact_title,
            mobile=application.contact_mobile,
            email=application.contact_email,
            is_main_contact=True,
        )
        person._history_user = acting_user
        person.save()
        application.status = Application.Status.APPROVED
        application.company = company
        application.save()
        if prospect is not None:
            prospect.stage = Prospect.Stage.JOINED
            prospect.converted_company = company
            prospect.save(update_fields=["stage", "converted_company", "updated_at"])
        _note(application, acting_user, _("Approved by the executive committee."))
        if person.email:
            # Sent inside the transaction: if the invitation fails, nothing is recorded.
            invite_person(person=person, acting_user=acting_user, request=request)
        transaction.on_commit(lambda: _tell_applicant(application, request))
    return application


def _tell_applicant(application: Application, request=None) -> None:
    mail.send(
        "development/email/decided",
        [application.contact_email],
        {
            "application": application,
            "track_url": mail.absolute_url(
                reverse("development:track", args=[track_token(application)]), request
            ),
        },
    )


# --- Deleting -------------------------------------------------------------------------------

# An application whose contact never confirmed (by SMS code or email link) is kept this many
# days, then deleted with its licence photo: the link expires after three days
# (verification.CONFIRM_MAX_AGE), and nobody in the chamber has seen it.
UNCONFIRMED_DAYS = 7


def application_delete(*, application: Application) -> None:
    """Delete an application with what it holds of the applicant: its licence photo, its
    history, and its place in the pipeline unless it became a member company (then the
    prospect, which records the joining, stays). The file goes once the deletion commits."""
    with transaction.atomic():
        licence = application.licence
        name, storage = licence.name, licence.storage
        prospect_id = application.prospect_id
        pk = application.pk
        application.delete()
        # After the delete, which writes a history row of its own.
        Application.history.filter(id=pk).delete()
        if prospect_id:
            Prospect.objects.filter(pk=prospect_id, converted_company__isnull=True).delete()
        if name:
            transaction.on_commit(lambda: storage.delete(name))


def delete_unconfirmed_applications(*, days: int = UNCONFIRMED_DAYS, now=None) -> int:
    """Delete the applications sent more than ``days`` days ago whose contact never
    confirmed, each with its licence photo; return how many. Safe to run at any time and
    twice (cron, or the task ``development.tasks.delete_unconfirmed``)."""
    now = now or timezone.now()
    old = Application.objects.filter(
        status=Application.Status.UNCONFIRMED,
        created_at__lt=now - datetime.timedelta(days=days),
    ).only("pk", "licence", "prospect_id")
    count = 0
    for application in old.iterator(chunk_size=200):
        application_delete(application=application)
        count += 1
    if count:
        logger.info("deleted %s unconfirmed applications older than %s days", count, days)
    return count
