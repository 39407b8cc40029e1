"""The one admin base: the back office obeys the rules of ``core.rules`` as the pages do.

Every ``ModelAdmin`` of the project starts its bases with ``RuleAdminMixin`` (before the
import-export and history bases, whose permission methods do not call ``super()``); inlines
start theirs with ``RuleInlineMixin``. An admin declares the fields that a rule guards::

    protected_fields = {"mobile": "members.see_contacts", "email": "members.see_contacts"}
    masked_fields = {"name": "masked_name"}  # optional: a read-only display that masks per row

and for a viewer who fails the rule the base then

- refuses URL lookups (400) on those fields, also through related paths (``person__mobile``)
  from any admin: the protected fields of every registered admin and inline are one map;
- lets anyone below the secretariat filter only by what the page offers (an allow-list: its
  ``list_filter`` parameters, its ``date_hierarchy`` and ``extra_lookups``), not by any field
  of the model, so that a yes/no answer cannot spell out a value; those who pass every rule
  (the secretariat) keep Django's default;
- leaves the fields out of search, list columns, sorting, the change form (also an old
  version's), history diffs and exports that cannot mask themselves (``export_rules``);
- keeps supervisors pure readers: no action and no import without the change permission,
  no revert of an old version by a view-only user.
"""

from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR, TO_FIELD_VAR
from django.contrib.admin.templatetags.admin_list import date_hierarchy, result_list
from django.contrib.admin.views.main import ERROR_FLAG, ChangeList
from django.contrib.admin.widgets import url_params_from_lookup_dict
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.core.paginator import InvalidPage
from django.db import DatabaseError, router, transaction
from django.db.models.constants import LOOKUP_SEP
from django.http import HttpResponseRedirect
from django.template.loader import select_template
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.utils.translation import gettext
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from core.admin_lists import CountedListMixin, CountedRows, with_counted_dates, with_known_length
from core.rules import allows

# What may follow a filter's field path in a URL: the lookups and transforms Django's own list
# filters and date hierarchy write (exact, isnull, isempty, gte/lt, year/month/day, id__exact).
FILTER_TAILS = frozenset(
    {"exact", "iexact", "in", "isnull", "isempty", "gt", "gte", "lt", "lte", "range"}
    | {"year", "month", "day", "date", "id", "pk"}
)

HIDDEN = "***"


def roles_of(request):
    return getattr(request, "roles", None)


def protected_map(admin_site=admin.site) -> dict:
    """{model: {field name: rule name}} from every registered admin and its inlines."""
    protected = {}
    for model, model_admin in admin_site._registry.items():
        fields = getattr(model_admin, "protected_fields", None) or {}
        if fields:
            protected.setdefault(model, {}).update(fields)
        for inline in getattr(model_admin, "inlines", ()):
            fields = getattr(inline, "protected_fields", None) or {}
            if fields:
                protected.setdefault(inline.model, {}).update(fields)
    return protected


def path_reaches_hidden(model, path: str, roles, protected: dict) -> bool:
    """Whether the lookup or field path, walked from ``model``, touches a field guarded by a
    rule that ``roles`` fail."""
    for part in path.lstrip("^=@").split(LOOKUP_SEP):
        rule = protected.get(model, {}).get(part)
        if rule and not allows(rule, roles):
            return True
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return False
        if not field.is_relation or field.related_model is None:
            return False
        model = field.related_model
    return False


def filter_items(items, hidden: set, masked: dict) -> list:
    """Field names (and rows of names) without the hidden ones, masked ones replaced."""
    kept = []
    for item in items:
        if isinstance(item, (list, tuple)):
            row = filter_items(item, hidden, masked)
            if row:
                kept.append(tuple(row) if isinstance(item, tuple) else row)
        elif isinstance(item, str) and item in hidden:
            if item in masked:
                kept.append(masked[item])
        else:
            kept.append(item)
    return kept


class ProtectedFieldsMixin:
    """What the change form and inlines share: hide the fields a viewer may not see.

    The mixins come first among an admin's bases, so they declare no class attributes of
    their own (they would shadow those of a later base, e.g. charity's export mixin): the
    settings are read with ``getattr`` and a default."""

    def hidden_fields(self, request) -> set[str]:
        roles = roles_of(request)
        protected = getattr(self, "protected_fields", None) or {}
        return {name for name, rule in protected.items() if not allows(rule, roles)}

    @property
    def field_masks(self) -> dict:
        return getattr(self, "masked_fields", None) or {}

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        hidden = self.hidden_fields(request)
        return filter_items(fields, hidden, self.field_masks) if hidden else fields

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        hidden = self.hidden_fields(request)
        if not hidden:
            return fieldsets
        kept = []
        for title, options in fieldsets:
            fields = filter_items(options.get("fields", ()), hidden, self.field_masks)
            if fields:
                kept.append((title, {**options, "fields": fields}))
        return kept

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        hidden = self.hidden_fields(request)
        masks = [self.field_masks[name] for name in hidden if name in self.field_masks]
        readonly = [name for name in readonly if name not in hidden]
        return [*readonly, *(name for name in masks if name not in readonly)]


class RuleInlineMixin(ProtectedFieldsMixin):
    """The base of every inline: its protected fields are left out of the parent's form."""


class MaskingHistoryHelper(HistoricalRecordContextHelper):
    """History diffs with the hidden fields' old and new values masked by the admin."""

    def __init__(self, model, historical_record, *, model_admin, hidden, **kwargs):
        super().__init__(model, historical_record, **kwargs)
        self.model_admin = model_admin
        self.hidden = hidden

    def stringify_delta_change_values(self, change, old, new):
        if change.field in self.hidden:
            old = self.model_admin.mask_history_value(change.field, old, self.record)
            new = self.model_admin.mask_history_value(change.field, new, self.record)
        return super().stringify_delta_change_values(change, old, new)


class RuleChangeList(ChangeList):
    """A change list that sorts only by the columns the viewer may sort by, and answers a
    filter value Python cannot hold (year 0, a 20-digit year) with the admin's "invalid
    filter" redirect rather than a 500."""

    def get_ordering_field(self, field_name):
        if self.sortable_by is not None and field_name not in self.sortable_by:
            return None
        return super().get_ordering_field(field_name)

    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except (ValueError, OverflowError) as error:
            raise admin.options.IncorrectLookupParameters(error) from error

    def get_queryset(self, request, exclude_parameters=None):
        try:
            queryset = super().get_queryset(request, exclude_parameters)
        except (ValueError, OverflowError) as error:
            raise admin.options.IncorrectLookupParameters(error) from error
        if isinstance(self.model_admin, CountedListMixin):
            queryset = with_counted_dates(queryset)
        return queryset

    def get_results(self, request):
        if not (self.get_filters_params() or self.query):
            return self.fetch_results(request)
        # A lookup Django lets through may fail only when the query runs (``email__range=x``
        # binds three values to two places; a number the column cannot hold). Inside a
        # transaction it runs in a savepoint, so that the transaction survives for the
        # "invalid filter" redirect; in autocommit (the admin's requests) a failed query
        # leaves the connection usable, and a savepoint would cost two more round trips.
        using = router.db_for_read(self.model)
        try:
            if not transaction.get_connection(using).in_atomic_block:
                return self.fetch_results(request)
            with transaction.atomic(using=using):
                return self.fetch_results(request)
        except (ValueError, TypeError, IndexError, OverflowError, DatabaseError) as error:
            raise admin.options.IncorrectLookupParameters(error) from error

    def fetch_results(self, request):
        """Django's results; for a ``CountedListMixin`` admin, the number of rows, the page's
        rows as HTML and what the date hierarchy offers (its first and last date, a MIN and
        MAX over the rows, and the years or months they span) come from the cache in one
        read (``CountedRows``)."""
        self.rows_html = self.date_hierarchy_context = None
        rows = None
        if (
            isinstance(self.model_admin, CountedListMixin)
            and not self.list_editable
            and not self.model_admin.show_full_result_count
        ):
            rows = CountedRows.plan(self, request)
        if rows is None:
            return super().get_results(request)
        rendered = []

        def render():
            # Counted here rather than cached apart (CountedPaginator): one value written to
            # the cache after a change, and one read, not two.
            self.results_counted(request, self.queryset.count())
            rendered.append(True)
            html = self.render_rows()
            hierarchy = date_hierarchy(self) if self.date_hierarchy else None
            return self.result_count, len(self.result_list), html, hierarchy

        count, length, self.rows_html, self.date_hierarchy_context = rows.read(render)
        if not rendered:
            self.results_counted(request, count, length)

    def results_counted(self, request, count, length=None):
        """Django's ``get_results()`` with the number of rows the filters leave known; with
        the number on the page known too, the rows are read only if something asks for them
        (the page asks only how many there are, for "0 of 100 selected")."""
        paginator = self.model_admin.get_paginator(request, self.queryset, self.list_per_page)
        paginator.count = count
        can_show_all = count <= self.list_max_show_all
        multi_page = count > self.list_per_page
        if (self.show_all and can_show_all) or not multi_page:
            result_list = self.queryset._clone()
        else:
            try:
                result_list = paginator.page(self.page_num).object_list
            except InvalidPage as error:
                raise admin.options.IncorrectLookupParameters(error) from error
        if length is not None:
            result_list = with_known_length(result_list, length)
        # CountedListMixin counts no unfiltered total ("N in all"): actions are shown.
        self.result_count = count
        self.show_full_result_count = False
        self.show_admin_actions = True
        self.full_result_count = None
        self.result_list = result_list
        self.can_show_all = can_show_all
        self.multi_page = multi_page
        self.paginator = paginator

    def render_rows(self) -> str:
        """The page's rows as ``{% result_list cl %}`` renders them."""
        # Set by Django once the results are read, for the rows' links and forms.
        self.pk_attname = self.lookup_opts.pk.attname
        self.formset = None
        opts = self.opts
        template = select_template(
            [
                f"admin/{opts.app_label}/{opts.model_name}/change_list_results.html",
                f"admin/{opts.app_label}/change_list_results.html",
                "admin/change_list_results.html",
            ]
        )
        return template.render(result_list(self))


class RuleAdminMixin(ProtectedFieldsMixin):
    """The base of every ModelAdmin (first among its bases); see the module's docstring."""

    # Settings an admin may declare (read with getattr, see ProtectedFieldsMixin):
    # - protected_fields = {field: rule}; masked_fields = {field: read-only display};
    # - extra_lookups: field paths the admin's own links filter by beyond its list filters,
    #   e.g. a page linking to the sign-ups of one event: ``extra_lookups = ["event"]``;
    # - export_rules: rules a viewer must pass to export, when the file carries what the
    #   resource cannot mask; export_masks_itself = True when the resources mask for the
    #   viewer themselves (charity's);
    # - view_rules: rules a viewer must pass to see the model at all (a model that is only
    #   contact data).

    # --- Who sees what ------------------------------------------------------------------

    def protected(self) -> dict:
        return protected_map(self.admin_site)

    def reaches_hidden(self, request, path: str) -> bool:
        return path_reaches_hidden(self.model, path, roles_of(request), self.protected())

    def passes_every_rule(self, request) -> bool:
        """Whether the viewer passes every rule that guards a field anywhere in the admin
        (the secretariat): they keep Django's own lookups."""
        roles = roles_of(request)
        rules = {rule for fields in self.protected().values() for rule in fields.values()}
        return all(allows(rule, roles) for rule in rules)

    def mask_history_value(self, field_name, value, record):
        """How a hidden field's old or new value shows in a history diff."""
        return HIDDEN if value not in (None, "") else value

    def get_deleted_objects(self, objs, request):
        # The rows of many-to-many tables ("Editorimage-notice关系: EditorImage_notices object
        # (2)") are no record a secretary knows: the confirmation names only real records.
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        links = [
            model._meta
            for model in apps.get_models(include_auto_created=True)
            if model._meta.auto_created
        ]
        prefixes = tuple(f"{capfirst(opts.verbose_name)}: " for opts in links)
        plurals = {str(opts.verbose_name_plural) for opts in links}

        def keep(items):
            kept = []
            for item in items:
                if isinstance(item, list):
                    if children := keep(item):
                        kept.append(children)
                elif not str(item).startswith(prefixes):
                    kept.append(item)
            return kept

        model_count = {
            name: count for name, count in model_count.items() if str(name) not in plurals
        }
        return keep(deleted), model_count, perms_needed, protected

    def get_action_choices(self, request, default_choices=None):
        # Django starts the list with "---------": say what the list is for.
        return super().get_action_choices(request, [("", gettext("Choose an action…"))])

    def has_view_permission(self, request, obj=None):
        roles = roles_of(request)
        if not all(allows(rule, roles) for rule in getattr(self, "view_rules", ())):
            return False
        return super().has_view_permission(request, obj)

    # --- URL lookups: an allow-list ------------------------------------------------------

    def offered_lookups(self, request):
        """(field paths, exact parameters) the page itself offers."""
        paths, parameters = list(getattr(self, "extra_lookups", ())), set()
        if self.date_hierarchy:
            paths.append(self.date_hierarchy)
        for item in self.get_list_filter(request):
            if isinstance(item, (list, tuple)):
                paths.append(item[0])
            elif isinstance(item, str):
                paths.append(item)
            elif isinstance(item, type) and issubclass(item, admin.SimpleListFilter):
                parameters.add(item.parameter_name)
        return paths, parameters

    def lookup_offered(self, lookup, value, request) -> bool:
        # Raw-id popups filter by a foreign key's limit_choices_to.
        for fk_lookup in self.model._meta.related_fkey_lookups:
            if callable(fk_lookup):
                fk_lookup = fk_lookup()
            if (lookup, value) in url_params_from_lookup_dict(fk_lookup).items():
                return True
        paths, parameters = self.offered_lookups(request)
        if lookup in parameters:
            return True
        parts = lookup.split(LOOKUP_SEP)
        for path in paths:
            head = path.split(LOOKUP_SEP)
            if parts[: len(head)] == head and FILTER_TAILS.issuperset(parts[len(head) :]):
                return True
        return False

    def lookup_allowed(self, lookup, value, request=None):
        if self.reaches_hidden(request, lookup):
            return False
        if not super().lookup_allowed(lookup, value, request):
            return False
        return self.passes_every_rule(request) or self.lookup_offered(lookup, value, request)

    # --- The change list -----------------------------------------------------------------

    def get_changelist(self, request, **kwargs):
        return RuleChangeList

    def changelist_view(self, request, extra_context=None):
        kept = {ERROR_FLAG, IS_POPUP_VAR, TO_FIELD_VAR}
        if ERROR_FLAG in request.GET and set(request.GET) - kept:
            # Django answers a bad filter twice over with its bare "database error" page:
            # the invalid-filter page with the whole list does.
            query = {key: value for key, value in request.GET.items() if key in kept}
            return HttpResponseRedirect(f"{request.path}?{urlencode(query)}")
        if ERROR_FLAG in request.GET and IS_POPUP_VAR not in request.GET:
            self.message_user(
                request,
                gettext("That filter cannot be applied: the whole list is shown."),
                messages.WARNING,
            )
        return super().changelist_view(request, extra_context)

    def get_search_fields(self, request):
        fields = super().get_search_fields(request)
        return [name for name in fields if not self.reaches_hidden(request, name)]

    def get_list_display(self, request):
        columns = super().get_list_display(request)
        hidden = self.hidden_fields(request)
        kept = []
        for column in columns:
            if isinstance(column, str) and column in hidden:
                if column in self.field_masks:
                    kept.append(self.field_masks[column])
            elif isinstance(column, str) and LOOKUP_SEP in column:
                if not self.reaches_hidden(request, column):
                    kept.append(column)
            else:
                kept.append(column)
        return kept

    def get_sortable_by(self, request):
        sortable = super().get_sortable_by(request)
        kept = []
        for column in sortable:
            order_field = column
            if not isinstance(column, str):
                order_field = getattr(column, "admin_order_field", None)
            elif not self._is_model_path(column):
                attr = getattr(self, column, None) or getattr(self.model, column, None)
                order_field = getattr(attr, "admin_order_field", None)
            if isinstance(order_field, str) and self.reaches_hidden(
                request, order_field.lstrip("-")
            ):
                continue
            kept.append(column)
        return kept

    def get_ordering(self, request):
        ordering = list(super().get_ordering(request) or self.model._meta.ordering or ())
        kept = [
            field
            for field in ordering
            if not (isinstance(field, str) and self.reaches_hidden(request, field.lstrip("-?")))
        ]
        # Sorted by a hidden field, a masked list would still tell where each value falls.
        return kept or (["pk"] if ordering else [])

    def _is_model_path(self, name) -> bool:
        try:
            self.model._meta.get_field(name.split(LOOKUP_SEP)[0])
        except FieldDoesNotExist:
            return False
        return True

    # --- History -------------------------------------------------------------------------

    def get_historical_record_context_helper(self, request, historical_record):
        hidden = self.hidden_fields(request)
        if not hidden:
            return super().get_historical_record_context_helper(request, historical_record)
        return MaskingHistoryHelper(self.model, historical_record, model_admin=self, hidden=hidden)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple_history lets a view-only user post a revert: only those who may change.
        if request.method == "POST" and not self.has_change_permission(request):
            raise PermissionDenied
        # simple_history's submit row reads this variable without defining it.
        extra_context = {"onclick_attrib": "", **(extra_context or {})}
        if not self.has_change_permission(request):
            # An old version is shown to a reader as the change view shows the current one:
            # every field read-only, nothing to type into.
            request._history_read_only = True
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if getattr(request, "_history_read_only", False):
            hidden = self.hidden_fields(request)
            readonly += [
                field.name
                for field in self.model._meta.get_fields()
                if field.concrete
                and field.editable
                and not field.auto_created
                and field.name not in hidden
                and field.name not in readonly
            ]
        return readonly

    # --- Readers stay readers ------------------------------------------------------------

    def get_actions(self, request):
        # Every action changes something or mails someone: for those who may change.
        if not self.has_change_permission(request):
            return {}
        return super().get_actions(request)

    def has_import_permission(self, request):
        parent = getattr(super(), "has_import_permission", None)
        return bool(
            parent is not None
            and parent(request)
            and self.has_add_permission(request)
            and self.has_change_permission(request)
        )

    def has_export_permission(self, request):
        parent = getattr(super(), "has_export_permission", None)
        if parent is None or not parent(request):
            return False
        roles = roles_of(request)
        if not all(allows(rule, roles) for rule in getattr(self, "export_rules", ())):
            return False
        if getattr(self, "export_masks_itself", False):
            return True
        for resource_class in getattr(self, "resource_classes", None) or ():
            for field in getattr(resource_class, "fields", {}).values():
                attribute = getattr(field, "attribute", None)
                if attribute and self.reaches_hidden(request, attribute):
                    return False
        return True


class RuleModelAdmin(RuleAdminMixin, admin.ModelAdmin):
    """A plain ModelAdmin on the rules."""


class HistoryAdmin(SimpleHistoryAdmin):
    """History pages for everyone who may view. Put ``RuleAdminMixin`` before it: the mixin
    masks the diffs and lets only those who may change revert to an old version."""


# The notification service's record (core.notifications.admin) registers with this module:
# it is core's own admin, and admin autodiscovery imports only ``core.admin``.
from core.notifications import admin as notifications_admin  # noqa: E402,F401
