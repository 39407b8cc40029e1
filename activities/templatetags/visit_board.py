"""The compliance board's cells and coverage rows, written in Python.

A board page is 30 leaders × 12 months; through template tags each cell costs a dozen nodes
and three translations, which made the board most of the page's time. The template
``activities/visits/includes/_board_cells_reference.html`` writes the same cells the slow,
obvious way: tests/activities/visits/test_compliance.py renders both and compares them, so
change the two together. The coverage lists' rows (up to 90 a page) are written the same way,
against ``_coverage_rows_reference.html``.
"""

from functools import lru_cache

from django import template
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language, gettext

register = template.Library()

CELL = '<td class="board-cell board-{}">{}</td>'
COUNT_CELL = '<td class="board-cell board-{}">{}<span class="board-of">/{}</span>{}</td>'
HIDDEN = '<span class="visually-hidden">{}</span>'


@lru_cache(maxsize=1024)
def _cell(language: str, state: str, done: int, required: int) -> str:
    """One ``<td>``. A board holds few distinct cells (a state and two small counts), so each
    is written once per language: format_html on each of a page's 360 cells cost three times
    the f-strings it replaced."""
    if state == "none":
        return format_html(CELL, state, format_html("–" + HIDDEN, gettext("not a leader then")))
    if state == "future":
        return format_html(CELL, state, format_html(HIDDEN, gettext("to come")))
    hidden = ""
    if state == "short":
        hidden = format_html(HIDDEN, " " + gettext("short"))
    elif state == "met":
        hidden = format_html(HIDDEN, " " + gettext("met"))
    return format_html(COUNT_CELL, state, done, required, hidden)


@register.simple_tag
def board_cells(row):
    """The twelve ``<td>`` of a leader's row."""
    language = get_language()
    cells = ((_cell(language, cell.state, cell.done, cell.required),) for cell in row.cells)
    return format_html_join("", "{}", cells)


COVERAGE_ROW = '<tr><td><a href="{}">{}</a></td><td class="nowrap">{}</td><td>{}</td></tr>'
NEVER = '<span class="badge badge-overdue">{}</span>'
NO_LEADER = '<span class="badge badge-warning">{}</span>'


@register.simple_tag
def coverage_rows(companies):
    """The ``<tr>`` of a coverage list (``Uncovered`` companies: up to 30 in each of three
    lists on the board page), as ``_coverage_rows_reference.html`` writes them."""
    never = format_html(NEVER, gettext("never visited"))
    no_leader = format_html(NO_LEADER, gettext("no leader assigned"))
    rows = (
        (
            company.get_absolute_url(),
            company.name,
            date_format(company.last_visit, "SHORT_DATE_FORMAT") if company.last_visit else never,
            "、".join(company.leader_names) if company.leader_names else no_leader,
        )
        for company in companies
    )
    return format_html_join("\n", COVERAGE_ROW, rows)
