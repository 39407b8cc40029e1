"""The demo banner's flag: whether this site's database holds the demo data.

It is read from the database once per process (one query at the first page) and then kept, so
that no page pays a query for it; ``seed_demo`` sets it in its own process, and a server
started after the seed (``make run``) reads it at its first page. A server already running
when the demo is loaded shows the banner after a restart.
"""

from django.utils import timezone

_loaded: bool | None = None


def demo_loaded() -> bool:
    global _loaded
    if _loaded is None:
        from .models import DemoLoad

        _loaded = DemoLoad.objects.exists()
    return _loaded


def mark_loaded():
    """Record that the demo data is loaded (``seed_demo``'s last step)."""
    global _loaded
    from .models import DemoLoad

    DemoLoad.objects.update_or_create(pk=1, defaults={"loaded_at": timezone.now()})
    _loaded = True


def forget():
    """Read the flag from the database again at the next page (tests)."""
    global _loaded
    _loaded = None


def set_known(value: bool):
    """Take the flag as ``value`` without asking the database (tests)."""
    global _loaded
    _loaded = value
