"""Who may see what of charity's records (see core.rules)."""

from core.rules import rule


@rule("charity.see_protected_names")
def see_protected_names(roles) -> bool:
    """Sensitive beneficiaries' names and details (students, minors, guardians): the
    secretariat alone; every such read is logged (UnmaskLog)."""
    return roles.is_secretariat
