"""Who may see the chamber's reports (see core.rules)."""

from core.rules import rule


@rule("reports.see_dashboard")
def see_dashboard(roles) -> bool:
    """The dashboard, and its key figures first on the home page: the president, the
    secretariat and supervisors."""
    return roles.sees_everything


@rule("reports.see_reports")
def see_reports(roles) -> bool:
    """The yearly 四好 self-assessment (print, xlsx) and the year's summary: the president,
    the secretariat and supervisors."""
    return roles.sees_everything


@rule("reports.score_four_goods")
def score_four_goods(roles) -> bool:
    """Fill in the 四好 self-scores: the secretariat."""
    return roles.is_secretariat


@rule("reports.open_back_office")
def open_back_office(roles) -> bool:
    """Follow the report's evidence into the back office's lists: those who use the back
    office, the secretariat and supervisors (the president reads the front end's pages)."""
    return roles.is_secretariat or roles.is_supervisor
