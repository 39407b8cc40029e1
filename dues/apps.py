from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DuesConfig(AppConfig):
    name = "dues"
    verbose_name = _("Membership dues")

    def ready(self):
        from core.notifications import EMAIL, INAPP, WECHAT, Kind, register
        from core.sections import Section, register_section

        from . import rules  # noqa: F401  (registers the app's rules)
        from .views import me_section_context

        register(
            Kind(
                "dues_reminder",
                "dues/email/reminder",
                _("membership dues overdue"),
                (INAPP, EMAIL, WECHAT),
            )
        )
        register_section(
            Section(
                page="me",
                key="dues",
                order=35,
                template_name="members/includes/me_dues.html",
                get_context=me_section_context,
            )
        )
