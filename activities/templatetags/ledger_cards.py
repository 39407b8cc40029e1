"""The problem ledger's cards, written in Python.

A ledger page is 30 cards, each with a dozen translated phrases, dates in the local format and
a status include; through templates they were most of the page's time. The template
``activities/visits/includes/_problem_card_reference.html`` writes the same card the slow,
obvious way, and ``_status.html`` the same badges as ``status_badges``:
tests/activities/visits/test_ledger_cards.py renders both and compares them, so change them
together.
"""

from django import template
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext

from activities.models import Problem

register = template.Library()

STATUS = '<span class="badge problem-status problem-status-{}">{}</span>{}{}'
OVERDUE = ' <span class="badge badge-overdue">{}</span>'
AWAITING = ' <span class="badge badge-warning">{}</span>'
CONFIRMED = ' <span class="badge badge-confirmed">{}</span>'

CARD = (
    '<li class="card problem-card{overdue}"><div class="problem-card-head">{pick}'
    '<a class="problem-card-title" href="{url}">{company}</a> {category} {status}</div>'
    '<p class="problem-card-text">{text}</p>'
    '<p class="item-meta">{source} · {raised}{progress} · {owner}{proposal}</p></li>'
)
PICK = (
    '<label class="choice problem-pick" for="pick-{pk}">'
    '<input type="checkbox" id="pick-{pk}" name="problems" value="{pk}">'
    '<span class="visually-hidden">{choose}</span></label>'
)
CATEGORY = '<span class="badge badge-soft">{}</span>'
OPEN = " · <strong>{}</strong> · {}"
SOLVED = " · {}"
NO_OWNER = '<span class="badge badge-warning">{}</span>'
PROPOSAL = ' · <a href="{}">{}</a>'


def status_badges(problem) -> str:
    """What ``activities/visits/includes/_status.html`` writes."""
    overdue = format_html(OVERDUE, gettext("Overdue")) if problem.is_overdue else ""
    if problem.awaits_confirmation:
        confirmation = format_html(AWAITING, gettext("Awaiting the company's confirmation"))
    elif problem.confirmed_at:
        mark = problem.get_satisfaction_display()
        confirmation = format_html(CONFIRMED, gettext("Confirmed: %(mark)s") % {"mark": mark})
    else:
        confirmation = ""
    return format_html(STATUS, problem.status, problem.get_status_display(), overdue, confirmation)


def _on(message: str, day) -> str:
    """A translated phrase with a date in the local format (plain text, escaped later)."""
    return gettext(message) % {"date": date_format(day, "DATE_FORMAT")}


@register.simple_tag
def problem_cards(problems, carries_proposals):
    """The ``<li>`` cards of a page of the ledger (company, owner, visit leader and proposal
    selected with the problems)."""
    # What is the same on many cards is written once a page: format_html on each card's
    # parts cost more than the f-strings it replaced.
    choose = gettext("Choose for a proposal")
    by_company = gettext("Raised by the company")
    no_owner = format_html(NO_OWNER, gettext("no owner"))
    categories = {value: format_html(CATEGORY, label) for value, label in Problem.Category.choices}

    def card(problem) -> dict:
        pick = ""
        if carries_proposals and problem.is_open:
            pick = format_html(PICK, pk=problem.pk, choose=choose)
        if problem.raised_by_company:
            source = by_company
        else:
            source = gettext("Heard on a visit by %(name)s") % {"name": problem.visit.leader.name}
        progress = ""
        if problem.is_open:
            days = problem.age_days
            age = ngettext("open %(days)s day", "open %(days)s days", days) % {"days": days}
            progress = format_html(OPEN, age, _on("due %(date)s", problem.due_on))
        elif problem.resolved_on:
            progress = format_html(SOLVED, _on("solved %(date)s", problem.resolved_on))
        owner = no_owner
        if problem.owner:
            owner = gettext("owner %(name)s") % {"name": problem.owner.name}
        proposal = ""
        if problem.proposal:
            proposal = format_html(
                PROPOSAL, problem.proposal.get_absolute_url(), problem.proposal.title
            )
        category = categories.get(problem.category) or format_html(CATEGORY, problem.category)
        return {
            "overdue": " is-overdue" if problem.is_overdue else "",
            "pick": pick,
            "url": problem.get_absolute_url(),
            "company": problem.company.name,
            "category": category,
            "status": status_badges(problem),
            "text": Truncator(problem.description).chars(140),
            "source": source,
            "raised": _on("raised %(date)s", problem.raised_on),
            "progress": progress,
            "owner": owner,
            "proposal": proposal,
        }

    return format_html_join("\n", CARD, (card(problem) for problem in problems))
