"""Demo honesty: the companies the article names carry what it says of them and nothing
invented (no person but the one it names, no seat, donation, pairing, visit, talk, feature or
sign-up); last year's self-assessment says no more than the records; a banner on every page
while the demo data is loaded, and only then."""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from activities.models import Assignment, Problem, Registration, Talk, Visit
from chamber.models import Position
from charity.models import Donation, Pairing
from demo import data, flag
from demo.reports import self_score
from members.models import Company, Person, Prospect
from notices.models import JournalIssue, Spotlight
from reports.metrics import compute
from reports.models import IndicatorScore

ARTICLE = Path(settings.BASE_DIR).parent / "shared" / "seed" / "xujing-chamber-article.txt"
BANNER = "演示数据"


def article_text() -> str:
    for path in (ARTICLE, Path("/work/shared/seed/xujing-chamber-article.txt")):
        if path.exists():
            return path.read_text(encoding="utf-8")
    pytest.skip("the seed article is not on this machine")


@pytest.fixture
def seeded(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())


def test_the_article_names_every_company_and_person_the_seed_takes_from_it():
    text = article_text()
    assert len(data.ARTICLE_COMPANY_NAMES) == 9
    for name in data.ARTICLE_COMPANY_NAMES:
        assert name in text, name
    for person in data.ARTICLE_PEOPLE:
        assert person in text


def test_no_invented_person_seat_or_deed_is_attached_to_a_company_the_article_names(seeded):
    named = Company.objects.filter(name__in=data.ARTICLE_COMPANY_NAMES)
    assert named.count() == len(data.ARTICLE_COMPANY_NAMES)
    people = Person.objects.filter(company__in=named)
    assert {(p.name, p.company.name) for p in people} == set(data.ARTICLE_PEOPLE.items())
    assert not people.exclude(mobile="").exists()  # no made-up mobile for a real person
    seats = Position.objects.filter(person__company__in=named)
    assert {(s.person.name, s.title) for s in seats} == {("连国旺", Position.Title.PRESIDENT)}
    assert not Donation.objects.filter(company__in=named).exists()
    assert not Pairing.objects.filter(companies__in=named).exists()
    assert not Visit.objects.filter(company__in=named).exists()
    assert not Assignment.objects.filter(company__in=named).exists()
    assert not Problem.objects.filter(visit__company__in=named).exists()
    assert not Talk.objects.filter(Q(company__in=named) | Q(speaker__in=people)).exists()
    assert not Registration.objects.filter(person__in=people).exists()
    assert not JournalIssue.objects.filter(featured_companies__in=named).exists()
    for prospect in Prospect.objects.all():
        for name in data.ARTICLE_COMPANY_NAMES:
            assert name not in prospect.notes and name not in prospect.company_name
    # Only what the article says: no made-up credit code, address, joining date or branch.
    for company in named:
        assert company.credit_code == "" and company.address == ""
        assert company.member_since is None and company.party_members == 0


def clauses(text: str) -> list[str]:
    """The clauses of a text, without the line that names the article as the source."""
    text = re.sub(r"[（(][^（）()]*通讯报道[^（）()]*[）)]", "", text)
    return [part.strip() for part in re.split(r"[，。；：！\n]", text) if part.strip()]


def test_what_the_demo_says_of_named_companies_is_the_articles_own_words(seeded):
    text = article_text()
    spotlights = Spotlight.objects.filter(company__name__in=data.ARTICLE_COMPANY_NAMES)
    assert spotlights.count() == 2
    for spotlight in spotlights:
        assert spotlight.journal_issue is None
        for clause in clauses(spotlight.summary) + clauses(spotlight.story_text):
            assert clause in text, clause
    for company in Company.objects.filter(name__in=data.ARTICLE_COMPANY_NAMES):
        for clause in clauses(company.profile):
            assert clause in text, (company.name, clause)
    # The facts the article gives them are there.
    assert Company.objects.get(name="虹泾投资").tier == Company.Tier.PRESIDENT
    assert Company.objects.get(name="灿辉国际").tier == Company.Tier.VICE_PRESIDENT
    assert Company.objects.filter(name="德邦物流", tags__name="上市企业").exists()
    president = Position.objects.get(
        title=Position.Title.PRESIDENT, term__number=data.term_for(timezone.localdate())[0]
    ).person
    assert (president.name, president.company.name) == ("连国旺", "虹泾投资")
    assert president.political_title in text


def test_last_years_self_scores_are_the_ones_its_records_support(seeded):
    year = timezone.localdate().year - 1
    figures = compute(year)
    scores = IndicatorScore.objects.filter(year=year).select_related("indicator")
    assert scores.exists()
    for row in scores:
        metric = row.indicator.metric
        expected = self_score(metric, figures[metric].numbers, year, timezone.localdate())
        assert (row.score, row.comment) == expected, metric
    # The records begin within the last twelve months: last year's visits are not scored
    # (they were all 9 once, with no visit on record).
    visits = scores.get(indicator__metric="visits")
    assert figures["visits"].numbers["visits"] == 0
    assert visits.score is None and "未自评" in visits.comment


def test_the_banner_shows_on_every_page_once_the_demo_is_loaded(client, seeded):
    flag.forget()  # read from the database, as a server started after the seed does
    page = client.get(reverse("account_login")).content.decode()
    assert BANNER in page
    spotlight = Spotlight.objects.get(company__name="虹泾投资")
    from core.share_links import public_path

    assert BANNER in client.get(public_path("spotlight", spotlight.pk)).content.decode()


def test_no_banner_without_the_demo_data(client, db):
    flag.forget()
    assert BANNER not in client.get(reverse("account_login")).content.decode()


def test_the_flag_costs_one_query_per_process_not_one_per_page(
    client, db, django_assert_num_queries
):
    flag.forget()
    client.get(reverse("account_login"))
    with django_assert_num_queries(0):
        assert flag.demo_loaded() is False


def test_it_refuses_a_database_holding_the_older_demo(db, settings):
    from django.core.management.base import CommandError

    from tests.factories import CompanyFactory

    settings.DEBUG = True
    CompanyFactory(name="上海周黑鸭食品有限公司")
    with pytest.raises(CommandError, match="older demo"):
        call_command("seed_demo", stdout=io.StringIO())
    assert Company.objects.count() == 1
