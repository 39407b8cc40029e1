"""The notification service: one function, ``notify()``, for every message the chamber sends.

    from core.notifications import notify
    notify(people, "event_cancelled", {"event": event, "url": url}, key=f"cancelled:{event.pk}")

Each app registers its kinds (``registry.Kind``: templates, channels, urgency) from its
``AppConfig.ready()``. See ``service`` (writing messages), ``tasks`` (sending them off the
request), ``wechat`` (the 公众号 channel) and ``views`` (the inbox).
"""

from .registry import (
    CHANNELS,
    EMAIL,
    INAPP,
    SMS,
    WECHAT,
    Kind,
    audience,
    register,
    register_audience,
)

__all__ = [
    "CHANNELS",
    "EMAIL",
    "INAPP",
    "SMS",
    "WECHAT",
    "Kind",
    "audience",
    "notify",
    "reachable",
    "register",
    "register_audience",
]


def notify(recipients, kind, context, *, key=None):
    """See ``core.notifications.service.notify``."""
    from .service import notify as _notify

    return _notify(recipients, kind, context, key=key)


def reachable(recipient) -> bool:
    """Whether a person or account can be told anything: an active account (the inbox) or an
    email address."""
    from .service import _resolve

    resolved = _resolve(recipient)
    return resolved is not None and (resolved.user is not None or bool(resolved.email))
