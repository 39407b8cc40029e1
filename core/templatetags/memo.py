"""Parts of the page frame rendered once per worker for each set of values they show.

    {% load memo %}
    {% memo display_name company_name inbox_unread %} …the account menu… {% endmemo %}

The part is rendered the first time a worker meets these values (and the active language,
which is always part of the key) and served from the worker's memory after that. Nothing can
go stale: the key *is* what the part shows, so the part must depend on nothing else of the
context. A CSRF token, the request's path, messages or anything read from the database inside
the part would be served to the wrong request; pass such things as values, or leave them out
of the part. Every page repeats the same header, navigation and footer for the same few
hundred accounts, and rendering them (a dozen includes, forty translations, twenty URLs) was
half the cost of a page whose own content is cached.

Each worker keeps the ``SIZE`` parts used most recently; one part is a few kilobytes.
"""

import threading
from collections import OrderedDict

from django import template
from django.dispatch import receiver
from django.utils.autoreload import file_changed
from django.utils.functional import LazyObject, Promise, empty
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

SIZE = 2000

_parts = OrderedDict()
_lock = threading.Lock()


def clear() -> None:
    """Forget every part (tests that change a template or a translation)."""
    with _lock:
        _parts.clear()


@receiver(file_changed, dispatch_uid="core.memo.file_changed")
def _forget_on_change(sender, file_path, **kwargs):
    """The development server reloads templates without restarting: forget their parts."""
    clear()


def _plain(value):
    """A lazy value as what it stands for, so the key holds no request's objects."""
    if isinstance(value, LazyObject):
        if value._wrapped is empty:
            value._setup()
        return value._wrapped
    if isinstance(value, Promise):
        return str(value)
    return value


class MemoNode(template.Node):
    def __init__(self, values, nodelist, place):
        self.values = values
        self.nodelist = nodelist
        self.place = place  # which {% memo %} of which template

    def render(self, context):
        values = (_plain(value.resolve(context)) for value in self.values)
        key = (self.place, get_language(), *values)
        try:
            hash(key)
        except TypeError:  # a value that cannot be a key: render as usual
            return self.nodelist.render(context)
        with _lock:
            part = _parts.get(key)
            if part is not None:
                _parts.move_to_end(key)
                return part
        part = mark_safe(self.nodelist.render(context))
        with _lock:
            _parts[key] = part
            if len(_parts) > SIZE:
                _parts.popitem(last=False)
        return part


@register.tag
def memo(parser, token):
    """``{% memo value … %}…{% endmemo %}``: see the module's docstring."""
    bits = token.split_contents()
    nodelist = parser.parse(("endmemo",))
    parser.delete_first_token()
    place = (parser.origin.name if parser.origin else "", token.lineno, token.position)
    return MemoNode([parser.compile_filter(bit) for bit in bits[1:]], nodelist, place)
