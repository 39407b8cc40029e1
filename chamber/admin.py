"""The secretariat's back office for the organisation: accounts, terms, positions, groups, rules
and honors; and inviting people to log in."""

from allauth.account.admin import EmailAddressAdmin as AllauthEmailAddressAdmin
from allauth.account.models import EmailAddress
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin import HistoryAdmin, RuleAdminMixin, RuleInlineMixin
from core.rules import allows, require
from members.admin import PersonAdmin
from members.models import Person

from .models import (
    SECRETARIAT_GROUP,
    SUPERVISORS_GROUP,
    Document,
    DocumentComment,
    DocumentVersion,
    GroupMembership,
    Honor,
    Position,
    Term,
    User,
    WorkingGroup,
)
from .rules import manageable_accounts
from .services import invite_person, publish_version

GROUP_LABELS = {SECRETARIAT_GROUP: _("Secretariat"), SUPERVISORS_GROUP: _("Supervisors")}


def group_label(group) -> str:
    """A group as the secretary calls it (秘书处), not its name in the code (secretariat)."""
    return str(GROUP_LABELS.get(group.name, group.name))


class GroupFilter(admin.SimpleListFilter):
    """The accounts' groups by their Chinese names (Django's own filter shows the code's)."""

    title = _("group")
    parameter_name = "group"

    def lookups(self, request, model_admin):
        return [(str(group.pk), group_label(group)) for group in Group.objects.order_by("pk")]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(groups__pk=int(value))
        return queryset


def invite_people(modeladmin, request, people, *, without_person=()):
    """Invite each person, then tell the staff member who was invited and who was not."""
    invited, without_email = [], []
    for person in people:
        try:
            invite_person(person=person, acting_user=request.user, request=request)
        except ValidationError as error:
            if error.code == "no_email":
                without_email.append(person.name)
            else:
                modeladmin.message_user(
                    request,
                    gettext("%(name)s was not invited: %(reason)s")
                    % {"name": person.name, "reason": " ".join(error.messages)},
                    messages.ERROR,
                )
        except OSError:  # smtplib's errors included: the mail server did not take it.
            modeladmin.message_user(
                request,
                gettext("%(name)s was not invited: the email could not be sent.")
                % {"name": person.name},
                messages.ERROR,
            )
        else:
            invited.append(person.name)
    if invited:
        modeladmin.message_user(
            request,
            gettext("Emailed a set-password link to: %(names)s.") % {"names": "、".join(invited)},
            messages.SUCCESS,
        )
    if without_email:
        modeladmin.message_user(
            request,
            gettext("Skipped, no email address: %(names)s.") % {"names": "、".join(without_email)},
            messages.WARNING,
        )
    if without_person:
        modeladmin.message_user(
            request,
            gettext("Skipped, not linked to a person: %(names)s.")
            % {"names": "、".join(without_person)},
            messages.WARNING,
        )


class PersonChoicesMixin:
    """A person is shown with their company: fetch both in one query."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Person and "queryset" not in kwargs:
            kwargs["queryset"] = Person.objects.select_related("company")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(User)
class UserAdmin(RuleAdminMixin, PersonChoicesMixin, DjangoUserAdmin):
    fieldsets = (
        (None, {"fields": ("username", "password", "person")}),
        *DjangoUserAdmin.fieldsets[1:],
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "email",
                    "person",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    list_display = [
        "username",
        "person_name",
        "email",
        "is_staff",
        "is_active",
        "group_names",
        "last_login",
    ]
    list_filter = ["is_staff", "is_superuser", "is_active", GroupFilter]
    list_select_related = ["person"]
    search_fields = [*DjangoUserAdmin.search_fields, "person__name"]
    protected_fields = {"email": "members.see_contacts"}
    autocomplete_fields = ["person"]
    actions = ["send_password_set_link"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if not request.user.is_superuser:
            # The secretariat manages accounts but cannot hand out more power than it has.
            readonly = [*readonly, "is_superuser", "user_permissions"]
        if obj is not None and not allows("chamber.manage_account", request.roles, obj):
            # A new address would let the password be reset to it: a takeover.
            readonly = [*readonly, "email"]
        return readonly

    def user_change_password(self, request, id, form_url=""):
        user = self.get_object(request, id)
        if user is not None:
            require("chamber.manage_account", request.roles, user)
        return super().user_change_password(request, id, form_url)

    def has_change_permission(self, request, obj=None):
        # Changing a superuser's email or password would be a way to become one.
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    def has_invite_permission(self, request):
        return request.user.has_perm("chamber.add_user")

    @admin.display(description=_("person"), ordering="person__name")
    def person_name(self, obj):
        return obj.person.name if obj.person else ""

    @admin.display(description=_("groups"))
    def group_names(self, obj):
        return "、".join(group_label(g) for g in obj.groups.all())

    @admin.action(permissions=["invite"], description=_("Email a set-password link"))
    def send_password_set_link(self, request, queryset):
        users = list(queryset.select_related("person"))
        protected = [
            user.username
            for user in users
            if not allows("chamber.manage_account", request.roles, user)
        ]
        if protected:
            self.message_user(
                request,
                gettext(
                    "Not sent, these accounts have more rights than yours (only a superuser "
                    "may): %(names)s."
                )
                % {"names": "、".join(protected)},
                messages.ERROR,
            )
        invite_people(
            self,
            request,
            [user.person for user in users if user.person and user.username not in protected],
            without_person=[user.username for user in users if not user.person],
        )


admin.site.unregister(EmailAddress)


@admin.register(EmailAddress)
class EmailAddressAdmin(RuleAdminMixin, AllauthEmailAddressAdmin):
    """allauth's, except that staff touch only the addresses of accounts they may manage
    (``chamber.manage_account``): adding one to an account with more rights would let them
    reset its password by email. Every row is an email address (its title too): only for
    those who may see contacts."""

    list_select_related = ["user__person"]
    protected_fields = {"email": "members.see_contacts"}
    view_rules = ("members.see_contacts",)

    def get_queryset(self, request):
        # Before any row is looked up, so that a reader's change and history pages answer
        # 403 rather than "does not exist".
        require("members.see_contacts", request.roles)
        queryset = super().get_queryset(request)
        if not request.user.is_superuser:
            queryset = queryset.filter(user__in=manageable_accounts(request.user))
        return queryset

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user" and not request.user.is_superuser:
            kwargs["queryset"] = manageable_accounts(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class PersonInviteAdmin(PersonAdmin):
    """The roster, with an action that gives the selected people a login."""

    actions = [*(PersonAdmin.actions or ()), "invite_to_log_in"]

    def has_invite_permission(self, request):
        return request.user.has_perm("chamber.add_user")

    @admin.action(
        permissions=["invite"], description=_("Invite to log in (email a set-password link)")
    )
    def invite_to_log_in(self, request, queryset):
        invite_people(self, request, queryset)


admin.site.unregister(Person)
admin.site.register(Person, PersonInviteAdmin)


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(RuleAdminMixin, DjangoGroupAdmin):
    list_display = ["label"]

    @admin.display(description=_("group"), ordering="name")
    def label(self, group):
        return group_label(group)


class PositionInline(RuleInlineMixin, PersonChoicesMixin, admin.TabularInline):
    model = Position
    fields = ["title", "person", "order", "portfolio"]
    autocomplete_fields = ["person"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person__company")


@admin.register(Term)
class TermAdmin(RuleAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "starts_on", "ends_on", "is_current", "position_count"]
    list_filter = ["starts_on"]
    search_fields = ["number__exact"]
    inlines = [PositionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(position_count=Count("positions"))

    @admin.display(description=_("current term"), boolean=True)
    def is_current(self, obj):
        return obj.starts_on <= timezone.localdate() <= obj.ends_on

    @admin.display(description=_("positions"), ordering="position_count")
    def position_count(self, obj):
        return obj.position_count


@admin.register(Position)
class PositionAdmin(RuleAdminMixin, PersonChoicesMixin, HistoryAdmin):
    list_display = ["term", "title", "person_name", "company", "order", "portfolio"]
    list_display_links = ["person_name"]
    list_filter = ["term", "title"]
    list_select_related = ["term", "person__company"]
    search_fields = ["person__name", "person__company__name", "portfolio"]
    autocomplete_fields = ["person"]

    @admin.display(description=_("person"), ordering="person__name")
    def person_name(self, obj):
        return obj.person.name

    @admin.display(description=_("company"), ordering="person__company__name_pinyin")
    def company(self, obj):
        return obj.person.company or ""


class GroupMembershipInline(RuleInlineMixin, PersonChoicesMixin, admin.TabularInline):
    model = GroupMembership
    fields = ["term", "role", "person"]
    autocomplete_fields = ["person"]
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "term":
            # Evaluated once for the formset rather than once per row; the queryset still
            # validates what is posted.
            field.choices = list(field.choices)
        return field

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("group", "term", "person__company")


@admin.register(WorkingGroup)
class WorkingGroupAdmin(RuleAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "order", "member_count"]
    list_filter = ["kind"]
    search_fields = ["name", "description"]
    inlines = [GroupMembershipInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count("memberships"))

    @admin.display(description=_("number of members"), ordering="member_count")
    def member_count(self, obj):
        return obj.member_count


@admin.register(DocumentVersion)
class DocumentVersionAdmin(RuleAdminMixin, admin.ModelAdmin):
    """Versions of a rule: a draft with its comment period, and the versions that came into
    force. A draft becomes the rule in force by the action below or the button on the rule's
    page; a published version's text is kept as it was."""

    list_display = [
        "label",
        "document",
        "comment_starts_on",
        "comment_ends_on",
        "comment_total",
        "published_at",
        "effective_on",
    ]
    list_filter = ["document", ("published_at", admin.EmptyFieldListFilter)]
    list_select_related = ["document"]
    search_fields = ["label", "document__title", "body"]
    autocomplete_fields = ["document"]
    fields = [
        "document",
        "label",
        ("comment_starts_on", "comment_ends_on"),
        "body",
        "file",
        "change_note",
        "effective_on",
        "published_at",
        "published_by",
    ]
    readonly_fields = ["published_at", "published_by"]
    actions = ["publish"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(comment_total=Count("comments"))

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not obj.is_draft:
            return [*self.fields[:2], *self.fields[3:], "comment_starts_on", "comment_ends_on"]
        return self.readonly_fields

    @admin.display(description=_("comments"), ordering="comment_total")
    def comment_total(self, version):
        return version.comment_total

    @admin.action(permissions=["change"], description=_("Publish as the rule in force"))
    def publish(self, request, queryset):
        for version in queryset.select_related("document"):
            try:
                publish_version(version=version, acting_user=request.user)
            except ValidationError as error:
                self.message_user(request, f"{version}: {' '.join(error.messages)}", messages.ERROR)
            else:
                self.message_user(
                    request,
                    gettext("%(version)s is now the rule in force.") % {"version": version},
                    messages.SUCCESS,
                )


@admin.register(Document)
class DocumentAdmin(RuleAdminMixin, HistoryAdmin):
    list_display = ["title", "kind", "is_published", "effective_on", "order", "updated_at"]
    list_filter = ["kind", "is_published"]
    search_fields = ["title", "body"]
    fields = ["title", "kind", "is_published", "effective_on", "order", "body", "file"]


@admin.register(DocumentComment)
class DocumentCommentAdmin(RuleAdminMixin, admin.ModelAdmin):
    """Comments on draft rules, to read; members write them on the rule's page."""

    list_display = ["document_title", "version_label", "person", "company", "created_at", "body"]
    list_filter = ["version__document", "created_at"]
    list_select_related = ["version__document", "person__company"]
    search_fields = ["body", "person__name", "person__company__name", "version__document__title"]
    readonly_fields = ["version", "person", "author", "body", "created_at"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("rule"), ordering="version__document__title")
    def document_title(self, comment):
        return comment.version.document.title

    @admin.display(description=_("version"), ordering="version__label")
    def version_label(self, comment):
        return comment.version.label

    @admin.display(description=_("company"), ordering="person__company__name_pinyin")
    def company(self, comment):
        return comment.person.company or ""


class RecipientFilter(admin.SimpleListFilter):
    title = _("awarded to")
    parameter_name = "awarded_to"

    def lookups(self, request, model_admin):
        return [("chamber", _("The chamber")), ("company", _("A member company"))]

    def queryset(self, request, queryset):
        if self.value() == "chamber":
            return queryset.filter(company__isnull=True)
        if self.value() == "company":
            return queryset.filter(company__isnull=False)
        return queryset


@admin.register(Honor)
class HonorAdmin(RuleAdminMixin, admin.ModelAdmin):
    list_display = ["years", "title", "awarded_by", "recipient"]
    list_display_links = ["title"]
    list_filter = [RecipientFilter, "year"]
    list_select_related = ["company"]
    search_fields = ["title", "awarded_by", "company__name"]
    autocomplete_fields = ["company"]
    fields = ["year", "year_end", "title", "awarded_by", "company", "description"]

    @admin.display(description=_("years"), ordering="year")
    def years(self, obj):
        return obj.years

    @admin.display(description=_("awarded to"), ordering="company__name_pinyin")
    def recipient(self, obj):
        return obj.company or _("The chamber")
