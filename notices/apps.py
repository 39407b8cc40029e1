from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "notices"
    verbose_name = _("Notices and journal")

    def ready(self):
        from core.counts import track

        from . import checks, rules, sections  # noqa: F401  (registers the check and rules)
        from .models import JournalIssue, Notice, NoticeRead, Spotlight

        track(Notice, NoticeRead)  # the home page's section is kept rendered until one changes
        track(Spotlight, JournalIssue)  # a company's page shows its spotlights, kept rendered
        sections.register()

        from django.db.models.signals import post_save

        from .notifications import on_notice_saved, register_kinds

        register_kinds()
        post_save.connect(on_notice_saved, sender=Notice, dispatch_uid="notices.announce")
