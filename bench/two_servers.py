"""Two app servers behind one "load balancer" share sessions, login rate limits and the cache.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/chamber .venv/bin/python bench/two_servers.py \
        [--redis-url redis://127.0.0.1:6379/7] [--workers 2]

Starts two gunicorn servers (production settings: DEBUG=0, TLS assumed at a proxy) on two free
ports, both on the PostgreSQL database in DATABASE_URL (migrated, and filled with the demo data
when it has none) and on the Redis database in --redis-url, which is FLUSHED first: pick a
number nothing else uses. Every request goes to 127.0.0.1 with the headers nginx would add
(Host, X-Forwarded-Proto: https), and one "browser" keeps its cookies while its requests
alternate between the servers. Prints each check and exits 1 if any fails.
"""

import argparse
import html
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass, field
from http.client import HTTPConnection
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "chamber-demo"
HOST = "127.0.0.1"  # the public host name nginx passes on; the same whichever server answers
WRONG = "您提供的用户名或密码不正确。"
LOCKED = "登录失败次数过多，请稍后重试。"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Response:
    status: int
    location: str
    text: str


@dataclass
class Browser:
    """One person's browser: its cookies go to whichever server the balancer picks."""

    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, port: int, method: str, path: str, form: dict | None = None) -> Response:
        headers = {
            "Host": HOST,
            "X-Forwarded-Proto": "https",
            "Accept-Language": "zh-hans",
            "Referer": f"https://{HOST}{path}",
            "Origin": f"https://{HOST}",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            raw = connection.getresponse()
            text = raw.read().decode("utf-8", "replace")
            for header in raw.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    if morsel["max-age"] == "0" or not morsel.value:
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value
            return Response(raw.status, raw.headers.get("Location", ""), html.unescape(text))
        finally:
            connection.close()

    def get(self, port: int, path: str) -> Response:
        return self.request(port, "GET", path)

    def post_form(self, port: int, path: str, data: dict, *, token_from: str = "") -> Response:
        """POST as the page at ``token_from`` (default ``path``) would, with its CSRF token."""
        page = self.get(port, token_from or path)
        match = CSRF_INPUT.search(page.text)
        if not match:
            raise AssertionError(f"no CSRF token on {token_from or path} ({page.status})")
        return self.request(port, "POST", path, {"csrfmiddlewaretoken": match[1], **data})

    def log_in(self, port: int, login: str, password: str, next_url: str = "") -> Response:
        data = {"login": login, "password": password}
        if next_url:
            data["next"] = next_url
        return self.post_form(port, "/accounts/login/", data)


class Checks:
    def __init__(self):
        self.failed = 0

    def __call__(self, ok: bool, label: str, detail: str = "") -> bool:
        print(f"  {'ok  ' if ok else 'FAIL'} {label}" + (f"  [{detail}]" if detail else ""))
        self.failed += not ok
        return ok


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def manage(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def prepare_database(env: dict) -> None:
    """Migrate; seed the demo chamber when the database has no demo logins yet."""
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "createcachetable")
    manage(env, "collectstatic", "--noinput", "-v0")
    from chamber.models import User

    if not User.objects.filter(username="member").exists():
        print("seeding the demo chamber (seed_demo --force) …")
        manage(env, "seed_demo", "--force")


def start_server(env: dict, port: int, workers: int) -> subprocess.Popen:
    return subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "chamber.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--log-level",
            "error",
        ],
        cwd=ROOT,
        env=env,
    )


def wait_until_up(port: int) -> None:
    for _ in range(300):
        try:
            Browser().get(port, "/healthz")
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"the server on port {port} did not start")


def check_sessions(check: Checks, a: int, b: int) -> None:
    """A session started on one server is valid on the other; logging out ends it on both."""
    from chamber.models import User

    print("1. sessions (database) are shared")
    name = User.objects.select_related("person").get(username="member").person.name
    browser = Browser()
    response = browser.log_in(a, "member", PASSWORD)
    check(response.status == 302 and response.location == "/", "member logs in on A", name)
    home = browser.get(b, "/")
    check(home.status == 200 and name in home.text, "B shows the member's home page with the name")
    out = browser.post_form(b, "/accounts/logout/", {}, token_from="/")
    check(out.status == 302, "member logs out on B", out.location)
    after = browser.get(a, "/")
    check(
        after.status == 302 and after.location.startswith("/accounts/login/"),
        "A no longer knows the session: home redirects to the login page",
    )

    staff = Browser()
    response = staff.log_in(a, "secretary", PASSWORD, next_url="/admin/")
    check(response.status == 302 and response.location == "/admin/", "secretary logs in on A")
    admin = staff.get(b, "/admin/")
    check(admin.status == 200 and 'id="site-name"' in admin.text, "B serves the admin index")


def failed_logins(
    check: Checks, servers: dict[str, int], login: str, *, times: int, next_url: str = ""
) -> None:
    """Wrong passwords from one browser, taking turns between the servers in ``servers``."""
    attacker = Browser()
    names = list(servers)
    for attempt in range(1, times + 1):
        name = names[(attempt - 1) % len(names)]
        response = attacker.log_in(servers[name], login, "wrong-password", next_url)
        check(
            response.status == 200 and WRONG in response.text and LOCKED not in response.text,
            f"wrong password #{attempt} for {login} on {name}: refused as wrong",
        )


def is_locked_out(port: int, login: str, next_url: str = "") -> bool:
    """The right password is refused with the 'too many attempts' message, and no session."""
    browser = Browser()
    response = browser.log_in(port, login, PASSWORD, next_url)
    home = browser.get(port, "/")
    return response.status == 200 and LOCKED in response.text and home.status == 302


def check_rate_limits(check: Checks, a: int, b: int) -> None:
    """5 failures per account in 5 minutes and 10 per address a minute, counted across servers.

    allauth counts every try against the address before it looks at the account, so the tries
    refused for the account count too: 5 failures + 2 refusals for the member leave the address
    3 more tries this minute.
    """
    print("2. login rate limits (ACCOUNT_RATE_LIMITS login_failed 10/m/ip,5/300s/key) agree")
    failed_logins(check, {"A": a, "B": b}, "member", times=5)
    check(is_locked_out(b, "member"), "6th try on B, right password: locked out (account)")
    check(is_locked_out(a, "member"), "7th try on A, right password: locked out (account)")

    print("   the admin's login goes through the same allauth form and limits")
    anonymous = Browser()
    redirect = anonymous.get(a, "/admin/login/?next=/admin/")
    check(
        redirect.status == 302 and redirect.location.startswith("/accounts/login/"),
        "GET /admin/login/ redirects to allauth's login",
        redirect.location,
    )
    posted = anonymous.post_form(
        a,
        "/admin/login/",
        {"username": "secretary", "password": PASSWORD},
        token_from="/accounts/login/",
    )
    check(
        posted.status == 302
        and posted.location.startswith("/accounts/login/")
        and anonymous.get(a, "/admin/").status == 302,
        "POST /admin/login/ with the right password logs nobody in: only allauth's form does",
        f"{posted.status} {posted.location}",
    )
    failed_logins(check, {"B": b, "A": a}, "secretary", times=3, next_url="/admin/")
    check(
        is_locked_out(b, "secretary", "/admin/"),
        "11th try from the address, admin login on B, right password: locked out (address)",
    )
    check(is_locked_out(a, "leader"), "12th try, a third account on A: locked out (address)")


def check_shared_cache(check: Checks) -> None:
    """The counters live in Redis (one entry updated by both servers), not in the database."""
    import hashlib

    from django.core.cache import cache
    from django.db import connection

    print("3. the cache is Redis, shared by both servers")
    key_hash = hashlib.sha256(f"{HOST}:member".encode()).hexdigest()
    key = f"allauth:rl:allauth.account:login_failed:5/300.0/key:{key_hash}"
    history = cache.get(key) or []
    check(
        len(history) == 5,
        "member's failures, written by A (3) and B (2), sit in one Redis entry",
        f"{len(history)} timestamps",
    )
    redis_keys = cache._cache.get_client(key).keys("*allauth:rl*")
    check(len(redis_keys) >= 3, "the rate-limit keys are in Redis", f"{len(redis_keys)} keys")
    if "chamber_cache" in connection.introspection.table_names():
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM chamber_cache WHERE cache_key LIKE '%allauth%'")
            (rows,) = cursor.fetchone()
        check(rows == 0, "nothing of it went to the database cache table", f"{rows} rows")
    else:
        check(True, "the database cache table is not even created (createcachetable skips it)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/7")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server")
    options = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        print("set DATABASE_URL to a PostgreSQL database both servers share", file=sys.stderr)
        return 2

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "chamber.settings",
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "SECURE_PROXY_SSL_HEADER_TRUSTED": "1",
        "CONN_MAX_AGE": "600",
        "REDIS_URL": options.redis_url,
        "LOG_LEVEL": "ERROR",
        "STATIC_ROOT": os.environ.get("STATIC_ROOT") or "/tmp/chamber-two-servers-static",
    }
    os.environ.update(env)
    import django

    django.setup()
    from django.core.cache import cache

    prepare_database(env)
    cache.clear()  # FLUSHDB on the --redis-url database: counts from an earlier run go
    ports = [free_port(), free_port()]
    servers = [start_server(env, port, options.workers) for port in ports]
    check = Checks()
    try:
        for port in ports:
            wait_until_up(port)
        print(f"A = 127.0.0.1:{ports[0]}, B = 127.0.0.1:{ports[1]}, cache {options.redis_url}")
        started = time.monotonic()
        check_sessions(check, *ports)
        check_rate_limits(check, *ports)
        check_shared_cache(check)
        print(f"{time.monotonic() - started:.1f} s")
    finally:
        for server in servers:
            server.send_signal(signal.SIGTERM)
        for server in servers:
            server.wait(timeout=30)
    print("all checks passed" if not check.failed else f"{check.failed} check(s) FAILED")
    return 1 if check.failed else 0


if __name__ == "__main__":
    sys.exit(main())
