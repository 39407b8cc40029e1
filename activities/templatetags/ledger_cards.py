"""The problem ledger's cards, written in Python.

A ledger page is 30 cards, each with a dozen translated phrases, dates in the local format and
a status include; through templates they were most of the page's time. The markup is the one
the template loop wrote (a test compares them on the demo data).
"""

from django import template
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext

register = template.Library()


def status_badges(problem) -> str:
    """What ``activities/visits/includes/_status.html`` writes."""
    html = (
        f'<span class="badge problem-status problem-status-{escape(problem.status)}">'
        f"{escape(problem.get_status_display())}</span>"
    )
    if problem.is_overdue:
        html += f' <span class="badge badge-overdue">{escape(gettext("Overdue"))}</span>'
    if problem.awaits_confirmation:
        text = escape(gettext("Awaiting the company's confirmation"))
        html += f' <span class="badge badge-warning">{text}</span>'
    elif problem.confirmed_at:
        text = gettext("Confirmed: %(mark)s") % {"mark": problem.get_satisfaction_display()}
        html += f' <span class="badge badge-confirmed">{escape(text)}</span>'
    return html


def _on(message: str, day) -> str:
    return escape(gettext(message) % {"date": date_format(day, "DATE_FORMAT")})


@register.simple_tag
def problem_cards(problems, carries_proposals):
    """The ``<li>`` cards of a page of the ledger (company, owner, visit leader and proposal
    selected with the problems)."""
    choose = escape(gettext("Choose for a proposal"))
    cards = []
    for problem in problems:
        pick = ""
        if carries_proposals and problem.is_open:
            pick = (
                f'<label class="choice problem-pick" for="pick-{problem.pk}">'
                f'<input type="checkbox" id="pick-{problem.pk}" name="problems" '
                f'value="{problem.pk}"><span class="visually-hidden">{choose}</span></label>'
            )
        if problem.raised_by_company:
            source = escape(gettext("Raised by the company"))
        else:
            source = escape(
                gettext("Heard on a visit by %(name)s") % {"name": problem.visit.leader.name}
            )
        meta = [source, _on("raised %(date)s", problem.raised_on)]
        if problem.is_open:
            days = problem.age_days
            age = ngettext("open %(days)s day", "open %(days)s days", days) % {"days": days}
            meta += [f"<strong>{escape(age)}</strong>", _on("due %(date)s", problem.due_on)]
        elif problem.resolved_on:
            meta.append(_on("solved %(date)s", problem.resolved_on))
        if problem.owner:
            meta.append(escape(gettext("owner %(name)s") % {"name": problem.owner.name}))
        else:
            meta.append(f'<span class="badge badge-warning">{escape(gettext("no owner"))}</span>')
        proposal = ""
        if problem.proposal:
            proposal = (
                f' · <a href="{escape(problem.proposal.get_absolute_url())}">'
                f"{escape(problem.proposal.title)}</a>"
            )
        overdue = " is-overdue" if problem.is_overdue else ""
        text = escape(Truncator(problem.description).chars(140))
        cards.append(
            f'<li class="card problem-card{overdue}"><div class="problem-card-head">{pick}'
            f'<a class="problem-card-title" href="{escape(problem.get_absolute_url())}">'
            f"{escape(problem.company.name)}</a> "
            f'<span class="badge badge-soft">{escape(problem.get_category_display())}</span> '
            f"{status_badges(problem)}</div>"
            f'<p class="problem-card-text">{text}</p>'
            f'<p class="item-meta">{" · ".join(meta)}{proposal}</p></li>'
        )
    return mark_safe("\n".join(cards))
