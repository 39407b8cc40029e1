"""The inbox (``/inbox/``): everyone logged in reads their own messages, newest first, and
chooses the channels that reach them besides it."""

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Count, Window
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import wechat
from .models import Message, NotificationPreference
from .registry import CHOOSABLE
from .service import sms_on

PER_PAGE = 20


def own_messages(user):
    return Message.objects.filter(user=user)


@require_GET
def inbox(request):
    """The user's messages, newest first: one query, the page's rows with the number of all
    the messages beside them (a window over the rows found). A page past the last, or a page
    number that is not one, is answered as the paginator answers it: with a count first."""
    found = (
        own_messages(request.user)
        .order_by("-created_at", "-pk")
        .only("pk", "subject", "kind", "created_at", "read_at")
    )
    paginator = Paginator(found, PER_PAGE)
    asked = request.GET.get("page") or "1"
    page = None
    if asked.isdigit() and len(asked) <= 6 and int(asked) >= 1:
        number = int(asked)
        start = (number - 1) * PER_PAGE
        rows = list(found.annotate(total=Window(Count("pk")))[start : start + PER_PAGE])
        if rows or number == 1:
            paginator.count = rows[0].total if rows else 0
            page = Page(rows, number, paginator)
    if page is None:
        page = paginator.get_page(asked)  # any bad ?page= is page 1 or the last
    return render(
        request,
        "notifications/inbox.html",
        {"page_obj": page, "inbox_messages": page.object_list},
    )


@require_GET
def message_detail(request, pk):
    """One message, marked read as it is opened; someone else's is a 404."""
    message = get_object_or_404(own_messages(request.user), pk=pk)
    if message.read_at is None:
        message.read_at = timezone.now()
        marked = Message.objects.filter(pk=message.pk, read_at__isnull=True).update(
            read_at=message.read_at
        )
        if marked and getattr(request.user, "inbox_unread", 0):
            request.user.inbox_unread -= 1  # the header's count, taken as the account loaded
    return render(request, "notifications/message_detail.html", {"message": message})


@require_POST
def read_all(request):
    count = own_messages(request.user).filter(read_at__isnull=True).update(read_at=timezone.now())
    if count:
        messages.success(request, _("All messages are marked read."))
    return redirect("notifications:inbox")


def channel_choices(user) -> dict:
    """The channels the user may choose and their choice (all on until they save one)."""
    try:
        preference = user.notification_preference  # loaded with the account (chamber.backends)
    except NotificationPreference.DoesNotExist:
        preference = None
    return {
        "preference": preference or NotificationPreference(user=user),
        "sms_on": sms_on(),
        "wechat_on": wechat.configured(),
    }


@require_POST
def save_channels(request):
    """Keep the person's choice; the inbox cannot be turned off."""
    chosen = {channel: request.POST.get(channel) == "on" for channel in CHOOSABLE}
    with transaction.atomic():
        NotificationPreference.objects.update_or_create(user=request.user, defaults=chosen)
    messages.success(request, _("Your notification settings are saved."))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "notifications:inbox"
    return redirect(target)
