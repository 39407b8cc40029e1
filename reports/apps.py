from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from core.counts import track
        from core.sections import Section, register_section

        from . import rules  # noqa: F401  (registers the app's rules)
        from .dashboard import DASHBOARD_TABLES, KEY_FIGURE_TABLES, MEMBERSHIP_TABLES
        from .metrics import FIGURE_TABLES
        from .sections import home_dashboard
        from .views import ASSESSMENT_TABLES

        # The dashboard's and the year's figures are cached until a table they read changes.
        track(*FIGURE_TABLES, *MEMBERSHIP_TABLES, *ASSESSMENT_TABLES, *KEY_FIGURE_TABLES)
        track(*DASHBOARD_TABLES)

        register_section(
            Section(
                page="home",
                key="dashboard",
                order=0,
                template_name="reports/includes/_home_dashboard.html",
                get_context=home_dashboard,
                tables=KEY_FIGURE_TABLES,
            )
        )
