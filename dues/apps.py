from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DuesConfig(AppConfig):
    name = "dues"
    verbose_name = _("Membership dues")

    def ready(self):
        from core.counts import track
        from core.notifications import EMAIL, INAPP, WECHAT, Kind, register
        from core.sections import Section, register_section
        from members.models import Company

        from . import rules  # noqa: F401  (registers the app's rules)
        from .models import Bill, DuesStandard, Payment
        from .views import me_section_context

        track(Bill, Payment, DuesStandard)

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
                tables=(Bill, Payment, Company),  # kept rendered until a bill or payment changes
            )
        )
