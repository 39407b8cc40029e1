"""Who may see what of charity's records (see core.rules)."""

from core.rules import rule


@rule("charity.see_protected_names")
def see_protected_names(roles) -> bool:
    """Sensitive beneficiaries' names and details (students, minors, guardians): the
    secretariat alone; every such read is logged (UnmaskLog)."""
    return roles.is_secretariat


@rule("charity.see_all_givers")
def see_all_givers(roles) -> bool:
    """Every giver named, whether or not their company chose to be listed: the president, the
    secretariat and supervisors."""
    return roles.sees_everything


@rule("charity.issue_acknowledgements")
def issue_acknowledgements(roles) -> bool:
    """Print the acknowledgement (捐赠确认函) of any received donation: the secretariat, who
    issue them (a member company prints its own)."""
    return roles.is_secretariat


@rule("charity.see_own_donations")
def see_own_donations(roles) -> bool:
    """Their own company's donations and pairings: people of an active member company."""
    return roles.is_member and roles.company is not None


@rule("charity.choose_listing")
def choose_listing(roles) -> bool:
    """Choose whether their company is named among the contributors: people of an active
    member company."""
    return roles.is_member and roles.company is not None


@rule("charity.see_pairing_photos")
def see_pairing_photos(roles, pairing=None) -> bool:
    """A pairing's photos: everyone who may open the pairing, except that photos of a
    sensitive beneficiary (children, people in need) stay with the secretariat. Without a
    pairing: whether the person sees every pairing's photos (the secretariat)."""
    if pairing is not None and not pairing.beneficiary.is_sensitive:
        return True
    return see_protected_names(roles)
