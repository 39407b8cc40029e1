"""Serve the app with gunicorn (production settings) and measure each page with wrk.

    .venv/bin/python bench/run.py [--duration 15] [--connections 16] [--workers 4]
    .venv/bin/python bench/run.py --ci      # CI: 3 s a page, fails on errors or more queries

Uses the database in DATABASE_URL (PostgreSQL expected: fill it first with
`manage.py seed_demo`, or `--scale city` for the city-scale data). For each page it prints
requests per second, the ratio to a trivial Django view measured in the same run, p50/p99
latency, SQL queries per request, HTML size, and errors. Pages of features not built yet are
skipped. Needs `wrk` (apt-get install wrk).

`--ci` is the short form CI runs on the demo data: 3 s a page, and it exits 1 when a page
answers anything but 200, when wrk saw an error, or when a page needs more SQL queries than
bench/queries.json allows (`--write-baseline` adds the pages it lacks and lowers the counts that
fell, never raising one; query counts must not grow with the data, so the same file holds at
city scale). Save a run's output (`> bench/results/NAME.txt`) and compare two runs side by side
with bench/compare.py.

`--rounds N` measures the whole list N times, the trivial view first in each round, and prints
each page's median over the rounds: its ratio to the trivial view and its p99 over the trivial
view's p99 are taken within the same round, so a machine that slows down during the run (other
work on it) moves both sides of a ratio together. The column `p99 ÷ trivial` is that median.
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BASELINE = ROOT / "bench" / "queries.json"


@dataclass
class Page:
    label: str
    persona: str  # a username, or "" for anonymous
    url_name: str
    kind: str  # "app" (member/leader-facing), "admin", or "ceiling"
    query: str = ""
    args: object = None  # a callable returning reverse() args, evaluated after django.setup()

    def url(self) -> str:
        from django.urls import reverse

        args = self.args() if callable(self.args) else None
        return reverse(self.url_name, args=args) + (f"?{self.query}" if self.query else "")


def first_pk(model_path: str, **filters):
    def get():
        from django.apps import apps

        model = apps.get_model(model_path)
        return [model.objects.filter(**filters).order_by("pk").values_list("pk", flat=True)[0]]

    return get


def member_feed_token():
    from activities.models import CalendarFeed
    from chamber.models import User

    feed, _ = CalendarFeed.objects.get_or_create(user=User.objects.get(username="member"))
    return [feed.token]


def current_year():
    from django.utils import timezone

    return [timezone.localdate().year]


PAGES = [
    Page("trivial view (ceiling)", "", "bench_trivial", "ceiling"),
    Page("/companies/", "member", "members:company_list", "app"),
    Page("/companies/?q=shj", "member", "members:company_list", "app", query="q=shj"),
    Page(
        "company page",
        "leader",
        "members:company_detail",
        "app",
        args=first_pk("members.Company", status="active"),
    ),
    Page("/leadership/", "member", "chamber:leadership", "app"),
    Page("home (member)", "member", "chamber:home", "app"),
    Page("/me/", "member", "members:me", "app"),
    Page("/calendar/", "member", "activities:calendar", "app"),
    Page(
        "event page", "member", "activities:event_detail", "app", args=first_pk("activities.Event")
    ),
    Page(".ics feed", "", "activities:calendar_feed", "app", args=member_feed_token),
    Page("/visits/", "leader", "activities:visit_list", "app"),
    Page("/visits/compliance/", "president", "activities:visit_compliance", "app"),
    Page("/problems/", "president", "activities:problem_list", "app"),
    Page("/charity/", "member", "charity:overview", "app"),
    Page("dashboard (home, president)", "president", "chamber:home", "app"),
    Page("四好 report", "president", "reports:four_goods", "app", args=current_year),
    # Built since the first city-scale measurement (issue 18): the other roles' homes, the
    # supervisor's pages, dues, the inbox, the development pipeline and the self-edit page.
    Page("home (leader)", "leader", "chamber:home", "app"),
    Page("/problems/ (leader)", "leader", "activities:problem_list", "app"),
    Page("home (supervisor)", "supervisor", "chamber:home", "app"),
    Page("/problems/ (supervisor)", "supervisor", "activities:problem_list", "app"),
    Page("/visits/compliance/ (supervisor)", "supervisor", "activities:visit_compliance", "app"),
    Page("/dashboard/ (supervisor)", "supervisor", "reports:dashboard", "app"),
    Page("/dues/", "president", "dues:overview", "app"),
    Page("/dues/arrears/", "secretary", "dues:arrears", "app"),
    Page("/inbox/", "member", "notifications:inbox", "app"),
    Page("/me/company/", "member", "members:me_company", "app"),
    Page("/development/", "secretary", "development:pipeline", "app"),
    Page("admin company list", "secretary", "admin:members_company_changelist", "admin"),
    Page(
        "admin company search",
        "secretary",
        "admin:members_company_changelist",
        "admin",
        query="q=%E7%89%A9%E6%B5%81",
    ),
    Page("admin visit list", "secretary", "admin:activities_visit_changelist", "admin"),
    Page("admin problem list", "secretary", "admin:activities_problem_changelist", "admin"),
    Page("admin donation list", "secretary", "admin:charity_donation_changelist", "admin"),
    Page("admin dues bill list", "secretary", "admin:dues_bill_changelist", "admin"),
    Page("admin person list", "secretary", "admin:members_person_changelist", "admin"),
    Page(
        "admin person search",
        "secretary",
        "admin:members_person_changelist",
        "admin",
        query="q=%E7%8E%8B",  # 王: the commonest surname, the widest search
    ),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def session_cookie(username: str) -> str:
    from django.test import Client

    from chamber.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    return client.cookies["sessionid"].value


def measure_in_process(page: Page, cookie: str):
    """Queries and HTML size of a request served in this process: the second one, since the
    first after a change fills the shared cache's counts (core.counts)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="127.0.0.1")
    if cookie:
        client.cookies["sessionid"] = cookie
    client.get(page.url(), secure=True)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(page.url(), secure=True)
    return response.status_code, len(queries), len(response.content)


WRK_RPS = re.compile(r"Requests/sec:\s+([\d.]+)")
WRK_LAT = re.compile(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.M)
WRK_NON2XX = re.compile(r"Non-2xx or 3xx responses: (\d+)")
WRK_SOCKET = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")


def to_ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def run_wrk(url: str, cookie: str, *, duration: int, connections: int, threads: int):
    headers = ["-H", "X-Forwarded-Proto: https"]
    if cookie:
        headers += ["-H", f"Cookie: sessionid={cookie}"]
    out = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "10s"]
        + ["--latency", *headers, url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(WRK_RPS.search(out).group(1))
    latency = {pct: to_ms(value, unit) for pct, value, unit in WRK_LAT.findall(out)}
    errors = sum(int(n) for n in WRK_NON2XX.findall(out))
    socket_errors = WRK_SOCKET.search(out)
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    return rps, latency.get("50", 0.0), latency.get("99", 0.0), errors


def drain(base: str, workers: int, *, within: float = 120.0) -> None:
    """Wait until the server has served the requests wrk left queued. wrk stops after its
    duration, but the requests it had sent are still in the listen queue and the sync workers
    serve them all: after a slow page, the next page was measured behind that backlog (and
    after it the next, each page leaving a backlog of its own). The queue is first in, first
    out, so requests sent now are served after the backlog: two rounds of one request per
    worker leave at most a request or two of it running."""
    from concurrent.futures import ThreadPoolExecutor

    def trivial(_):
        try:
            urllib.request.urlopen(f"{base}/bench/trivial", timeout=within).read()
        except OSError:
            pass

    with ThreadPoolExecutor(max_workers=workers) as pool:
        for _ in range(2):
            list(pool.map(trivial, range(workers)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--only", default="", help="measure only pages whose label has this")
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="measure the whole list this many times and print each page's median",
    )
    parser.add_argument(
        "--redis-url",
        default="",
        help="serve with this Redis database as the cache (FLUSHED first), as a deployment with "
        "REDIS_URL does; without it, the database cache",
    )
    parser.add_argument("--ci", action="store_true", help="short run that fails on regressions")
    parser.add_argument(
        "--write-baseline",
        action="store_true",
        help=f"add new pages to {BASELINE.name} and lower the counts that fell",
    )
    options = parser.parse_args()
    if options.ci:
        options.duration, options.warmup = 3, 1

    if not shutil.which("wrk"):
        print("wrk is needed: apt-get install wrk", file=sys.stderr)
        return 2
    from bench import production_environment

    env = {
        **os.environ,
        **production_environment(),
        "LOG_LEVEL": "ERROR",
        "REDIS_URL": options.redis_url,
    }
    env.pop("CACHE_URL", None)
    os.environ.update(env)
    import django

    django.setup()
    from django.conf import settings
    from django.urls import NoReverseMatch

    print(
        f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]} "
        f"{settings.DATABASES['default'].get('NAME')}; "
        f"cache: {options.redis_url or 'the database cache'}"
    )
    if options.redis_url:
        from django.core.cache import cache

        cache.clear()  # FLUSHDB: values an earlier run's code pickled must not be read

    pages, skipped = [], []
    for page in PAGES:
        try:
            page.url()
            pages.append(page)
        except (NoReverseMatch, IndexError, LookupError) as exc:
            skipped.append(f"{page.label} ({type(exc).__name__})")
    if options.only:
        pages = [p for p in pages if options.only in p.label or p.kind == "ceiling"]

    # Production settings use the manifest storage: the static files must be collected.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    cookies = {p.persona: session_cookie(p.persona) for p in pages if p.persona}
    port = free_port()
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "chamber.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(options.workers),
            "--worker-class",
            "sync",
            "--access-logfile",
            "-",
            "--error-logfile",
            "-",
            "--log-level",
            "error",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=None,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/bench/trivial", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        measured = {}  # label: [(rps, ratio, p50, p99, p99 ÷ trivial p99, errors), …]
        facts = {}  # label: (status, queries, size), read once in-process
        for round_number in range(options.rounds):
            ceiling = trivial_p99 = None
            for page in pages:
                cookie = cookies.get(page.persona, "")
                if page.label not in facts:
                    facts[page.label] = measure_in_process(page, cookie)
                url = base + page.url()
                run_wrk(
                    url,
                    cookie,
                    duration=options.warmup,
                    connections=options.connections,
                    threads=options.threads,
                )
                rps, p50, p99, errors = run_wrk(
                    url,
                    cookie,
                    duration=options.duration,
                    connections=options.connections,
                    threads=options.threads,
                )
                if page.kind == "ceiling":
                    ceiling, trivial_p99 = rps, p99
                ratio = ceiling / rps if ceiling and rps else float("nan")
                p99_times = p99 / trivial_p99 if trivial_p99 else float("nan")
                measured.setdefault(page.label, []).append(
                    (rps, ratio, p50, p99, p99_times, errors)
                )
                round_name = f" (round {round_number + 1})" if options.rounds > 1 else ""
                print(f"  measured {page.label}{round_name}: {rps:.0f} req/s", file=sys.stderr)
                drain(base, options.workers)
        rows = []
        for page in pages:
            status, queries, size = facts[page.label]
            runs = measured[page.label]
            rps, ratio, p50, p99, p99_times = (
                statistics.median(run[i] for run in runs) for i in range(5)
            )
            errors = sum(run[5] for run in runs)
            rows.append((page, status, rps, ratio, p50, p99, p99_times, queries, size, errors))
    finally:
        # Quick shutdown: a graceful one waits for the requests still queued.
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()

    print()
    print(
        f"{options.connections} connections, {options.duration} s a page, "
        f"{options.workers} gunicorn sync workers"
        + (f", median of {options.rounds} rounds" if options.rounds > 1 else "")
    )
    print(
        "| page | as | status | req/s | ceiling ÷ page | p50 ms | p99 ms | p99 ÷ trivial "
        "| queries | KB | errors |"
    )
    print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for page, status, rps, ratio, p50, p99, p99_times, queries, size, errors in rows:
        print(
            f"| {page.label} | {page.persona or 'anonymous'} | {status} | {rps:.0f} | "
            f"{ratio:.1f} | {p50:.1f} | {p99:.1f} | {p99_times:.1f} | {queries} | "
            f"{size / 1024:.1f} | {errors} |"
        )
    if skipped:
        print("\nnot built yet, skipped: " + "; ".join(skipped))
    if options.write_baseline:
        BASELINE.write_text(json.dumps(new_baseline(rows), ensure_ascii=False, indent=2) + "\n")
        print(f"\nwrote {BASELINE.relative_to(ROOT)}")
    problems = regressions(rows)
    for problem in problems:
        print(f"FAIL {problem}")
    return 1 if problems and options.ci else 0


def new_baseline(rows) -> dict[str, int]:
    """The baseline with the pages measured: a new page gets its count, a page that needs
    fewer queries now gets the lower count, and no count is ever raised (a page that needs more
    stays a failure until it is fixed). Pages not measured this time keep theirs."""
    allowed = json.loads(BASELINE.read_text()) if BASELINE.exists() else {}
    for page, _status, _rps, _ratio, _p50, _p99, _times, queries, _size, _errors in rows:
        allowed[page.label] = min(queries, allowed.get(page.label, queries))
    return allowed


def regressions(rows) -> list[str]:
    """Pages that failed under load or need more queries than the baseline allows."""
    allowed = json.loads(BASELINE.read_text()) if BASELINE.exists() else {}
    problems = []
    for page, status, _rps, _ratio, _p50, _p99, _times, queries, _size, errors in rows:
        if status != 200:
            problems.append(f"{page.label}: answered {status}")
        if errors:
            problems.append(f"{page.label}: {errors} errors under load")
        if page.label in allowed and queries > allowed[page.label]:
            problems.append(
                f"{page.label}: {queries} queries, {allowed[page.label]} allowed ({BASELINE.name})"
            )
    return problems


if __name__ == "__main__":
    sys.exit(main())
