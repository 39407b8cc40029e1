"""Drill a PostgreSQL outage against the app served by gunicorn with production settings.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> .venv/bin/python scripts/outage_drill.py

The database must be migrated and seeded (`manage.py seed_demo`): the drill logs in as the
demo leader. PostgreSQL itself is never touched: gunicorn reaches it through a TCP proxy this
script runs, and stopping the proxy is the outage. The steps:

1. pages answer 200 through the proxy (persistent connections, CONN_MAX_AGE=600);
2. a visit with three problems is submitted and the proxy cuts every connection when the
   second problem is inserted: the answer is the 503 page and PostgreSQL holds no part of it;
3. with the proxy down, pages answer the 503 page in Chinese, /healthz answers 503, and a
   second visit submitted meanwhile writes nothing;
4. the proxy comes back and the same gunicorn, with the same workers, serves 200 again.

Every step is printed; the exit status is 1 if any expectation failed.
"""

import argparse
import http.client
import json
import os
import re
import secrets
import select
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OUTAGE_TEXT = "系统暂时无法连接数据库"
SECOND_PROBLEM_INSERT = b'INSERT INTO "activities_problem" ('


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Proxy:
    """A TCP proxy in front of PostgreSQL. Stopping it closes every connection through it,
    which is what the app sees when the database server goes away."""

    def __init__(self, *, port: int, target: tuple[str, int]):
        self.port = port
        self.target = target
        self.listener = None
        self.sockets = set()
        self.lock = threading.Lock()
        self.trip = None  # (marker, occurrence): stop when a client sends it

    def start(self) -> None:
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", self.port))
        self.listener.listen(64)
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def stop(self) -> None:
        with self.lock:
            listener, self.listener = self.listener, None
            doomed, self.sockets = self.sockets, set()
        if listener is not None:
            # shutdown() wakes the thread blocked in accept(); close() alone would not.
            listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        for sock in doomed:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()

    @property
    def running(self) -> bool:
        return self.listener is not None

    def stop_when_sent(self, marker: bytes, *, occurrence: int) -> None:
        """Cut everything the moment a client sends ``marker`` for the ``occurrence``-th time:
        that query never reaches the server, and its open transaction dies with the connection."""
        self.trip = [marker, occurrence]

    def _accept(self, listener) -> None:
        while True:
            try:
                client, _address = listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.sockets |= {client, server}
            threading.Thread(target=self._pipe, args=(client, server), daemon=True).start()

    def _pipe(self, client, server) -> None:
        pairs = {client: server, server: client}
        try:
            while True:
                readable, _, _ = select.select(list(pairs), [], [], 1.0)
                for sock in readable:
                    data = sock.recv(65536)
                    if not data:
                        return
                    if sock is client and self._tripped(data):
                        self.stop()
                        return
                    pairs[sock].sendall(data)
        except (OSError, ValueError):
            return
        finally:
            for sock in (client, server):
                sock.close()

    def _tripped(self, data: bytes) -> bool:
        if self.trip is None:
            return False
        marker, _occurrence = self.trip
        self.trip[1] -= data.count(marker)
        if self.trip[1] > 0:
            return False
        self.trip = None
        return True


class Browser:
    """Just enough of a browser for Django behind a TLS proxy: cookies, CSRF, no redirects."""

    def __init__(self, port: int):
        self.port = port
        self.origin = f"https://127.0.0.1:{port}"
        self.cookies = {}

    def request(self, method: str, path: str, form: dict | None = None):
        headers = {"Host": f"127.0.0.1:{self.port}", "X-Forwarded-Proto": "https"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.origin
            headers["Referer"] = self.origin + path
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read().decode("utf-8", "replace")
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response.status, response.headers, content

    def get(self, path: str):
        return self.request("GET", path)

    def post(self, path: str, form: dict):
        return self.request("POST", path, form)


class Drill:
    def __init__(self):
        self.failures = []
        self.outage_responses = 0

    def step(self, title: str) -> None:
        print(f"\n== {title}")

    def expect(self, label: str, ok: bool, detail: str = "") -> bool:
        print(f"  {'ok  ' if ok else 'FAIL'} {label}" + (f"  ({detail})" if detail else ""))
        if not ok:
            self.failures.append(label)
        return ok

    def expect_outage_page(self, label: str, response) -> None:
        status, headers, content = response
        self.outage_responses += status == 503
        self.expect(
            f"{label} answers the 503 page",
            status == 503 and OUTAGE_TEXT in content and headers.get("Retry-After") == "30",
            f"status {status}, Retry-After {headers.get('Retry-After')}",
        )


def csrf_token(content: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', content)
    return match.group(1) if match else ""


def visit_form(*, token: str, company_pk: int, marker: str) -> dict:
    from django.utils import timezone

    return {
        "csrfmiddlewaretoken": token,
        "company": company_pk,
        "visited_on": timezone.localdate().isoformat(),
        "summary": f"停机演练 {marker}：与总经理座谈。",
        "problems-TOTAL_FORMS": "3",
        "problems-INITIAL_FORMS": "0",
        "problems-0-category": "financing",
        "problems-0-description": f"{marker} 扩产需要流动资金。",
        "problems-1-category": "premises",
        "problems-1-description": f"{marker} 厂房租约年底到期。",
        "problems-2-category": "staffing",
        "problems-2-description": f"{marker} 缺少熟练技工。",
    }


def rows_written(marker: str) -> int:
    """Rows of the drill's visit in PostgreSQL itself, read directly, not through the proxy."""
    from django.db import close_old_connections

    from activities.models import Problem, Visit

    close_old_connections()
    return (
        Visit.objects.filter(summary__contains=marker).count()
        + Problem.objects.filter(description__contains=marker).count()
    )


def proxied_url(database_url: str, port: int) -> str:
    url = urllib.parse.urlsplit(database_url)
    auth = url.netloc.rpartition("@")[0]
    netloc = f"{auth}@127.0.0.1:{port}" if auth else f"127.0.0.1:{port}"
    # Plain text on the wire, so the proxy can see which query to cut.
    query = "&".join(filter(None, [url.query, "sslmode=disable"]))
    return urllib.parse.urlunsplit((url.scheme, netloc, url.path, query, ""))


def start_gunicorn(env: dict, port: int, workers: int, log) -> subprocess.Popen:
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
            "--error-logfile",
            "-",
            "--log-level",
            "info",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
    )


def wait_until_up(browser: Browser, server: subprocess.Popen) -> bool:
    for _ in range(150):
        if server.poll() is not None:
            return False
        try:
            if browser.get("/healthz")[0] == 200:
                return True
        except OSError:
            pass
        time.sleep(0.2)
    return False


def run(drill: Drill, options, *, browser: Browser, proxy: Proxy, server, log_path: Path):
    from members.models import Company

    company_pk = Company.objects.active().order_by("pk").values_list("pk", flat=True).first()
    pages = ["/", "/visits/", "/companies/"]

    drill.step("1. The database is up")
    for path in pages:
        status = browser.get(path)[0]
        drill.expect(f"GET {path} before logging in redirects to the login page", status == 302)
    status, _headers, content = browser.get("/accounts/login/")
    login = {"csrfmiddlewaretoken": csrf_token(content), "login": options.username}
    status = browser.post("/accounts/login/", {**login, "password": options.password})[0]
    if not drill.expect(f"{options.username} logs in", status == 302, f"status {status}"):
        return
    for path in pages:
        status = browser.get(path)[0]
        drill.expect(f"GET {path} answers 200", status == 200, f"status {status}")
    status, _headers, content = browser.get("/visits/new/")
    token = csrf_token(content)
    drill.expect("the visit form answers 200", status == 200 and bool(token))

    drill.step("2. PostgreSQL goes away while a visit with three problems is being saved")
    cut = secrets.token_hex(4)
    proxy.stop_when_sent(SECOND_PROBLEM_INSERT, occurrence=2)
    response = browser.post(
        "/visits/new/", visit_form(token=token, company_pk=company_pk, marker=cut)
    )
    drill.expect("the proxy cut the connections at the second problem", not proxy.running)
    drill.expect_outage_page("the interrupted POST", response)
    drill.expect("no part of that visit is in PostgreSQL", rows_written(cut) == 0)

    drill.step("3. PostgreSQL stays away")
    proxy.stop()
    for path in pages:
        drill.expect_outage_page(f"GET {path}", browser.get(path))
    status, _headers, content = Browser(browser.port).get("/healthz")
    drill.outage_responses += status == 503
    drill.expect(
        "GET /healthz answers 503",
        status == 503 and json.loads(content).get("database") == "unavailable",
        f"status {status}: {content.strip()}",
    )
    meanwhile = secrets.token_hex(4)
    response = browser.post(
        "/visits/new/", visit_form(token=token, company_pk=company_pk, marker=meanwhile)
    )
    drill.expect_outage_page("a visit submitted during the outage", response)

    drill.step("4. PostgreSQL is back")
    proxy.start()
    drill.expect(
        "PostgreSQL holds no row of either visit", rows_written(cut) + rows_written(meanwhile) == 0
    )
    status = Browser(browser.port).get("/healthz")[0]
    drill.expect("GET /healthz answers 200", status == 200, f"status {status}")
    # More requests than workers, so every worker's connection is tried.
    statuses = [browser.get(path)[0] for _ in range(options.workers * 2) for path in pages]
    drill.expect(
        f"{len(statuses)} pages answer 200, still logged in",
        set(statuses) == {200},
        f"statuses {sorted(set(statuses))}",
    )
    drill.expect("the same gunicorn is serving", server.poll() is None)
    log = log_path.read_text()
    booted = log.count("Booting worker")
    drill.expect(
        "no worker was restarted",
        booted == options.workers,
        f"{booted} workers booted",
    )
    logged = len(re.findall(r"^Service Unavailable: ", log, re.M))
    drill.expect(
        "each 503 was logged once at ERROR",
        logged == drill.outage_responses,
        f"{logged} log entries, {drill.outage_responses} responses",
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--username", default="leader", help="a leader who logs visits")
    parser.add_argument("--password", default="chamber-demo")
    parser.add_argument("--workers", type=int, default=2)
    options = parser.parse_args()

    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        print("Set DATABASE_URL to a PostgreSQL database (seeded with seed_demo).")
        return 2
    target = urllib.parse.urlsplit(database_url)
    proxy = Proxy(port=free_port(), target=(target.hostname or "127.0.0.1", target.port or 5432))
    app_port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "chamber.settings",
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_PROXY_SSL_HEADER_TRUSTED": "1",
        "CONN_MAX_AGE": "600",
        "LOG_LEVEL": "ERROR",
        "STATIC_ROOT": os.environ.get("STATIC_ROOT") or "/tmp/chamber-drill-static",
    }
    # This process reads PostgreSQL directly; only gunicorn goes through the proxy.
    os.environ.update({k: env[k] for k in ("DJANGO_SETTINGS_MODULE", "STATIC_ROOT")})
    import django

    django.setup()
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    drill = Drill()
    proxy.start()
    with tempfile.NamedTemporaryFile("w+", prefix="outage-drill-", suffix=".log") as log:
        server = start_gunicorn(
            {**env, "DATABASE_URL": proxied_url(database_url, proxy.port)},
            app_port,
            options.workers,
            log,
        )
        browser = Browser(app_port)
        print(f"gunicorn pid {server.pid} on :{app_port}, PostgreSQL through :{proxy.port}")
        try:
            if drill.expect("gunicorn answers /healthz", wait_until_up(browser, server)):
                run(
                    drill,
                    options,
                    browser=browser,
                    proxy=proxy,
                    server=server,
                    log_path=Path(log.name),
                )
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
            proxy.stop()
            if drill.failures:
                print(f"\ngunicorn's log ({log.name}):")
                print(Path(log.name).read_text()[-4000:])
    print(f"\n{'FAILED: ' + '; '.join(drill.failures) if drill.failures else 'All steps passed.'}")
    return 1 if drill.failures else 0


if __name__ == "__main__":
    sys.exit(main())
