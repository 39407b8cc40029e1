"""Giving back, one module per concept: ``beneficiaries`` (who is helped, their consents and the
log of who saw a protected name), ``campaigns``, ``pairings`` and their projects, ``photos``,
and ``donations`` (with whether a company is listed among the contributors).

Money is ``Decimal`` in 元 throughout (``money.money_field``: ``max_digits=14,
decimal_places=2``).
"""

from .beneficiaries import Beneficiary, Consent, UnmaskLog, mask_name
from .campaigns import Campaign
from .donations import ContributorPreference, Donation
from .pairings import Pairing, PairingKind, Project, derive_pairing_kind
from .photos import Photo

__all__ = [
    "Beneficiary",
    "Campaign",
    "Consent",
    "ContributorPreference",
    "Donation",
    "Pairing",
    "PairingKind",
    "Photo",
    "Project",
    "UnmaskLog",
    "derive_pairing_kind",
    "mask_name",
]
