"""A query every request runs, compiled to SQL once per worker instead of once per request.

The account a logged-in page loads (with its person, company, groups, this term's titles and
unread count: ``chamber.backends``) is one query with four subqueries and three joins.
PostgreSQL runs it in about 0.15 ms; Django needs 1.2 ms to compile it, on every page, most of
what the frame costs besides rendering. ``Prepared`` compiles such a queryset once, with a
*marker* where the per-request value goes (the user's id), and then runs the same SQL with the
value in the marker's place, building the rows into model instances as ``QuerySet`` does
(``django.db.models.query.ModelIterable``): the same instances, related objects and
annotations, and the same query in ``django_assert_num_queries``.

Only for querysets of model instances with no ``prefetch_related()`` (a prefetch is more
queries, which this does not run), and whose other parameters do not change between requests
(build it again when they do: ``chamber.backends`` builds one a day, the day being one of its
parameters).
"""

from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.models.query import ModelIterable, get_related_populators


class Prepared:
    """``queryset`` compiled once; ``rows(value)`` runs it with ``value`` where ``marker`` was.

    The marker must be a value that appears exactly once among the query's parameters (an id
    no row has, say ``-1``, or a string no one would type): it says which parameter is the
    per-request one."""

    def __init__(self, queryset, marker):
        if queryset._iterable_class is not ModelIterable or queryset._prefetch_related_lookups:
            raise ImproperlyConfigured(
                "Prepared takes a queryset of model instances without prefetch_related()."
            )
        self.using = queryset.db
        self.compiler = queryset.query.get_compiler(using=self.using)
        self.sql, params = self.compiler.as_sql()
        positions = [i for i, param in enumerate(params) if param == marker]
        if len(positions) != 1:
            raise ImproperlyConfigured(
                f"The marker {marker!r} is {len(positions)} of the query's parameters, not one: "
                "choose a value no other parameter has."
            )
        self.params, self.position = list(params), positions[0]
        select, klass_info = self.compiler.select, self.compiler.klass_info
        self.model = klass_info["model"]
        fields = klass_info["select_fields"]
        self.start, self.end = fields[0], fields[-1] + 1
        self.init_list = [column[0].target.attname for column in select[self.start : self.end]]
        self.populators = get_related_populators(klass_info, select, self.using)
        self.annotations = self.compiler.annotation_col_map
        # The database's value converters (dates on SQLite, say), found once; they are given
        # the connection of the thread that runs the query, not the one that compiled it
        # (connections are per thread: the compiler keeps the first one).
        columns = [column[0] for column in select[: self.compiler.col_count]]
        self.converters = list(self.compiler.get_converters(columns).items())

    def rows(self, value) -> list:
        """The model instances the queryset gives with ``value`` in place of the marker."""
        params = self.params.copy()
        params[self.position] = value
        connection = connections[self.using]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            fetched = cursor.fetchall()
        instances = []
        for row in fetched:
            row = list(row[: self.compiler.col_count])  # without columns only ordering needed
            for position, (converters, expression) in self.converters:
                for converter in converters:
                    row[position] = converter(row[position], expression, connection)
            instance = self.model.from_db(self.using, self.init_list, row[self.start : self.end])
            for populator in self.populators:
                populator.populate(row, instance)
            for name, position in self.annotations.items():
                setattr(instance, name, row[position])
            instances.append(instance)
        return instances
