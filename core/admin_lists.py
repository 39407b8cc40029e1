"""The change lists of the big tables (a city's 200,000 visits, 300,000 problems), kept cheap:
``CountedListMixin`` for their admins, and what ``core.admin.RuleChangeList`` reads for them.

- The number of rows the filters leave is counted once per change of the tables it reads
  (``CountedPaginator``), and the unfiltered total ("N in all") not at all.
- The years and months of the date hierarchy are cached the same way (``with_counted_dates``).
- The count and the page's rows as HTML are one cached value (``CountedRows``), so a page
  served from the cache reads no rows (``with_known_length``).
- A search reads each table once, in a form PostgreSQL reads faster (``search_term_query``).
"""

import dataclasses
import functools
import hashlib

from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Q, QuerySet
from django.db.models.constants import LOOKUP_SEP
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import get_language

from core import counts
from core.counts import count_of, counted, counted_list, counted_queryset, tables_in


class CountedPaginator(Paginator):
    """A paginator whose count of the rows is cached until one of the tables it reads
    changes (core.counts.counted_queryset): exact, and the same at once after a change."""

    @cached_property
    def count(self):
        if isinstance(self.object_list, QuerySet):
            return counted_queryset(self.object_list)
        return super().count


class CountedDatesQuerySet:
    """Mixed into a change list's queryset: ``dates()`` (the years, months or days the date
    hierarchy offers, a scan of every row) is cached until one of the tables changes."""

    def dates(self, field_name, kind, order="ASC"):
        return counted_list(super().dates(field_name, kind, order))

    def datetimes(self, *args, **kwargs):
        return counted_list(super().datetimes(*args, **kwargs))


@functools.cache
def _counted_dates_class(queryset_class):
    name = f"CountedDates{queryset_class.__name__}"
    return type(name, (CountedDatesQuerySet, queryset_class), {})


def with_counted_dates(queryset):
    """The queryset, its clones (filters, ordering) caching ``dates()``."""
    if not isinstance(queryset, CountedDatesQuerySet):
        queryset = queryset._clone()
        queryset.__class__ = _counted_dates_class(type(queryset))
    return queryset


def plain_search_path(model, path: str) -> list | None:
    """The fields a search field walks (``company__name``: company, name) when it is a text
    field reached through foreign keys only, as ``icontains`` searches it; else None."""
    fields = []
    for part in path.split(LOOKUP_SEP):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return None
        fields.append(field)
        if not field.is_relation:
            continue
        if not (field.concrete and (field.many_to_one or field.one_to_one)):
            return None  # many rows per row (Django's search then removes duplicates)
        model = field.related_model
    if any(not field.is_relation for field in fields[:-1]):
        return None  # a lookup after the field (``name__exact``)
    if not isinstance(fields[-1], (models.CharField, models.TextField)):
        return None
    return fields


def search_term_query(model, paths: list[str], term: str) -> Q:
    """Django's ``icontains`` over the paths for one term, in a form PostgreSQL reads faster:

    - a term without upper and lower case (a Chinese name, digits) is the same under
      ``contains``, which spares an UPPER() of every value of every field;
    - the fields of a related table are searched in a subquery of that table
      (``company_id IN (SELECT id FROM members_company WHERE name LIKE …)``), read once
      rather than joined to every row before the filter (and served by its own indexes)."""
    lookup = "contains" if term.upper() == term.lower() else "icontains"
    own, related = [], {}
    for path in paths:
        head, _sep, rest = path.partition(LOOKUP_SEP)
        if rest:
            related.setdefault(head, []).append(rest)
        else:
            own.append(path)
    query = Q.create([(f"{path}__{lookup}", term) for path in own], connector=Q.OR)
    for head, rests in related.items():
        target = model._meta.get_field(head).related_model
        matches = target._base_manager.filter(
            Q.create([(f"{rest}__{lookup}", term) for rest in rests], connector=Q.OR)
        )
        query |= Q(**{f"{head}__in": matches})
    return query


def _label(item) -> str:
    """A column or link of ``list_display`` as the same text in every process."""
    return item if isinstance(item, str) else getattr(item, "__qualname__", repr(item))


def related_models(model, lookups) -> set | None:
    """The models whose tables ``prefetch_related(*lookups)`` reads; None when a lookup is
    not a plain walk over relations."""
    models_read = set()
    for lookup in lookups:
        queryset = getattr(lookup, "queryset", None)
        if queryset is not None:
            models_read |= tables_in(queryset.query.sql_with_params()[0])
        current = model
        for part in getattr(lookup, "prefetch_through", lookup).split(LOOKUP_SEP):
            field = next(
                (
                    field
                    for field in current._meta.get_fields()
                    if part in (field.name, getattr(field, "get_accessor_name", lambda: None)())
                ),
                None,
            )
            if field is None or not field.is_relation or field.related_model is None:
                return None
            through = getattr(field, "through", None) or getattr(
                field.remote_field, "through", None
            )
            if field.many_to_many and through is not None:
                models_read.add(through)
            current = field.related_model
            models_read.add(current)
    return models_read


def model_permissions(user) -> tuple:
    """What decides, beside the roles, which links and actions the rows offer: the user's
    Django permissions (their own and their groups'), a change of which shows at once. Read
    from the backend's per-request cache, which the change list's own permission checks have
    filled (no query); a superuser has them all without a list."""
    if user.is_superuser:
        return ("superuser",)
    return tuple(sorted(user.get_all_permissions()))


@dataclasses.dataclass(frozen=True)
class CountedRows:
    """The number of rows a change list's filters leave, its page's rows as HTML and its date
    hierarchy's choices, kept in the shared cache until one of the tables they read changes
    (``core.counts``), and read in the one cache query that read the number alone before.

    Rendering 100 rows of ten columns costs the back office 30–50 ms a page; the rows of a
    page change only when a row of a table they show is written, and the same page is asked
    again and again meanwhile. The tables are those the list's query reads (the rows and the
    rows selected with them, its filters' and search's subqueries) and those it prefetches;
    the name says everything else the HTML depends on: the address (page, order, filters,
    search), the viewer (their roles and Django permissions) and the columns they may see,
    the language, the time zone and the day (a problem is overdue from one day to the next),
    and the query with its parameters.
    The count and the rows are read and rendered inside ``counted()``, so that with
    ``CHAMBER_CHECK_COUNTS`` on a table read but not among these is an error.
    """

    name: str
    tables: tuple

    @classmethod
    def plan(cls, changelist, request):
        """What the rows of this page depend on; None when that cannot be said (a table no
        app tracks, a prefetch that is not a walk over relations)."""
        queryset = changelist.queryset
        sql, params = queryset.query.sql_with_params()
        prefetched = related_models(queryset.model, queryset._prefetch_related_lookups)
        if prefetched is None:
            return None
        tables = tables_in(sql) | prefetched
        if not tables or not all(counts.is_tracked(model) for model in tables):
            return None
        roles = getattr(request, "roles", None)
        viewer = (
            request.user.pk,
            sorted(getattr(roles, "titles", ())),
            [getattr(roles, flag, None) for flag in ("is_secretariat", "is_supervisor")],
            model_permissions(request.user),
        )
        columns = [
            [_label(item) for item in changelist.list_display],
            [_label(item) for item in changelist.list_display_links or ()],
            [_label(item) for item in changelist.sortable_by or ()],
        ]
        described = repr(
            (
                changelist.model._meta.label,
                request.get_full_path(),
                viewer,
                columns,
                changelist.list_per_page,
                changelist.list_max_show_all,
                get_language(),
                timezone.get_current_timezone_name(),
                timezone.localdate().isoformat(),
                sql,
                params,
            )
        )
        digest = hashlib.md5(described.encode(), usedforsecurity=False).hexdigest()
        return cls(f"admin-rows:{digest}", tuple(sorted(tables, key=lambda m: m._meta.label)))

    def read(self, render):
        """``render()`` (the count and the rows' HTML), from the cache while the tables hold."""
        render.__qualname__ = f"rows {self.name}"
        return counted(count_of(*self.tables)(render), self.name)


class KnownLengthQuerySet:
    """Mixed into a queryset whose number of rows is known: ``len()`` answers without
    reading the rows; iterating reads them as usual."""

    known_length = None

    def __len__(self):
        if self._result_cache is None and self.known_length is not None:
            return self.known_length
        return super().__len__()


@functools.cache
def _known_length_class(queryset_class):
    return type(f"KnownLength{queryset_class.__name__}", (KnownLengthQuerySet, queryset_class), {})


def with_known_length(queryset, length: int):
    queryset = queryset._clone()
    queryset.__class__ = _known_length_class(type(queryset))
    queryset.known_length = length
    return queryset


class CountedListMixin:
    """For the change lists of big tables (a city's 200,000 visits, 300,000 problems): the
    number of rows the filters leave is counted once per change of the tables it reads, not
    on every page, and the unfiltered total ("N in all") is not counted at all; the years and
    months of the date hierarchy are cached the same way (``with_counted_dates``); a search
    reads each table once (``search_term_query``). Put it after ``RuleAdminMixin``."""

    paginator = CountedPaginator
    show_full_result_count = False

    def get_search_results(self, request, queryset, search_term):
        """Django's search (each term in one of the search fields, case-insensitive), the same
        rows found; fields that are not text reached through foreign keys keep Django's."""
        paths = [str(path) for path in self.get_search_fields(request)]
        if (
            not paths
            or not search_term
            or not all(plain_search_path(self.model, path) for path in paths)
        ):
            return super().get_search_results(request, queryset, search_term)
        terms = []
        for bit in smart_split(search_term):
            if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
                bit = unescape_string_literal(bit)
            terms.append(search_term_query(self.model, paths, bit))
        return queryset.filter(Q.create(terms)), False
