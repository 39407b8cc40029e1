"""Sums and counts in the database, on the Decimal column: what every total of charity is
built from, here and in reports.

Totals are summed in the database and quantized to the fen (``money.yuan``), never added up in
Python from floats.
"""

from decimal import Decimal

from django.db.models import Count, DecimalField, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

MONEY = DecimalField(max_digits=14, decimal_places=2)
ZERO = Value(Decimal("0.00"), output_field=MONEY)


def money_sum(expression="amount", *, filter=None, **filter_kwargs):
    """Sum(amount) as Decimal, zero when there is nothing to add; only the rows matching
    ``filter`` (a Q) or the keyword lookups, when given."""
    if filter_kwargs:
        filter = Q(**filter_kwargs) if filter is None else filter & Q(**filter_kwargs)
    total = Sum(expression, filter=filter)
    return Coalesce(total, ZERO, output_field=MONEY)


def count_of(queryset):
    """The number of rows of ``queryset`` (already narrowed with OuterRef and grouped with
    ``values()`` on the outer key), as a subquery: zero when there are none."""
    return Coalesce(Subquery(queryset.annotate(n=Count("pk")).values("n")), 0)


def sum_of(queryset, expression="amount"):
    """The sum of ``expression`` over ``queryset`` (narrowed with OuterRef and grouped with
    ``values()`` on the outer key), as a subquery: zero when there is nothing to add."""
    total = queryset.annotate(total=Sum(expression)).values("total")
    return Coalesce(Subquery(total, output_field=MONEY), ZERO)
