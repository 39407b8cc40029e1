"""The leader's lists on ``/visits/`` (their companies, the problems they follow), written in
Python.

A leader is responsible for some fifty companies and follows up to fifty open problems; through
template tags each line cost a plural translation, a date filter and a URL, which made the two
lists most of the page's time. The templates
``activities/visits/includes/_assigned_companies_reference.html`` and
``_followed_problems_reference.html`` write the same lines the slow, obvious way:
tests/activities/visits/test_visit_lists.py renders both and compares them, so change them
together.
"""

from django import template
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext

from activities.models import Problem

register = template.Library()

COMPANY = (
    '<li class="item company-visit"><div class="company-visit-text">'
    '<a class="item-title" href="{url}">{name}</a> <span class="item-meta">{last}</span></div>'
    ' <a class="button button-secondary button-small" href="{new}?company={pk}">{log}'
    '<span class="visually-hidden"> · {name}</span></a></li>'
)
NEVER = '<span class="badge badge-overdue">{}</span>'
PROBLEM = (
    '<li class="item"><a class="item-title" href="{url}">{company} · {category}</a>'
    ' <span class="item-meta"><span class="badge problem-status problem-status-{status}">'
    "{status_label}</span>{overdue} · {due}</span></li>"
)
OVERDUE = ' <span class="badge badge-overdue">{}</span>'


@register.simple_tag
def assigned_company_items(companies, new_visit_url):
    """The ``<li>`` of the leader's companies, each with its last visit (``last_visit`` and
    ``days_since`` annotated) and a button to log a visit there."""
    never = format_html(NEVER, gettext("Never visited"))
    log = gettext("Log a visit")

    def item(company) -> dict:
        last = never
        if company.last_visit:
            days = company.days_since
            last = ngettext(
                "Last visit %(date)s (%(days)s day ago)",
                "Last visit %(date)s (%(days)s days ago)",
                days,
            ) % {"date": date_format(company.last_visit, "DATE_FORMAT"), "days": days}
        return {
            "url": company.get_absolute_url(),
            "name": company.name,
            "last": last,
            "new": new_visit_url,
            "pk": company.pk,
            "log": log,
        }

    return format_html_join("\n", COMPANY, (item(company) for company in companies))


@register.simple_tag
def followed_problem_items(problems, today):
    """The ``<li>`` of the unsettled problems a leader follows (company selected)."""
    overdue = format_html(OVERDUE, gettext("Overdue"))
    # Labels translated once a list: get_FOO_display() rebuilds and hashes the choices of
    # lazy translations on every call, which cost more than the rest of the line.
    categories = {value: str(label) for value, label in Problem.Category.choices}
    statuses = {value: str(label) for value, label in Problem.Status.choices}

    def item(problem) -> dict:
        return {
            "url": problem.get_absolute_url(),
            "company": problem.company.name,
            "category": categories.get(problem.category, problem.category),
            "status": problem.status,
            "status_label": statuses.get(problem.status, problem.status),
            "overdue": overdue if problem.due_on < today else "",
            "due": gettext("due %(date)s") % {"date": date_format(problem.due_on, "DATE_FORMAT")},
        }

    return format_html_join("\n", PROBLEM, (item(problem) for problem in problems))
