"""Time the three tags that write cards in Python, at 300 rows, in-process.

    [DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db>] .venv/bin/python bench/render_cards.py
        [--rows 300] [--repeat 30]

Creates a throwaway test database the way the test runner does (test_<db> on PostgreSQL, memory
on SQLite) and drops it at the end. It seeds ``--rows`` member companies (some with tags, a logo,
a long profile, or no longer active), as many problems in every status (heard on a visit or
raised by the company, with and without an owner or a proposal) and a compliance board of as
many leaders × 12 months, then prints for each tag the median milliseconds (of this process's
CPU time, steadier than the wall clock on a shared machine) it takes to write all the rows
(objects already loaded), the same rows through its reference template (the slow,
obvious way), and the SQL queries the tag ran; then the directory and ledger pages (30 rows a
page) through the test client: median milliseconds and queries.

It imports only the tags' names, so the same file runs on a checkout from before the tags were
written with format_html (the reference templates are then reported as missing).
"""

import argparse
import datetime
import os
import secrets
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REFERENCES = {
    "company_cards": "members/includes/_company_card_reference.html",
    "problem_cards": "activities/visits/includes/_problem_card_reference.html",
    "board_cells": "activities/visits/includes/_board_cells_reference.html",
}


def median_ms(action, repeat: int) -> float:
    action()  # warm caches, translations and templates
    times = []
    for _ in range(repeat):
        start = time.process_time()
        action()
        times.append(time.process_time() - start)
    return statistics.median(times) * 1000


def seed(rows: int):
    """The companies, the problems and the board rows; returns them loaded as the pages load
    them, and a member and the president to open the pages as."""
    from django.utils import timezone

    from activities.models import Problem, Proposal, Visit
    from activities.visits.compliance import Cell, Row
    from chamber.models import Position
    from members.models import Company, Person, Tag
    from tests.factories import PersonFactory, PositionFactory, TermFactory, UserFactory

    today = timezone.localdate()
    tags = Tag.objects.bulk_create(Tag(name=name) for name in ("上市企业", "亿元楼", "专精特新"))
    names = ["上海虹泾<投资>", "上海市徐盈&物流", '上海"佳禾"食品', "E通世界", "华新科技"]
    companies = Company.objects.bulk_create(
        Company(
            name=f"{names[n % len(names)]}{n}号有限公司",
            name_pinyin=f"{n:05d}",
            tier=Company.Tier.values[n % 4],
            industry=("manufacturing", "it", "trade", "other")[n % 4],
            status="left" if n % 10 == 9 else "active",
            profile="一家扎根徐泾、专注精密制造的企业。" * (n % 4),
            logo=f"logos/{n}.png" if n % 7 == 0 else "",
        )
        for n in range(rows)
    )
    Company.tags.through.objects.bulk_create(
        Company.tags.through(company=company, tag=tag)
        for n, company in enumerate(companies)
        for tag in tags[: n % 4]
    )
    people = Person.objects.bulk_create(
        Person(name=f"王<{n}>&李", company=companies[n]) for n in range(rows)
    )
    visits = Visit.objects.bulk_create(
        Visit(company=companies[n], leader=people[n], visited_on=today) for n in range(rows)
    )
    proposal = Proposal.objects.create(
        title="关于<优化>企业服务的建议", session="十五届三次", body="…", carrier=people[0]
    )
    statuses = Problem.Status.values

    def problem(n):
        status = statuses[n % len(statuses)]
        raised_on = today - datetime.timedelta(days=n % 60)
        confirmed = status == "solved" and n % 2 == 0
        return Problem(
            company=companies[n],
            visit=visits[n] if n % 2 else None,
            owner=people[n] if n % 3 else None,
            category=Problem.Category.values[n % 7],
            description="企业扩产需要流动资金，希望对接合作银行。" * (1 + n % 20),
            raised_on=raised_on,
            due_on=raised_on + datetime.timedelta(days=n % 50),
            status=status,
            resolution="已对接银行" if status == "solved" else "",
            resolved_on=today if status == "solved" else None,
            decline_reason="不属商会职能" if status == "declined" else "",
            proposal=proposal if status == "proposal" or n % 5 == 1 else None,
            confirmed_at=timezone.now() if confirmed else None,
            satisfaction="satisfied" if confirmed else "",
        )

    Problem.objects.bulk_create(problem(n) for n in range(rows))
    states = ["met", "short", "current", "future", "none", "met"]
    board = [
        Row(
            people[n],
            "副会长",
            [
                Cell(datetime.date(today.year, month, 1), n % 4, 2, states[(n + month) % 6])
                for month in range(1, 13)
            ],
        )
        for n in range(rows)
    ]
    loaded_companies = list(Company.objects.prefetch_related("tags").order_by("name_pinyin"))
    loaded_problems = list(
        Problem.objects.select_related("company", "owner", "visit__leader", "proposal")
    )
    term = TermFactory()
    member = UserFactory(username="bench-member", person=PersonFactory(is_main_contact=True))
    head = PersonFactory(name="会长甲")
    PositionFactory(person=head, term=term, title=Position.Title.PRESIDENT)
    president = UserFactory(username="bench-president", person=head)
    return loaded_companies, loaded_problems, board, member, president


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=30)
    options = parser.parse_args()
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "chamber.settings",
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "testserver",
            "SECURE_SSL_REDIRECT": "0",
        }
    )
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.template import TemplateDoesNotExist
    from django.template.loader import get_template
    from django.test import Client
    from django.test.utils import (
        CaptureQueriesContext,
        override_settings,
        setup_test_environment,
    )
    from django.urls import reverse
    from django.utils import translation

    from activities.templatetags.ledger_cards import problem_cards
    from activities.templatetags.visit_board import board_cells
    from members.templatetags.directory import company_cards

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    # Static URLs without collectstatic's manifest: the pages' own work is what is measured.
    plain_static = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    try:
        with translation.override("zh-hans"), override_settings(STORAGES=plain_static):
            companies, problems, board, member, president = seed(options.rows)
            tags = [
                ("company_cards", lambda: company_cards(companies), "company", companies, {}),
                (
                    "problem_cards",
                    lambda: problem_cards(problems, True),
                    "problem",
                    problems,
                    {"carries_proposals": True},
                ),
                ("board_cells", lambda: [board_cells(row) for row in board], "row", board, {}),
            ]
            print(f"{options.rows} rows, median of {options.repeat}")
            print("| tag | ms | reference template ms | queries |")
            print("|---|---:|---:|---:|")
            for label, action, name, objects, extra in tags:
                with CaptureQueriesContext(connection) as queries:
                    action()
                count = len(queries)
                fast = median_ms(action, options.repeat)
                try:
                    template = get_template(REFERENCES[label])
                except TemplateDoesNotExist:
                    slow = "missing"
                else:
                    contexts = [{name: each, **extra} for each in objects]
                    slow = median_ms(
                        lambda template=template, contexts=contexts: [
                            template.render(context) for context in contexts
                        ],
                        options.repeat,
                    )
                    slow = f"{slow:.1f}"
                print(f"| {label} | {fast:.1f} | {slow} | {count} |")

            print("\n| page (30 rows) | ms | queries |")
            print("|---|---:|---:|")
            for label, user, url in (
                ("directory", member, reverse("members:company_list")),
                ("ledger", president, reverse("activities:problem_list")),
            ):
                client = Client()
                client.force_login(user)

                def get(client=client, url=url):
                    response = client.get(url, secure=True)
                    assert response.status_code == 200, response.status_code

                get()  # the ledger's counts go into the cache on the first visit
                with CaptureQueriesContext(connection) as queries:
                    get()
                count = len(queries)  # read now: the next request empties the log
                print(f"| {label} | {median_ms(get, options.repeat):.1f} | {count} |")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
