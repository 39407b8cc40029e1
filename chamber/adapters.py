from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """No open sign-up: the secretariat invites people from the admin."""

    def is_open_for_signup(self, request):
        return False
