"""``{% counted_result_list cl %}``: Django's ``{% result_list cl %}``, or the rows the change
list already has as HTML from the cache (``core.admin_lists.CountedRows``, for the admins with
``CountedListMixin``)."""

from django import template
from django.contrib.admin.templatetags.admin_list import result_list_tag
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
