"""Confirming an applicant's contact: a code by SMS where the chamber has an SMS provider,
else a link by email; and the signed links of the confirmation and the tracking page.

While no SMS provider is configured (``core.sms.sms_configured()``), the email link stands in.
"""

import secrets

from django.contrib.auth.hashers import check_password, make_password
from django.core import signing

CONFIRM_SALT = "development.confirm"
TRACK_SALT = "development.track"
CONFIRM_MAX_AGE = 3 * 24 * 3600
CODE_MAX_TRIES = 5
CODE_MINUTES = 30


def sms_configured() -> bool:
    from core import sms

    return sms.sms_configured()


def send_code(mobile: str, code: str) -> None:
    """Text the code; raises ``core.sms.SmsError`` when the provider refuses."""
    from core import sms

    sms.send_sms(mobile, "verify_mobile", {"code": code, "minutes": str(CODE_MINUTES)})


def new_code() -> tuple[str, str]:
    """A six-digit code and its hash (stored; the code itself never is)."""
    code = f"{secrets.randbelow(10**6):06d}"
    return code, make_password(code)


def code_matches(code: str, code_hash: str) -> bool:
    return bool(code_hash) and check_password((code or "").strip(), code_hash)


def confirm_token(application) -> str:
    return signing.dumps(application.pk, salt=CONFIRM_SALT)


def read_confirm_token(token: str) -> int | None:
    try:
        return int(signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE))
    except (signing.BadSignature, TypeError, ValueError):
        return None


def track_token(application) -> str:
    """The tracking page's key: signed, so it cannot be guessed; it does not expire, as an
    application can take months to be decided."""
    return signing.dumps(application.pk, salt=TRACK_SALT)


def read_track_token(token: str) -> int | None:
    try:
        return int(signing.loads(token, salt=TRACK_SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return None
