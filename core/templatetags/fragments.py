"""Parts of a page rendered once and kept in the shared cache until a table they read changes.

    {% load fragments %}
    {% counted_fragment month_fragment %} …the month grid… {% endcounted_fragment %}

``month_fragment`` is a ``Fragment``: the tables the part reads, a name that says everything
else it depends on (the viewer's scope, the filters, the day; the language is added here), and
a function that returns the part's own context. The part is rendered with
``core.counts.counted()``: served from the cache while the generations of those tables hold,
and rendered afresh (and checked, with ``CHAMBER_CHECK_COUNTS``, to read no other table) after
any change. Its context is computed only then, so a cached part costs one cache read.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core.counts import count_of, counted

register = template.Library()


@dataclass(frozen=True)
class Fragment:
    name: str
    tables: tuple
    context: Callable[[], dict] = field(default=dict)


class CountedFragmentNode(template.Node):
    def __init__(self, fragment, nodelist, origin):
        self.fragment = fragment
        self.nodelist = nodelist
        # The part as a template of its own, so that the test client, which records the
        # context of each template rendered, sees the part's context when it is rendered.
        self.template = template.Template("", origin=origin, name=origin.template_name)
        self.template.nodelist = nodelist

    def render(self, context):
        fragment = self.fragment.resolve(context)
        if fragment is None:  # nothing to cache by: render as usual
            return self.nodelist.render(context)

        def render():
            with context.push(fragment.context()):
                return self.template._render(context)

        render.__qualname__ = f"fragment {fragment.name}"
        declared = count_of(*fragment.tables)(render)
        return mark_safe(counted(declared, f"fragment:{get_language()}:{fragment.name}"))


@register.tag
def counted_fragment(parser, token):
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(f"{bits[0]} takes one argument, a Fragment.")
    nodelist = parser.parse(("endcounted_fragment",))
    parser.delete_first_token()
    return CountedFragmentNode(parser.compile_filter(bits[1]), nodelist, parser.origin)
