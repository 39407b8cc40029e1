from django.utils import timezone

from core.counts import Expiring
from core.rules import allows

from .dashboard import key_figures, next_meeting_start


def home_dashboard(request):
    """The dashboard's key figures, first on the home page of the president, the secretariat
    and supervisors; None (no section) for everyone else. Kept rendered until a table they
    read changes (``KEY_FIGURE_TABLES``) or the quarter's next sharing meeting starts."""
    if not allows("reports.see_dashboard", request.roles):
        return None
    now = timezone.now()  # before counting: a meeting starting meanwhile ends the value at once
    figures = key_figures(request)
    return Expiring(figures, next_meeting_start(figures["today"], now))
