from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChamberConfig(AppConfig):
    name = "chamber"
    verbose_name = _("Chamber")

    def ready(self):
        from core.notifications import EMAIL, Kind, register

        from . import rules  # noqa: F401  (registers the app's rules)

        # An invitation carries a link that sets the account's password: by email only, to the
        # roster's address, never shown in the inbox or the secretariat's admin.
        register(
            Kind(
                "invitation",
                "chamber/email/invitation",
                _("invitation"),
                (EMAIL,),
                email_always=True,
                private=True,
            )
        )
