from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal import ratelimit

# The failed-login limit that counts every address at once (ACCOUNT_RATE_LIMITS).
LOGIN_FAILED_ANYWHERE = "login_failed_anywhere"


class AccountAdapter(DefaultAccountAdapter):
    """No open sign-up: the secretariat invites people from the admin.

    Failed logins are counted per login *and* client address (allauth's ``login_failed``
    "key" limit, whose key we extend with the address), so a stranger guessing the
    president's password locks only their own address out, not the president. A much higher
    limit per login from all addresses together (``login_failed_anywhere``) still stops
    guessing spread over many addresses.
    """

    def is_open_for_signup(self, request):
        return False

    def _login_key(self, request, **credentials) -> str:
        """allauth's key: the site's host and the login."""
        return super()._get_login_attempts_cache_key(request, **credentials)

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        return f"{self._login_key(request, **credentials)}:{ratelimit.get_ip(request)}"

    def pre_authenticate(self, request, **credentials) -> None:
        super().pre_authenticate(request, **credentials)
        anywhere = ratelimit.consume(
            request,
            app="allauth.account",
            action=LOGIN_FAILED_ANYWHERE,
            key=self._login_key(request, **credentials),
        )
        if not anywhere:
            raise self.validation_error("too_many_login_attempts")
        # A successful login rolls back both counts (allauth's authenticate()).
        self._login_failed_rl_usage.usage.extend(anywhere.usage)

    def _delete_login_attempts_cached_email(self, request, **credentials) -> None:
        """A password reset by email lifts the lock on the login everywhere."""
        super()._delete_login_attempts_cached_email(request, **credentials)
        ratelimit.clear(
            request,
            app="allauth.account",
            action=LOGIN_FAILED_ANYWHERE,
            key=self._login_key(request, **credentials),
        )
