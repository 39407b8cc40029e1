"""Browser tests: Playwright for Python driving Debian's Chromium against live_server.

Skipped when /usr/bin/chromium is not installed. Never `playwright install`.
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screens" / "browser"

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between page actions are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    browser_items = [item for item in items if "tests/browser" in str(item.fspath)]
    if not (Path(CHROMIUM).exists() or shutil.which("chromium")):
        skip = pytest.mark.skip(reason=f"chromium not installed at {CHROMIUM}")
        for item in browser_items:
            item.add_marker(skip)
    # Browser tests need transactional databases, which are flushed afterwards (taking the
    # groups the data migrations made with them): run them last.
    items[:] = [item for item in items if item not in browser_items] + browser_items


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium"),
            args=CHROMIUM_ARGS,
            headless=True,
        )
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def restorable_database(chromium, serialized_database):
    """Let each browser test restore the database that the one before it flushed.

    Playwright runs an event loop in this thread; asgiref's Local then hands Django new
    connection objects without the ``_test_serialized_contents`` that serialized_rollback
    restores from, so a later test would start from an empty database (no role groups).
    ``serialized_database`` (tests/conftest.py) puts the snapshot taken at the start of the
    session on the connection now in use.
    """


@pytest.fixture
def page(chromium):
    context = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def phone(chromium):
    context = chromium.new_context(
        locale="zh-CN",
        viewport={"width": 375, "height": 812},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    return take


@pytest.fixture(autouse=True)
def fresh_cache(restorable_database, transactional_db):
    """Start each browser test with an empty cache. Every browser logs in from 127.0.0.1, and
    allauth counts logins per address in the shared cache (30 a minute): the database cache's
    table is not flushed between transactional tests, so a fast run of the whole suite hit the
    limit and its later tests saw the login page instead of the page under test."""
    from django.core.cache import cache

    cache.clear()
