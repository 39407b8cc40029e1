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


@rule("members.see_own_company")
def see_own_company(roles) -> bool:
    """/me/, their own company's page with its problems, sign-ups, pairings and donations:
    people of an active member company."""
    return roles.is_member


@rule("members.keep_registry")
def keep_registry(roles) -> bool:
    """Keep the registry: every company, former members included, edited in the back office:
    the secretariat."""
    return roles.is_secretariat


@rule("members.keep_own_company")
def keep_own_company(roles) -> bool:
    """Keep their own company's record from /me/: its public profile, logo and address and
    its people directly, its register facts (name, credit code, tier, status) by a request
    to the secretariat: people of an active member company."""
    return roles.is_member
