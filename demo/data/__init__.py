"""The demo chamber, drawn from the seed article about 徐泾镇商会 (Xujing town, Qingpu).

Companies the article names keep the names it gives them and only what it says of them; every
person but the president it names (连国旺) is invented, and so is everything attached to the
invented companies. Nothing here touches
the database: these are the tables and the deterministic rules that fill in the rest (addresses,
dates, contacts, credit codes), so that every run produces exactly the same chamber. The
``seed_demo`` command writes them.

One module per part of the chamber: ``chamber`` (the seed, the founding, the terms),
``companies`` (the named and the leadership's companies), ``kinds`` and ``membership`` (the rest
of the membership, and every company's address and credit code), ``organisation`` (seats,
working groups, honors), ``people`` (the roster), ``rules``, ``prospects`` and ``logins``. The
names the seed command and the other demo steps read are here.
"""

from .chamber import EMAIL_DOMAIN, SEED, TERM_YEARS, term_for
from .companies import (
    ARTICLE_COMPANY_NAMES,
    ARTICLE_PEOPLE,
    PRESIDENT_COMPANY,
    RETIRED_NAMES,
    TAGS,
    CompanySpec,
    named_in_article,
)
from .kinds import KINDS
from .logins import DEMO_PASSWORD, logins
from .membership import MEMBER_LOGIN_COMPANY, companies, credit_code
from .organisation import (
    FOUR_GOODS,
    HONORS,
    INVESTMENT_MANAGERS,
    MEMBERSHIP_GROUP_LEAD,
    SEATS,
    SECRETARIAT_STAFF,
    WORKING_GROUPS,
)
from .people import (
    CONTACT_TITLES,
    GIVEN_NAMES,
    MOBILE_PREFIXES,
    SECOND_PERSON_TITLES,
    SURNAMES,
    PersonSpec,
    people,
)
from .prospects import PROSPECTS
from .rules import RULES

__all__ = [
    "ARTICLE_COMPANY_NAMES",
    "ARTICLE_PEOPLE",
    "CONTACT_TITLES",
    "DEMO_PASSWORD",
    "EMAIL_DOMAIN",
    "FOUR_GOODS",
    "GIVEN_NAMES",
    "HONORS",
    "INVESTMENT_MANAGERS",
    "KINDS",
    "MEMBERSHIP_GROUP_LEAD",
    "MEMBER_LOGIN_COMPANY",
    "MOBILE_PREFIXES",
    "PRESIDENT_COMPANY",
    "PROSPECTS",
    "RETIRED_NAMES",
    "RULES",
    "SEATS",
    "SECOND_PERSON_TITLES",
    "SECRETARIAT_STAFF",
    "SEED",
    "SURNAMES",
    "TAGS",
    "TERM_YEARS",
    "WORKING_GROUPS",
    "CompanySpec",
    "PersonSpec",
    "companies",
    "credit_code",
    "logins",
    "named_in_article",
    "people",
    "term_for",
]
