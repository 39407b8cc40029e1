"""Pages around allauth's login that allauth does not have: leaving a login by code half-way.

While a login by code waits for its code, allauth sends every visit to the login pages back
to the code page (for as long as ACCOUNT_LOGIN_TIMEOUT). Someone who mistyped their number,
wants a new code or would rather use their password leaves that login here first.
"""

from allauth.account.internal.stagekit import clear_login
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect
from django.views.decorators.http import require_POST


@login_not_required
@require_POST
def restart_login(request):
    """Drop the login waiting for its code; go on to ask for a new code or to the password
    form. A new code is still limited per number (ACCOUNT_RATE_LIMITS)."""
    clear_login(request)
    if request.POST.get("to") == "code":
        return redirect("account_request_login_code")
    return redirect("account_login")
