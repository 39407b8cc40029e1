from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend

from core.notifications.service import with_unread

from .models import User


class AuthenticationBackend(AllauthBackend):
    """allauth's backend (login by username or email), loading the account with its person
    and company in the same query: every page asks for them to work out the user's roles,
    and shows the unread messages' count in the header (a subquery, no query of its own);
    the channel choices come along for /me/ (a join, not a query)."""

    def get_user(self, user_id):
        accounts = with_unread(
            User._default_manager.select_related("person__company", "notification_preference")
        )
        user = accounts.filter(pk=user_id).first()
        if user is None or not self.user_can_authenticate(user):
            return None
        return user
