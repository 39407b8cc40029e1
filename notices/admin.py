"""The secretariat's back office for notices, the journal and spotlights."""

from django.contrib import admin, messages
from django.db.models import Count
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from js_asset import Media

from core import limits
from core.admin import HistoryAdmin, RuleAdminMixin, RuleInlineMixin
from core.rules import require
from core.share_links import admin_share_link

from . import services
from .forms import AttachmentInlineForm, EditorImageForm, NoticeAdminForm, SpotlightAdminForm
from .models import (
    JournalIssue,
    Notice,
    NoticeAttachment,
    NoticeRead,
    Spotlight,
    SpotlightPhoto,
)
from .public import is_shared
from .publishing import audience_summary, notice_publish

# Pictures one person may upload from the editor (count, seconds): plenty for a long notice.
EDITOR_IMAGES_PER_10_MINUTES = (60, 600)


class AttachmentInline(RuleInlineMixin, admin.TabularInline):
    model = NoticeAttachment
    form = AttachmentInlineForm
    fields = ["file", "name", "order"]
    extra = 1


class StateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return STATES

    def queryset(self, request, queryset):
        now = timezone.now()
        value = self.value()
        if value == "draft":
            return queryset.filter(publish_at__isnull=True)
        if value == "scheduled":
            return queryset.filter(publish_at__gt=now)
        if value == "published":
            return queryset.current(now)
        if value == "expired":
            return queryset.filter(publish_at__lte=now, expires_at__lte=now)
        return queryset


STATES = [
    ("draft", _("Draft")),
    ("scheduled", _("Scheduled")),
    ("published", _("Published")),
    ("expired", _("Expired")),
]


@admin.register(Notice)
class NoticeAdmin(RuleAdminMixin, HistoryAdmin):
    form = NoticeAdminForm
    list_display = [
        "title",
        "audience_display",
        "is_pinned",
        "publish_at",
        "expires_at",
        "state_display",
        "read_count",
    ]
    list_filter = [StateFilter, "audience", "group", "is_pinned"]
    list_select_related = ["group"]
    search_fields = ["title", "body_text"]
    autocomplete_fields = ["group"]
    date_hierarchy = "publish_at"
    inlines = [AttachmentInline]
    readonly_fields = ["created_by", "created_at", "reminded_at", "share_link"]
    fieldsets = [
        (None, {"fields": ["title", "body"]}),
        (
            _("Who and when"),
            {"fields": ["audience", "group", "is_pinned", "publish_at", "expires_at"]},
        ),
        (_("Sharing outside"), {"fields": ["public_share", "share_link"]}),
        (
            _("Record"),
            {"fields": ["created_by", "created_at", "reminded_at"], "classes": ["collapse"]},
        ),
    ]
    actions = ["remind_unread"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(read_total=Count("reads"))

    # --- 预览 / 存为草稿 / 发布 ----------------------------------------------------------
    # Saving keeps a draft (the publish time starts empty); 预览 saves and shows the notice
    # as a member will see it; 发布 saves and asks, naming to whom, before it goes out.

    def get_urls(self):
        app, model = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<int:pk>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name=f"{app}_{model}_preview",
            ),
            path(
                "pictures/",
                self.admin_site.admin_view(self.editor_image_upload_view),
                name="notices_editor_image_upload",
            ),
            path(
                "<int:pk>/publish/",
                self.admin_site.admin_view(self.publish_view),
                name=f"{app}_{model}_publish",
            ),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, *args, **kwargs):
        # The editor's import map is an inline script: it carries this request's CSP nonce.
        context["media"] = Media.from_media(context["media"], nonce=request.csp_nonce)
        return super().render_change_form(request, context, *args, **kwargs)

    def _next_step(self, request, obj):
        for button, name in (("_preview", "preview"), ("_publish", "publish")):
            if button in request.POST:
                return HttpResponseRedirect(reverse(f"admin:notices_notice_{name}", args=[obj.pk]))
        return None

    def response_add(self, request, obj, post_url_continue=None):
        return self._next_step(request, obj) or super().response_add(
            request, obj, post_url_continue
        )

    def response_change(self, request, obj):
        return self._next_step(request, obj) or super().response_change(request, obj)

    def _notice_for(self, request, pk):
        require("notices.publish", request.roles)
        notice = Notice.objects.select_related("group").filter(pk=pk).first()
        if notice is None:
            raise Http404
        return notice

    def preview_view(self, request, pk):
        """The notice as a member will see it, before it is out."""
        notice = self._notice_for(request, pk)
        return render(
            request,
            "notices/notice_preview.html",
            {
                "notice": notice,
                "state": notice.state(),
                "attachments": list(notice.attachments.all()),
                "audience": audience_summary(notice),
            },
        )

    def publish_view(self, request, pk):
        """Ask, naming to whom, then publish."""
        notice = self._notice_for(request, pk)
        if request.method == "POST":
            notice = notice_publish(notice=notice, acting_user=request.user)
            self.log_change(request, notice, [{"changed": {"fields": ["publish_at"]}}])
            if notice.state() == "scheduled":
                message = gettext("“%(title)s” will be published %(when)s.") % {
                    "title": notice,
                    "when": timezone.localtime(notice.publish_at).strftime("%Y-%m-%d %H:%M"),
                }
            else:
                message = gettext("“%(title)s” was published to %(audience)s.") % {
                    "title": notice,
                    "audience": audience_summary(notice),
                }
            self.message_user(request, message, messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:notices_notice_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Publish the notice"),
            "notice": notice,
            "state": notice.state(),
            "audience": audience_summary(notice),
        }
        return TemplateResponse(request, "admin/notices/notice/publish.html", context)

    def save_model(self, request, obj, form, change):
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.link_editor_images(form.instance)

    def editor_image_upload_view(self, request):
        """A picture from the editor's 上传图片 (notices and spotlights): stored privately,
        its address returned as JSON for the editor to insert; a refusal says why."""
        require("notices.publish", request.roles)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not limits.hit(f"editor-images:{request.user.pk}", *EDITOR_IMAGES_PER_10_MINUTES):
            return JsonResponse(
                {"error": gettext("Too many pictures in ten minutes. Try again later.")},
                status=429,
            )
        form = EditorImageForm(request.POST, request.FILES)
        if not form.is_valid():
            return JsonResponse({"error": " ".join(form.errors["image"])}, status=400)
        picture = services.editor_image_upload(
            upload=form.cleaned_data["image"], acting_user=request.user
        )
        return JsonResponse({"url": picture.get_absolute_url()}, status=201)

    @admin.display(description=_("public share link"))
    def share_link(self, notice):
        return admin_share_link(notice, shown=is_shared(notice))

    @admin.display(description=_("for"), ordering="audience")
    def audience_display(self, notice):
        return notice.audience_label()

    @admin.display(description=_("state"))
    def state_display(self, notice):
        return dict(STATES)[notice.state()]

    @admin.display(description=_("read by"), ordering="read_total")
    def read_count(self, notice):
        return notice.read_total

    @admin.action(permissions=["change"], description=_("Email the people who have not read it"))
    def remind_unread(self, request, queryset):
        # One notice at a time: each has its own recipients (a few queries per notice).
        for notice in queryset.current():
            try:
                sent, without_email = services.email_unread(
                    notice=notice, acting_user=request.user, request=request
                )
            except OSError:
                self.message_user(
                    request,
                    gettext("%(title)s: the reminders could not be sent.") % {"title": notice},
                    messages.ERROR,
                )
                continue
            self.message_user(
                request,
                gettext("%(title)s: reminded %(count)s people; %(missing)s without email.")
                % {"title": notice, "count": len(sent), "missing": len(without_email)},
                messages.SUCCESS,
            )


@admin.register(NoticeRead)
class NoticeReadAdmin(RuleAdminMixin, admin.ModelAdmin):
    """Read receipts, to look up; they are written only by people opening notices."""

    list_display = ["notice", "person", "company", "read_at"]
    list_filter = ["notice"]
    list_select_related = ["notice", "person__company"]
    search_fields = ["notice__title", "person__name", "person__company__name"]
    date_hierarchy = "read_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # A log the app writes: deleting a row would rewrite what happened (and let a
        # reminder go out twice).
        return False

    @admin.display(description=_("company"), ordering="person__company__name_pinyin")
    def company(self, read):
        return read.person.company or ""


@admin.register(JournalIssue)
class JournalIssueAdmin(RuleAdminMixin, HistoryAdmin):
    list_display = ["number", "title", "published_on", "is_published", "featured_count"]
    list_display_links = ["number", "title"]
    list_filter = ["is_published", "published_on"]
    search_fields = ["title", "summary", "featured_companies__name"]
    autocomplete_fields = ["featured_companies"]
    fields = [
        "number",
        "title",
        "published_on",
        "summary",
        "cover",
        "pdf",
        "featured_companies",
        "is_published",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(featured_total=Count("featured_companies"))

    @admin.display(description=_("featured companies"), ordering="featured_total")
    def featured_count(self, issue):
        return issue.featured_total


class SpotlightPhotoInline(RuleInlineMixin, admin.TabularInline):
    model = SpotlightPhoto
    fields = ["image", "caption", "order"]
    extra = 1


@admin.register(Spotlight)
class SpotlightAdmin(RuleAdminMixin, HistoryAdmin):
    form = SpotlightAdminForm
    list_display = ["title", "company", "published_on", "journal_issue", "is_published"]
    list_filter = ["is_published", "published_on"]
    list_select_related = ["company", "journal_issue"]
    search_fields = ["title", "summary", "story_text", "company__name", "company__name_initials"]
    autocomplete_fields = ["company", "journal_issue"]
    inlines = [SpotlightPhotoInline]
    fields = [
        "company",
        "title",
        "summary",
        "story",
        "published_on",
        "journal_issue",
        "is_published",
        "public_share",
        "share_link",
    ]
    readonly_fields = ["share_link"]

    def render_change_form(self, request, context, *args, **kwargs):
        # The editor's import map is an inline script: it carries this request's CSP nonce.
        context["media"] = Media.from_media(context["media"], nonce=request.csp_nonce)
        return super().render_change_form(request, context, *args, **kwargs)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.link_editor_images(form.instance)

    @admin.display(description=_("public share link"))
    def share_link(self, spotlight):
        return admin_share_link(spotlight, shown=is_shared(spotlight))
