from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend

from .models import User


class AuthenticationBackend(AllauthBackend):
    """allauth's backend (login by username or email), loading the account with its person
    and company in the same query: every page asks for them to work out the user's roles."""

    def get_user(self, user_id):
        user = User._default_manager.select_related("person__company").filter(pk=user_id).first()
        if user is None or not self.user_can_authenticate(user):
            return None
        return user
