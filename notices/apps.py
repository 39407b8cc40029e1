from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "notices"
    verbose_name = _("Notices and journal")

    def ready(self):
        from . import checks, rules, sections  # noqa: F401  (registers the check and rules)

        sections.register()

        from django.db.models.signals import post_save

        from .models import Notice
        from .notifications import on_notice_saved, register_kinds

        register_kinds()
        post_save.connect(on_notice_saved, sender=Notice, dispatch_uid="notices.announce")
