"""Who may see what of charity's records (see core.rules)."""

from core.rules import rule


@rule("charity.see_protected_names")
def see_protected_names(roles) -> bool:
    """Sensitive beneficiaries' names and details (students, minors, guardians): the
    secretariat alone; every such read is logged (UnmaskLog)."""
    return roles.is_secretariat


@rule("charity.see_pairing_photos")
def see_pairing_photos(roles, pairing) -> bool:
    """A pairing's photos: everyone who may open the pairing, except that photos of a
    sensitive beneficiary (children, people in need) stay with the secretariat."""
    return not pairing.beneficiary.is_sensitive or see_protected_names(roles)
