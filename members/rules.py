"""Who may see what of the registry (see core.rules)."""

from core.rules import rule


@rule("members.see_directory")
def see_directory(roles) -> bool:
    """The member directory and company pages: the secretariat, leaders, supervisors and
    people of active member companies."""
    return roles.sees_directory


@rule("members.see_contacts")
def see_contacts(roles) -> bool:
    """People's mobile numbers and emails: the secretariat and the leadership (PIPL: the
    minimum necessary; supervisors and members do not need them)."""
    return roles.sees_contacts
