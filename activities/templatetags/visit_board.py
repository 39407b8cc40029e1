"""The compliance board's cells, written in Python.

A board page is 30 leaders × 12 months; through template tags each cell costs a dozen nodes
and three translations, which made the board most of the page's time. Same markup as before.
"""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()


@register.simple_tag
def board_cells(row):
    """The twelve ``<td>`` of a leader's row. Only integers and the four translated words go
    in, the words escaped once."""
    hidden = {
        state: f'<span class="visually-hidden">{escape(text)}</span>'
        for state, text in (
            ("none", gettext("not a leader then")),
            ("future", gettext("to come")),
            ("short", " " + gettext("short")),
            ("met", " " + gettext("met")),
        )
    }
    cells = []
    for cell in row.cells:
        if cell.state == "none":
            inner = "–" + hidden["none"]
        elif cell.state == "future":
            inner = hidden["future"]
        else:
            inner = f'{int(cell.done)}<span class="board-of">/{int(cell.required)}</span>'
            inner += hidden.get(cell.state, "")
        cells.append(f'<td class="board-cell board-{escape(cell.state)}">{inner}</td>')
    return mark_safe("".join(cells))
