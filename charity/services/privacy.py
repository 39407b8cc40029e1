"""Who may see a beneficiary's name, the log of unmasked views, and the consent a published
name needs."""

from core.rules import allows

from ..models import Beneficiary, UnmaskLog, mask_name


class NameNotPublishable(Exception):
    """Publishing this beneficiary's name is refused: there is no consent to publish it."""


def sees_protected_names(roles) -> bool:
    """Sensitive beneficiaries' names and details are for the secretariat alone."""
    return allows("charity.see_protected_names", roles)


def log_unmasked(beneficiaries, *, user, where: str) -> list[UnmaskLog]:
    """Record that ``user`` saw these beneficiaries' names unmasked (the sensitive ones)."""
    rows = [
        UnmaskLog(user=user, beneficiary=beneficiary, where=where[:255])
        for beneficiary in {b.pk: b for b in beneficiaries if b.is_sensitive}.values()
    ]
    return UnmaskLog.objects.bulk_create(rows) if rows else []


def beneficiary_names(beneficiaries, *, roles, user, where: str) -> dict[int, str]:
    """The name to show for each beneficiary, by pk: unmasked for the secretariat (and logged),
    masked (张*) for everyone else."""
    beneficiaries = list(beneficiaries)
    if sees_protected_names(roles):
        log_unmasked(beneficiaries, user=user, where=where)
        return {b.pk: b.name for b in beneficiaries}
    return {b.pk: b.masked_name for b in beneficiaries}


def current_consent(beneficiary: Beneficiary):
    """The beneficiary's latest consent still in force, or None. Reads ``consents.all()``, so
    a prefetch of ``consents`` saves the query."""
    consents = sorted(
        beneficiary.consents.all(), key=lambda c: (c.given_on, c.pk or 0), reverse=True
    )
    if consents and consents[0].is_current:
        return consents[0]
    return None


def may_publish_name(beneficiary: Beneficiary) -> bool:
    """A village, school or group may be named; a sensitive beneficiary only with a consent in
    force that allows publishing the name."""
    if not beneficiary.is_sensitive:
        return True
    consent = current_consent(beneficiary)
    return consent is not None and consent.publish_name


def beneficiary_public_name(beneficiary: Beneficiary) -> str:
    """The name to print in a thank-you list or the journal.

    Raises NameNotPublishable for a sensitive beneficiary without a consent to publish.
    """
    if not may_publish_name(beneficiary):
        raise NameNotPublishable(
            f"beneficiary {beneficiary.pk} has no consent in force to publish the name"
        )
    return beneficiary.name


def beneficiary_public_label(beneficiary: Beneficiary) -> str:
    """The name where it may be published, else the masked name: for documents that leave
    the secretariat (acknowledgements, thank-you lists)."""
    try:
        return beneficiary_public_name(beneficiary)
    except NameNotPublishable:
        return mask_name(beneficiary.name)
