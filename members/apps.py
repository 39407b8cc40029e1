from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members")

    def ready(self):
        from core.counts import track
        from core.notifications import Kind, register

        from . import rules  # noqa: F401  (registers the app's rules)
        from .models import Company, CompanyChangeRequest, Tag

        # The directory's pages are cached until a company, a tag or a company's tags change.
        track(Company, Tag, Company.tags.through)
        track(CompanyChangeRequest)  # /me/'s company: the changes waiting for the secretariat
        register(
            Kind(
                "change_request",
                "members/email/change_request",
                _("a member asked to change the register"),
            )
        )
        register(
            Kind(
                "change_request_decided",
                "members/email/change_request_decided",
                _("your request to change the register was decided"),
            )
        )
