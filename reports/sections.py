from core.rules import allows

from .dashboard import key_figures


def home_dashboard(request):
    """The dashboard's key figures, first on the home page of the president, the secretariat
    and supervisors; None (no section) for everyone else."""
    if not allows("reports.see_dashboard", request.roles):
        return None
    return key_figures(request)
