"""What every SMS backend does, and the settings the provider backends share."""

from django.conf import settings

from . import SmsError, SmsMessage


class BaseBackend:
    """``send(message)`` returns the provider's message id or raises SmsError."""

    def send(self, message: SmsMessage) -> str:
        raise NotImplementedError


class ProviderBackend(BaseBackend):
    """A backend that sends through a provider: the chamber's sign name and, for each of our
    template keys, the provider's template code (``SMS_SIGN_NAME``, ``SMS_TEMPLATE_CODES``)."""

    def __init__(self):
        self.sign_name = getattr(settings, "SMS_SIGN_NAME", "")
        self.template_codes = getattr(settings, "SMS_TEMPLATE_CODES", {})

    def template_code(self, message: SmsMessage) -> str:
        code = self.template_codes.get(message.template, "")
        if not code:
            raise SmsError(
                f"no template code for {message.template!r}: set "
                f"SMS_TEMPLATE_{message.template.upper()}",
                code="not_configured",
            )
        if not self.sign_name:
            raise SmsError("SMS_SIGN_NAME is not set", code="not_configured")
        return code


def split_endpoint(endpoint: str) -> tuple[str, str]:
    """("https", "host[:port]") from a bare host or a URL: providers are reached over HTTPS; a
    local stand-in (the tests) is given as http://127.0.0.1:port."""
    endpoint = endpoint.strip().rstrip("/")
    for scheme in ("https", "http"):
        if endpoint.startswith(f"{scheme}://"):
            return scheme, endpoint.removeprefix(f"{scheme}://")
    return "https", endpoint
