"""Time each benchmarked page in-process, without the HTTP server, and profile one.

    .venv/bin/python bench/profile_pages.py [--repeat 30] [--only LABEL] [--profile LABEL]

Serves every page of bench/run.py's list through Django's test client with the production
settings bench/run.py uses, and prints the median milliseconds a request costs in this process,
split into SQL time and the rest (mostly template rendering), with the queries and HTML size.
`--profile LABEL` prints the top functions of that page by cumulative time (cProfile).
Useful to find what to fix before a long wrk run; the figures are CPU-bound and noisy.
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--only", default="")
    parser.add_argument("--profile", default="", help="cProfile the page with this label")
    parser.add_argument(
        "--sort", default="cumulative", help="the profile's order: cumulative, tottime, …"
    )
    options = parser.parse_args()

    from bench import production_environment

    os.environ.update(production_environment())
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.run import PAGES, session_cookie

    call_command("collectstatic", "--noinput", verbosity=0)
    pages = [p for p in PAGES if not options.only or options.only in p.label]
    print("| page | ms | SQL ms | queries | KB |")
    print("|---|---:|---:|---:|---:|")
    for page in pages:
        client = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="127.0.0.1")
        if page.persona:
            client.cookies["sessionid"] = session_cookie(page.persona)
        url = page.url()
        client.get(url, secure=True)  # warm caches and templates
        totals, sql = [], []
        for _ in range(options.repeat):
            with CaptureQueriesContext(connection) as queries:
                start = time.process_time()
                response = client.get(url, secure=True)
                totals.append(time.process_time() - start)
            sql.append(sum(float(q["time"]) for q in queries.captured_queries))
        print(
            f"| {page.label} | {statistics.median(totals) * 1000:.1f} | "
            f"{statistics.median(sql) * 1000:.1f} | {len(queries)} | "
            f"{len(response.content) / 1024:.1f} |"
        )
        if options.profile and options.profile in page.label:
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(options.repeat):
                client.get(url, secure=True)
            profiler.disable()
            pstats.Stats(profiler).sort_stats(options.sort).print_stats(40)
    return 0


if __name__ == "__main__":
    sys.exit(main())
