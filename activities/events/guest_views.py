"""The guest's own pass page, for someone with no account: reached only by its signed link."""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import guest_passes, services
from .views import check_in_qr_svg


@login_not_required
@never_cache
@require_GET
def guest_pass(request, token):
    """The pass a guest shows at the door: the event, their name and the QR code staff scan
    (the staff's pass page, where one button checks them in); nothing else of the chamber."""
    registration = guest_passes.registration_for_guest_pass(token)
    if registration is None:
        raise Http404
    event = registration.event
    context = {
        "registration": registration,
        "event": event,
        "code": guest_passes.guest_pass_token(registration),
        "finished": event.ends_at < timezone.now(),
    }
    if not registration.checked_in_at and not context["finished"]:
        url = services.pass_url(registration, request)
        context["pass_qr_svg"] = check_in_qr_svg(url, title=_("Guest's check-in pass"))
    return render(request, "activities/events/guest_pass.html", context)
