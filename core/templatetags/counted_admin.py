"""``{% counted_result_list cl %}``: Django's ``{% result_list cl %}``, or the rows the change
list already has as HTML from the cache (``core.admin_lists.CountedRows``, for the admins with
``CountedListMixin``); ``{% counted_date_hierarchy cl %}`` likewise for the date hierarchy."""

from django import template
from django.contrib.admin.templatetags.admin_list import date_hierarchy, result_list_tag
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.utils.safestring import mark_safe

register = template.Library()


class CountedResultListNode(template.Node):
    def __init__(self, result_list, changelist):
        self.result_list = result_list
        self.changelist = changelist

    def render(self, context):
        changelist = self.changelist.resolve(context)
        rows = getattr(changelist, "rows_html", None)
        if rows is None or changelist.formset is not None:
            return self.result_list.render(context)
        return mark_safe(rows)


@register.tag
def counted_result_list(parser, token):
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(f"{bits[0]} takes one argument, the change list.")
    return CountedResultListNode(result_list_tag(parser, token), parser.compile_filter(bits[1]))


def _date_hierarchy(changelist):
    """What the change list has from the cache (``CountedRows``), else Django's."""
    cached = getattr(changelist, "date_hierarchy_context", None)
    return cached if cached is not None else date_hierarchy(changelist)


@register.tag
def counted_date_hierarchy(parser, token):
    """Django's ``{% date_hierarchy cl %}``, its choices from the cache when the change list
    has them (they scan every row: a MIN and MAX, then the years or months)."""
    return InclusionAdminNode(
        parser,
        token,
        func=_date_hierarchy,
        template_name="date_hierarchy.html",
        takes_context=False,
    )
