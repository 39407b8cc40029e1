"""Measuring the app as it runs in production: bench/run.py (wrk against gunicorn),
profile_pages.py and after_write.py (in-process), dump_pages.py (the pages as text)."""

import os
import secrets


def production_environment() -> dict[str, str]:
    """The settings every bench script serves the app with: production (no debug, the
    manifest storage, persistent connections) behind the bench's URLs (``bench/urls.py``: the
    trivial view). Put in ``os.environ`` before ``django.setup()``."""
    return {
        "DJANGO_SETTINGS_MODULE": "chamber.settings",
        "DJANGO_ROOT_URLCONF": "bench.urls",
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_PROXY_SSL_HEADER_TRUSTED": "1",
        "CONN_MAX_AGE": "600",
        "STATIC_ROOT": os.environ.get("STATIC_ROOT") or "/tmp/chamber-bench-static",
    }
