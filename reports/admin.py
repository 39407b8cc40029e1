from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import RuleAdminMixin, RuleInlineMixin

from .models import Framework, Heading, Indicator, IndicatorScore


class HeadingInline(RuleInlineMixin, admin.TabularInline):
    model = Heading
    extra = 0


class IndicatorInline(RuleInlineMixin, admin.TabularInline):
    model = Indicator
    extra = 0


@admin.register(Framework)
class FrameworkAdmin(RuleAdminMixin, admin.ModelAdmin):
    list_display = ["name", "version", "code", "is_current"]
    inlines = [HeadingInline]


@admin.register(Heading)
class HeadingAdmin(RuleAdminMixin, admin.ModelAdmin):
    list_display = ["title", "framework", "order"]
    list_filter = ["framework"]
    list_select_related = ["framework"]
    inlines = [IndicatorInline]


@admin.register(Indicator)
class IndicatorAdmin(RuleAdminMixin, admin.ModelAdmin):
    list_display = ["code", "text", "metric", "full_marks", "heading"]
    list_filter = ["heading__framework", "metric"]
    list_select_related = ["heading"]
    search_fields = ["text", "code"]


@admin.register(IndicatorScore)
class IndicatorScoreAdmin(RuleAdminMixin, SimpleHistoryAdmin):
    list_display = ["year", "indicator", "score", "updated_by", "updated_at"]
    list_filter = ["year", "indicator__heading__framework"]
    list_select_related = ["indicator", "updated_by"]
    autocomplete_fields = ["indicator"]
    readonly_fields = ["updated_by"]
