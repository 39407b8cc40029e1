"""The member directory's company cards, written in Python.

The directory shows 30 cards a page; through templates (the card, its logo include, three
display lookups, a filter and a translation each) they were half of the page's time. The
template ``members/includes/_company_card_reference.html`` writes the same card the slow,
obvious way: tests/members/test_company_cards.py renders both and compares them, so change the
two together.
"""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext

from members.models import Company, Industry

register = template.Library()

CARD = (
    '<li class="company-card">{logo}<div class="company-card-body">'
    '<h2 class="company-card-name"><a href="{url}">{name}</a></h2>'
    '<p class="company-meta">{tier} {industry}{status}</p>{profile}{tags}</div></li>'
)
LOGO = '<img class="logo" src="{}" alt="" loading="lazy">'
PLACEHOLDER = '<span class="logo logo-placeholder" aria-hidden="true">{}</span>'
TIER = '<span class="badge badge-tier-{}">{}</span>'
INDUSTRY = "<span>{}</span>"
INDUSTRY_WORD = '<span title="{}">{}</span>'  # the word the chamber wrote, its section on hover
STATUS = '<span class="badge badge-status-{}">{}</span>'
PROFILE = '<p class="company-card-profile">{}</p>'
TAGS = '<ul class="tag-list" aria-label="{}">{}</ul>'
TAG = '<li class="tag">{}</li>'


@register.simple_tag
def company_cards(companies):
    """The ``<li>`` cards of a page of companies (tags prefetched)."""
    # What depends only on a choice, or on the set of tags, is written once a page: most of
    # the cards share them, and format_html on each card's parts cost more than f-strings.
    tiers = {value: format_html(TIER, value, label) for value, label in Company.Tier.choices}
    industries = {value: format_html(INDUSTRY, label) for value, label in Industry.choices}
    sections = dict(Industry.choices)
    statuses = {value: format_html(STATUS, value, label) for value, label in Company.Status.choices}
    tag_lists = {(): ""}
    tags_label = gettext("Tags")

    def card(company) -> dict:
        if company.logo:
            logo = format_html(LOGO, company.logo.url)
        else:
            logo = format_html(PLACEHOLDER, company.initial)
        status = ""
        if not company.is_active:
            status = statuses.get(company.status) or format_html(
                STATUS, company.status, company.status
            )
        profile = ""
        if company.profile:
            profile = format_html(PROFILE, Truncator(company.profile).chars(90))
        names = tuple(tag.name for tag in company.tags.all())
        if names not in tag_lists:
            items = format_html_join("", TAG, ((name,) for name in names))
            tag_lists[names] = format_html(TAGS, tags_label, items)
        return {
            "logo": logo,
            "url": company.get_absolute_url(),
            "name": company.name,
            "tier": tiers.get(company.tier) or format_html(TIER, company.tier, company.tier),
            "industry": (
                format_html(
                    INDUSTRY_WORD,
                    sections.get(company.industry, company.industry),
                    company.industry_text,
                )
                if company.industry_text
                else industries.get(company.industry) or format_html(INDUSTRY, company.industry)
            ),
            "status": status,
            "profile": profile,
            "tags": tag_lists[names],
        }

    return format_html_join("\n", CARD, (card(company) for company in companies))
