"""Who may see what the chamber sent to whom (see core.rules)."""

from core.rules import rule


@rule("notifications.see_deliveries")
def see_deliveries(roles) -> bool:
    """Every message sent, to whom, by which channel, and the failures: the secretariat (it
    shows people's addresses and mobiles, and what each was told)."""
    return roles.is_secretariat
