"""The messages activities sends, registered with ``core.notifications`` from ``ready()``.

Short, urgent ones also go by SMS (event tomorrow, event cancelled, your problem was answered);
the rest reach the inbox, email and WeChat.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.notifications import EMAIL, INAPP, SMS, WECHAT, Kind, register

ALL = (INAPP, EMAIL, SMS, WECHAT)
NOT_URGENT = (INAPP, EMAIL, WECHAT)
SMS_PARAM_LENGTH = 20  # providers cap a variable at 20–35 characters


def _short(text) -> str:
    text = str(text or "")
    return text if len(text) <= SMS_PARAM_LENGTH else text[: SMS_PARAM_LENGTH - 1] + "…"


def _when(moment) -> str:
    local = timezone.localtime(moment)
    return f"{local.month}月{local.day}日 {local:%H:%M}"


def _event_tomorrow(context) -> dict[str, str]:
    event = context["event"]
    return {
        "title": _short(event.title),
        "time": _when(event.starts_at),
        "place": _short(event.venue or "—"),
    }


def _guest_pass(context) -> dict[str, str]:
    event = context["event"]
    return {
        "company": _short(context["company"].name if context["company"] else "—"),
        "title": _short(event.title),
        "time": _when(event.starts_at),
        "url": context["url"],
    }


def _event_cancelled(context) -> dict[str, str]:
    event = context["event"]
    return {"title": _short(event.title), "time": _when(event.starts_at)}


def _problem_answered(context) -> dict[str, str]:
    problem = context["problem"]
    return {"title": _short(problem.get_category_display())}


def register_kinds() -> None:
    register(
        Kind(
            "visit_reminder",
            "activities/visits/email/visit_reminder",
            _("visits below the month's quota"),
            NOT_URGENT,
        )
    )
    register(
        Kind(
            "event_reminder",
            "activities/events/email/reminder",
            _("event tomorrow"),
            ALL,
            urgent=True,
            sms_template="event_tomorrow",
            sms_params=_event_tomorrow,
        )
    )
    register(
        Kind(
            "event_promoted",
            "activities/events/email/promoted",
            _("moved up from the waiting list"),
            NOT_URGENT,
        )
    )
    register(
        Kind(
            "event_cancelled",
            "activities/events/email/cancelled",
            _("event cancelled"),
            ALL,
            urgent=True,
            sms_template="event_cancelled",
            sms_params=_event_cancelled,
        )
    )
    # A guest a company signed up has neither account nor email: the pass goes by SMS.
    register(
        Kind(
            "guest_pass",
            "activities/events/email/guest_pass",
            _("a guest's pass to an event"),
            ALL,
            urgent=True,
            sms_template="guest_pass",
            sms_params=_guest_pass,
        )
    )
    register(
        Kind(
            "problem_raised",
            "activities/visits/email/problem_raised",
            _("a company raised a problem"),
            NOT_URGENT,
        )
    )
    register(
        Kind(
            "problem_assigned",
            "activities/visits/email/problem_assigned",
            _("a problem handed to you"),
            NOT_URGENT,
        )
    )
    register(
        Kind(
            "problem_solved",
            "activities/visits/email/problem_solved",
            _("your problem was answered"),
            ALL,
            urgent=True,
            sms_template="problem_answered",
            sms_params=_problem_answered,
        )
    )
    register(
        Kind(
            "problem_reopened",
            "activities/visits/email/problem_reopened",
            _("a company is not satisfied"),
            NOT_URGENT,
        )
    )
