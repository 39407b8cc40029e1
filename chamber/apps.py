from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChamberConfig(AppConfig):
    name = "chamber"
    verbose_name = _("Chamber")

    def ready(self):
        from allauth.account.signals import user_logged_in

        from core.counts import track
        from members.models import Company, Person

        from . import (
            rules,  # noqa: F401  (registers the app's rules)
            wechat,
        )
        from .models import GroupMembership, Honor, Position, Term, WorkingGroup

        # The home page's figures (views.at_a_glance) are cached until a table they read changes;
        # /leadership/ is kept rendered until a term, seat, group or their people change, and a
        # company's page (members) until one of its honors does.
        track(Term, Company, Position, WorkingGroup, GroupMembership, Person, Honor)

        # A first WeChat login is linked once its person logs in by SMS code (chamber.wechat).
        user_logged_in.connect(wechat.link_pending, dispatch_uid="chamber_wechat_link")

        from core.notifications import EMAIL, Kind, register, register_audience

        from .roles import secretariat_accounts

        # For the apps below chamber that tell the secretariat something (members).
        register_audience("secretariat", secretariat_accounts)

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
