"""A small cache counter for what anyone can repeat (check-in attempts).

``core/limits.py`` (written in parallel) offers the same ``hit``; once it is merged this module
can import it from there.
"""

from django.core.cache import cache


def hit(key: str, limit: int, period: int) -> bool:
    """Count one attempt under ``key``: False once there were more than ``limit`` in the
    current window of ``period`` seconds (a fixed window, in the cache every worker shares)."""
    key = f"limits:{key}"
    cache.add(key, 0, period)
    try:
        count = cache.incr(key)
    except ValueError:  # the window ended between add() and incr()
        cache.set(key, 1, period)
        count = 1
    return count <= limit
