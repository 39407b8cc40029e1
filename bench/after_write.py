"""The first request after a visit is logged, on the pages that count everyone's visits.

    DATABASE_URL=postgres://…/chamber_city_x .venv/bin/python bench/after_write.py [--rounds 5]

At a city federation a visit is logged about every minute, and every cached figure that reads
the visits is out of date after it: the president's next page pays for recounting them. For
each page (the compliance board, the president's home with its dashboard, the 四好 report),
each round logs one visit through the service the form uses (``visit_record``), then times
the page's first request (wall clock: the SQL is most of it) and its queries, and the warm
request after it for comparison. The visits logged are deleted at the end.

Serves the pages in-process with the production settings of bench/run.py; run it with the
machine otherwise quiet, the figures are one request each.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LABELS = ("/visits/compliance/", "dashboard (home, president)", "四好 report")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    options = parser.parse_args()
    from bench import production_environment

    os.environ.update(production_environment())
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from activities.models import Visit, leaders_in_term
    from activities.visits.services import visit_record
    from bench.run import PAGES, session_cookie
    from chamber.models import Term, User
    from members.models import Company

    call_command("collectstatic", "--noinput", verbosity=0)
    today = timezone.localdate()
    leaders = list(leaders_in_term(Term.objects.current(today)).order_by("pk")[:50])
    companies = list(Company.objects.active().order_by("pk")[:50])
    president = User.objects.get(username="president")
    logged = []

    def log_visit():
        number = len(logged)
        visit = visit_record(
            acting_user=president,
            leader=leaders[number % len(leaders)],
            company=companies[(number * 7) % len(companies)],
            visited_on=today,
            summary="bench/after_write.py",
        )
        logged.append(visit.pk)

    def timed(client, url):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url, secure=True)
            elapsed = time.perf_counter() - start
        assert response.status_code == 200, (url, response.status_code)
        return elapsed * 1000, len(queries)

    print("| page | first after a visit: ms (median, max) | queries | warm ms | queries |")
    print("|---|---:|---:|---:|---:|")
    try:
        for label in LABELS:
            page = next(p for p in PAGES if p.label == label)
            client = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="127.0.0.1")
            client.cookies["sessionid"] = session_cookie(page.persona)
            url = page.url()
            client.get(url, secure=True)  # templates, connections, caches
            first, warm = [], []
            for _ in range(options.rounds):
                log_visit()
                first.append(timed(client, url))
                warm.append(timed(client, url))
            print(
                f"| {label} | {statistics.median(ms for ms, _q in first):.0f}, "
                f"{max(ms for ms, _q in first):.0f} | {max(q for _ms, q in first)} | "
                f"{statistics.median(ms for ms, _q in warm):.0f} | {max(q for _ms, q in warm)} |"
            )
    finally:
        for visit in Visit.objects.filter(pk__in=logged):
            visit.delete()
    return 0


if __name__ == "__main__":
    sys.exit(main())
