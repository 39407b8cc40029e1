"""The secretariat's record of what was sent: per message, who got it by which channel, and
the failures. Read only (the service writes it); for the secretariat alone
(``notifications.see_deliveries``): it shows addresses, mobiles and what each person was told.
"""

from django.contrib import admin
from django.db.models import Exists, OuterRef
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin import RuleAdminMixin, RuleInlineMixin, roles_of
from core.rules import allows

from . import registry
from .models import Delivery, Message

# The task queue's own table: the deliveries below are the record the secretariat reads.
try:
    from django_tasks_db.models import DBTaskResult
except ImportError:  # pragma: no cover
    DBTaskResult = None
if DBTaskResult is not None and admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)

STATUS_MARKS = {
    Delivery.Status.SENT: "✓",
    Delivery.Status.PENDING: "…",
    Delivery.Status.FAILED: "✗",
    Delivery.Status.SKIPPED: "–",
}


class ReadOnly(RuleAdminMixin, admin.ModelAdmin):
    def has_view_permission(self, request, obj=None):
        if not allows("notifications.see_deliveries", roles_of(request)):
            return False
        return super().has_view_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # The record of what was sent: deleting a row would let a message go out twice.
        return False


def _private(message) -> bool:
    try:
        return registry.get(message.kind).private
    except LookupError:
        return False


class FailedFilter(admin.SimpleListFilter):
    title = _("delivery")
    parameter_name = "failed"

    def lookups(self, request, model_admin):
        return [("1", _("with a failed delivery"))]

    def queryset(self, request, queryset):
        if self.value() == "1":
            failed = Delivery.objects.filter(message=OuterRef("pk"), status=Delivery.Status.FAILED)
            return queryset.filter(Exists(failed))
        return queryset


class KindFilter(admin.SimpleListFilter):
    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [(kind.name, kind.label) for kind in registry.kinds()]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(kind=self.value())
        return queryset


class DeliveryInline(RuleInlineMixin, admin.TabularInline):
    model = Delivery
    fields = ["channel", "address", "status", "attempts", "sent_at", "error"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Message)
class MessageAdmin(ReadOnly):
    list_display = ["created_at", "recipient", "kind_label", "shown_subject", "channels", "read_at"]
    list_filter = [KindFilter, FailedFilter]
    search_fields = ["recipient", "subject"]
    date_hierarchy = "created_at"
    fields = ["created_at", "recipient", "user", "kind_label", "shown_subject", "shown_body"]
    fields += ["url", "read_at", "batch"]
    readonly_fields = fields
    inlines = [DeliveryInline]
    list_per_page = 50

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("deliveries")

    @admin.display(description=_("kind"), ordering="kind")
    def kind_label(self, message):
        try:
            return registry.get(message.kind).label
        except LookupError:
            return message.kind

    @admin.display(description=_("subject"))
    def shown_subject(self, message):
        return message.subject

    @admin.display(description=_("text"))
    def shown_body(self, message):
        if _private(message):
            return gettext("(not shown: it carries a link that sets a password)")
        return message.body

    @admin.display(description=_("channels"))
    def channels(self, message):
        deliveries = sorted(message.deliveries.all(), key=lambda d: d.pk)
        return format_html_join(
            " · ",
            '<span class="delivery delivery-{}" title="{}">{} {}</span>',
            (
                (
                    d.status,
                    d.error or d.get_status_display(),
                    d.get_channel_display(),
                    STATUS_MARKS[d.status],
                )
                for d in deliveries
            ),
        ) or format_html("{}", "—")


@admin.register(Delivery)
class DeliveryAdmin(ReadOnly):
    list_display = ["message_created", "recipient", "kind", "channel", "address", "status"]
    list_display += ["attempts", "sent_at", "next_attempt_at", "error"]
    list_filter = ["status", "channel"]
    search_fields = ["message__recipient", "address"]
    list_select_related = ["message"]
    list_per_page = 50
    fields = ["message", "channel", "address", "status", "attempts", "sent_at"]
    fields += ["next_attempt_at", "provider_id", "error"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).order_by("-message__created_at", "-pk")

    @admin.display(description=_("sent at"), ordering="message__created_at")
    def message_created(self, delivery):
        return delivery.message.created_at

    @admin.display(description=_("recipient"), ordering="message__recipient")
    def recipient(self, delivery):
        return delivery.message.recipient

    @admin.display(description=_("kind"))
    def kind(self, delivery):
        return MessageAdmin.kind_label(None, delivery.message)
