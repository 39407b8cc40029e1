"""The member directory's company cards, written in Python.

The directory shows 30 cards a page; through templates (the card, its logo include, three
display lookups, a filter and a translation each) they were half of the page's time. The card
template ``members/includes/_company_card.html`` stays as the reference: a test renders both
and compares them.
"""

from django import template
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext

from members.models import Company

register = template.Library()


def logo_initial(name: str) -> str:
    """The placeholder tile's character: the first after the 上海/上海市 prefix."""
    return name.replace("上海市", "").replace("上海", "")[:1] or "·"


@register.simple_tag
def company_cards(companies):
    """The ``<li>`` cards of a page of companies (tags prefetched)."""
    tiers = {value: escape(label) for value, label in Company.Tier.choices}
    industries = {
        value: escape(label) for value, label in Company._meta.get_field("industry").choices
    }
    statuses = {value: escape(label) for value, label in Company.Status.choices}
    tags_label = escape(gettext("Tags"))
    cards = []
    for company in companies:
        if company.logo:
            logo = f'<img class="logo" src="{escape(company.logo.url)}" alt="" loading="lazy">'
        else:
            initial = escape(logo_initial(company.name))
            logo = f'<span class="logo logo-placeholder" aria-hidden="true">{initial}</span>'
        status = ""
        if not company.is_active:
            status = (
                f'<span class="badge badge-status-{escape(company.status)}">'
                f"{statuses.get(company.status, escape(company.status))}</span>"
            )
        profile = ""
        if company.profile:
            text = conditional_escape(Truncator(company.profile).chars(90))
            profile = f'<p class="company-card-profile">{text}</p>'
        # The word the chamber wrote (物流), with its section on hover, else the section.
        industry = industries.get(company.industry, escape(company.industry))
        if company.industry_text:
            industry = f'<span title="{industry}">{escape(company.industry_text)}</span>'
        else:
            industry = f"<span>{industry}</span>"
        tags = ""
        names = [tag.name for tag in company.tags.all()]
        if names:
            items = "".join(f'<li class="tag">{escape(name)}</li>' for name in names)
            tags = f'<ul class="tag-list" aria-label="{tags_label}">{items}</ul>'
        cards.append(
            f'<li class="company-card">{logo}<div class="company-card-body">'
            f'<h2 class="company-card-name"><a href="{escape(company.get_absolute_url())}">'
            f"{escape(company.name)}</a></h2>"
            f'<p class="company-meta"><span class="badge badge-tier-{escape(company.tier)}">'
            f"{tiers.get(company.tier, escape(company.tier))}</span> "
            f"{industry}"
            f"{status}</p>{profile}{tags}</div></li>"
        )
    return mark_safe("\n".join(cards))
