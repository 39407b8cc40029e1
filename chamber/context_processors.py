from django.conf import settings

from .roles import ANONYMOUS


def roles(request):
    """The user's roles, for navigation that shows only what they may use."""
    return {
        "roles": getattr(request, "roles", ANONYMOUS),
        "CHAMBER_NAME": settings.CHAMBER_NAME,
    }
