import functools

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.db import router
from django.utils import timezone

from core.notifications.service import with_unread
from core.prepared import Prepared

from .models import User
from .roles import with_roles


class AuthenticationBackend(AllauthBackend):
    """allauth's backend (login by username or email), loading the account in one query with
    what every page asks of it: the person and company, the groups and this term's titles (to
    work out the user's roles, ``chamber.roles.with_roles``), the unread messages' count for the
    header (subqueries), and the channel choices for /me/ (a join)."""

    def get_user(self, user_id):
        try:
            user_id = int(user_id)
        except (TypeError, ValueError):  # a session's id that is no number
            return None
        users = _prepared_accounts(timezone.localdate(), router.db_for_read(User)).rows(user_id)
        user = users[0] if users else None
        if user is None or not self.user_can_authenticate(user):
            return None
        return user


# No account has this id: it marks where each request's id goes in the compiled query.
_ANY_ACCOUNT = -20_000_000_011


@functools.lru_cache(maxsize=4)
def _prepared_accounts(today, using) -> Prepared:
    """The query of ``_accounts(today)`` for one account, compiled to SQL once a day per
    worker and database: compiling it cost 1.2 ms a page, running it 0.15 ms."""
    return Prepared(_accounts(today).using(using).filter(pk=_ANY_ACCOUNT), _ANY_ACCOUNT)


@functools.lru_cache(maxsize=2)
def _accounts(today):
    """The accounts with all of the above, built once a day per worker (building its
    subqueries cost as much as running it; the titles are those of the term running
    ``today``). A queryset is never evaluated here, only copied by ``filter()``."""
    return with_roles(
        with_unread(
            User._default_manager.select_related("person__company", "notification_preference")
        ),
        today,
    )
