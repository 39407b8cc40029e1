"""The public pages of an application to join: the form, the contact's confirmation (a code by
SMS, else a link by email) and the applicant's tracking page. Anonymous, rate-limited, and
showing nothing of the register: what the applicant typed is all they see again."""

import datetime
import logging

from allauth.account.adapter import get_adapter
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from core import limits, mail
from core.sms import SmsError

from . import verification
from .forms import CodeForm, JoinForm
from .models import Application
from .services import application_confirm

logger = logging.getLogger(__name__)

# From one address in an hour: forms sent (corrections included), applications made, codes
# tried.
POSTS_PER_HOUR = 30
APPLICATIONS_PER_HOUR = 5
CODE_TRIES_PER_HOUR = 20


def client_ip(request) -> str:
    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        return "unknown"


def too_many(request) -> HttpResponse:
    html = render_to_string("development/join_too_many.html", {}, request)
    return HttpResponse(html, status=429)


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def join(request):
    """入会申请: the form; sent, the contact confirms by code or by email link."""
    use_sms = verification.sms_configured()
    if request.method != "POST":
        return render(
            request, "development/join_form.html", {"form": JoinForm(email_required=not use_sms)}
        )
    ip = client_ip(request)
    if not limits.hit(f"join-post:{ip}", POSTS_PER_HOUR, 3600) or limits.exceeded(
        f"join:{ip}", APPLICATIONS_PER_HOUR, 3600
    ):
        return too_many(request)
    form = JoinForm(request.POST, request.FILES, email_required=not use_sms)
    if not form.is_valid():
        return render(request, "development/join_form.html", {"form": form})
    with transaction.atomic():
        application = form.save()
    limits.hit(f"join:{ip}", APPLICATIONS_PER_HOUR, 3600)
    token = verification.confirm_token(application)
    if use_sms:
        code, application.code_hash = verification.new_code()
        application.save(update_fields=["code_hash"])
        try:
            verification.send_code(application.contact_mobile, code)
        except SmsError:  # The provider's failure: the email link stands in, if there is one.
            logger.exception("could not text the code for application %s", application.pk)
        else:
            return redirect("development:join_code", token)
    sent = mail.send(
        "development/email/confirm",
        [application.contact_email],
        {
            "application": application,
            "confirm_url": mail.absolute_url(
                reverse("development:join_confirm", args=[token]), request
            ),
        },
    )
    return render(request, "development/join_sent.html", {"sent": sent}, status=200)


def _unconfirmed_or_404(token: str) -> Application:
    pk = verification.read_confirm_token(token)
    if pk is None:
        raise Http404
    return get_object_or_404(Application, pk=pk)


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def join_code(request, token):
    """The code texted to the contact's mobile, typed in."""
    application = _unconfirmed_or_404(token)
    if application.status != Application.Status.UNCONFIRMED:
        return redirect("development:track", verification.track_token(application))
    form = CodeForm(request.POST or None)
    if request.method == "POST":
        if not limits.hit(f"join-code:{client_ip(request)}", CODE_TRIES_PER_HOUR, 3600):
            return too_many(request)
        expires = application.created_at + datetime.timedelta(minutes=verification.CODE_MINUTES)
        if application.code_tries >= verification.CODE_MAX_TRIES:
            form.add_error(None, _("Too many wrong codes. Please send the application again."))
        elif timezone.now() > expires:
            form.add_error(None, _("This code has expired. Please send the application again."))
        elif form.is_valid():
            if verification.code_matches(form.cleaned_data["code"], application.code_hash):
                application = application_confirm(application=application, request=request)
                return redirect("development:track", verification.track_token(application))
            Application.objects.filter(pk=application.pk).update(
                code_tries=application.code_tries + 1
            )
            form.add_error(
                "code", _("This code is not right. Check the text message and try again.")
            )
    return render(request, "development/join_code.html", {"form": form})


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def join_confirm(request, token):
    """The link emailed to the contact: a button, so that a mail scanner opening the link
    confirms nothing."""
    application = _unconfirmed_or_404(token)
    if application.status != Application.Status.UNCONFIRMED:
        return redirect("development:track", verification.track_token(application))
    if request.method == "POST":
        application = application_confirm(application=application, request=request)
        return redirect("development:track", verification.track_token(application))
    return render(request, "development/join_confirm.html", {})


@login_not_required
@never_cache
def track(request, token):
    """The applicant's tracking page: where the application stands and the decision, nothing
    else (whoever holds the link sees it)."""
    pk = verification.read_track_token(token)
    if pk is None:
        raise Http404
    application = get_object_or_404(
        Application.objects.only("pk", "status", "created_at", "confirmed_at", "decided_on"),
        pk=pk,
    )
    steps = []
    reached = True
    current = application.status
    for step in Application.STEPS:
        label = Application.Status(step).label
        if step == Application.Status.APPROVED and current == Application.Status.DECLINED:
            step, label = current, Application.Status.DECLINED.label
        steps.append({"label": label, "done": reached, "current": step == current})
        if step == current:
            reached = False
    return render(
        request,
        "development/track.html",
        {"application": application, "steps": steps},
    )
