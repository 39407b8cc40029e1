"""The event calendar, an event's page with sign-up and check-in, the calendar feeds, the
quarterly sharing meetings and the staff's attendance pages.

Every page asks ``Event.objects.visible_to(request.roles)`` which events it may show: an event
the person may not see is a 404, as if it did not exist.
"""

import calendar as pycalendar
import datetime
from dataclasses import dataclass, field

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import DetailView, TemplateView

from chamber.roles import roles_for
from members.models import Company

from . import events_services as services
from .events_feeds import calendar_of, feed_events, parse_types
from .events_forms import CalendarFilterForm
from .models import CalendarFeed, Event, EventPhoto, Registration, Talk
from .models.events import quarter_of

Status = Registration.Status
# Events shown in a day's cell of the month grid before "N more".
CELL_LIMIT = 3


def weekday_names() -> list[str]:
    return [
        pgettext("weekday, short", "Mon"),
        pgettext("weekday, short", "Tue"),
        pgettext("weekday, short", "Wed"),
        pgettext("weekday, short", "Thu"),
        pgettext("weekday, short", "Fri"),
        pgettext("weekday, short", "Sat"),
        pgettext("weekday, short", "Sun"),
    ]


def add_months(month: datetime.date, n: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + n
    return datetime.date(index // 12, index % 12 + 1, 1)


def local_midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=services.SHANGHAI)


@dataclass
class Day:
    date: datetime.date
    in_month: bool
    is_today: bool
    weekday: str
    events: list = field(default_factory=list)

    @property
    def shown(self):
        return self.events[:CELL_LIMIT]

    @property
    def more(self):
        return self.events[CELL_LIMIT:]


def month_grid(month: datetime.date, events, today: datetime.date) -> list[list[Day]]:
    """The weeks (Monday first) that show ``month``, each day with its events; an event
    spanning several days is on each of them."""
    names = weekday_names()
    weeks = pycalendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    days = {
        day: Day(day, day.month == month.month, day == today, names[day.weekday()])
        for week in weeks
        for day in week
    }
    for event in events:
        first = event.local_start.date()
        # An event ending at midnight does not take up the next day.
        last = (event.local_end - datetime.timedelta(microseconds=1)).date()
        day = max(first, weeks[0][0])
        while day <= min(last, weeks[-1][-1]):
            days[day].events.append(event)
            day += datetime.timedelta(days=1)
    return [[days[day] for day in week] for week in weeks]


def month_url(month: datetime.date, type_query) -> str:
    return "?" + urlencode([("month", f"{month:%Y-%m}"), *type_query])


def kind_legend():
    return [(value, label) for value, label in Event.Kind.choices]


def visible_events(request):
    return Event.objects.visible_to(request.roles)


class CalendarView(TemplateView):
    """The month grid (a day-by-day list on a phone), filtered by type."""

    template_name = "activities/events/calendar.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        roles = self.request.roles
        today = timezone.localdate()
        form = CalendarFilterForm(self.request.GET)
        if form.is_valid():
            month, types = form.cleaned_data["month"], form.cleaned_data["type"]
        else:
            month, types = today.replace(day=1), []
            if "month" in form.errors:
                messages.warning(self.request, form.errors["month"][0])
        weeks = pycalendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
        start = local_midnight(weeks[0][0])
        end = local_midnight(weeks[-1][-1] + datetime.timedelta(days=1))
        events = (
            visible_events(self.request)
            .in_range(start, end)
            .with_counts()
            .with_status_of(roles.person)
            .order_by("starts_at", "pk")
        )
        if types:
            events = events.filter(kind__in=types)
        events = list(events)
        grid = month_grid(month, events, today)
        type_query = [("type", value) for value in types]
        context.update(
            month=month,
            weeks=grid,
            weekday_names=weekday_names(),
            month_days=[day for week in grid for day in week if day.in_month and day.events],
            event_count=sum(1 for event in events if event.local_start.month == month.month),
            legend=kind_legend(),
            types=types,
            filter_form=form,
            previous_url=month_url(add_months(month, -1), type_query),
            next_url=month_url(add_months(month, 1), type_query),
            this_month_url="?" + urlencode(type_query) if type_query else "?",
            is_this_month=month == today.replace(day=1),
            sees_nothing=not (roles.sees_directory or roles.is_leader),
        )
        return context


def check_in_qr_svg(url: str) -> str:
    """The check-in address as a QR code, inline SVG drawn on the server."""
    code = segno.make(url, error="m")
    return mark_safe(
        code.svg_inline(
            scale=4,
            border=4,
            omitsize=True,
            svgclass="qr-code",
            lineclass="qr-code-modules",
            title=_("Check-in QR code"),
        )
    )


class EventDetailView(DetailView):
    template_name = "activities/events/event_detail.html"
    context_object_name = "event"

    def get_queryset(self):
        return (
            visible_events(self.request)
            .with_counts()
            .prefetch_related(
                Prefetch(
                    "talks",
                    queryset=Talk.objects.select_related("company", "speaker").order_by(
                        "order", "pk"
                    ),
                ),
                Prefetch("photos", queryset=EventPhoto.objects.order_by("pk")),
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        event, roles, now = self.object, self.request.roles, timezone.now()
        mine = services.active_registration(event, roles.person)
        manages = roles.is_secretariat
        context.update(
            mine=mine,
            waiting_position=services.waiting_position(mine) if mine else None,
            places_left=event.places_left(),
            accepts_sign_ups=event.accepts_sign_ups(now),
            has_started=event.has_started(now),
            check_in_open=event.check_in_is_open(now),
            can_sign_up=roles.person is not None,
            manages=manages,
            oversees=roles.sees_everything,
            ics_url=reverse("activities:event_ics", args=[event.pk]),
        )
        if mine and mine.status == Status.REGISTERED and not mine.checked_in_at:
            context["self_check_in_url"] = reverse(
                "activities:event_check_in", args=[event.pk, event.check_in_code]
            )
        if roles.sees_everything:
            context["attended"] = Registration.objects.attended().filter(event=event).count()
        if manages:
            check_in_url = services.check_in_url(event, self.request)
            context.update(check_in_url=check_in_url, qr_svg=check_in_qr_svg(check_in_url))
        return context


def _visible_event_or_404(request, pk) -> Event:
    return get_object_or_404(visible_events(request), pk=pk)


def _say(request, error: services.SignUpError):
    for message in error.messages:
        messages.error(request, message)


@require_POST
def event_register(request, pk):
    event = _visible_event_or_404(request, pk)
    try:
        registration = services.register(
            event=event, person=request.roles.person, acting_user=request.user
        )
    except services.SignUpError as error:
        _say(request, error)
    else:
        if registration.status == Status.REGISTERED:
            messages.success(request, _("You are signed up. See you there!"))
        else:
            messages.warning(
                request,
                _(
                    "The event is full: you are number %(position)s on the waiting list. "
                    "We will email you if a place frees up."
                )
                % {"position": services.waiting_position(registration)},
            )
    return redirect(event)


@require_POST
def event_cancel(request, pk):
    event = _visible_event_or_404(request, pk)
    registration = services.active_registration(event, request.roles.person)
    if registration is None:
        messages.info(request, _("You had not signed up for this event."))
        return redirect(event)
    try:
        services.cancel(registration=registration, acting_user=request.user)
    except services.SignUpError as error:
        _say(request, error)
    else:
        messages.success(request, _("Your sign-up is cancelled."))
    return redirect(event)


def ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def event_ics(request, pk):
    event = _visible_event_or_404(request, pk)
    return ics_response(calendar_of([event], name=event.title), f"event-{event.pk}.ics")


@login_not_required
@never_cache
@require_GET
def calendar_feed(request, token):
    """A person's private subscription: anyone with the address may read it, which is why
    the address is secret and can be reset; it carries what its owner may see."""
    User = get_user_model()
    user = (
        User.objects.filter(calendar_feed__token=token, is_active=True)
        .only("pk", "person_id", "is_superuser")
        .first()
    )
    if user is None:
        raise Http404
    types = parse_types(",".join(request.GET.getlist("types")))
    events = feed_events(roles_for(user), types)
    name = _("%(chamber)s events") % {"chamber": settings.CHAMBER_NAME}
    return ics_response(calendar_of(events, name=name), "calendar.ics")


@require_POST
def calendar_feed_reset(request):
    """Make the person's subscription address, or give it a new secret."""
    had_one = CalendarFeed.objects.filter(user=request.user).exists()
    services.reset_feed(user=request.user)
    if had_one:
        messages.success(
            request,
            _(
                "Your calendar subscription has a new address. Subscribe again with it: "
                "the old address no longer works."
            ),
        )
    else:
        messages.success(request, _("Your calendar subscription address is ready."))
    next_url = request.POST.get("next", "")
    if next_url not in (reverse("members:me"), reverse("activities:calendar")):
        next_url = reverse("activities:calendar")
    return redirect(next_url + "#calendar-feed")


class EventCheckInView(TemplateView):
    """What a member's phone opens on scanning the event's QR code: one button to check in."""

    template_name = "activities/events/check_in.html"

    def dispatch(self, request, *args, **kwargs):
        self.event = _visible_event_or_404(request, kwargs["pk"])
        if kwargs["code"] != self.event.check_in_code:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        context.update(
            event=self.event,
            mine=services.active_registration(self.event, self.request.roles.person),
            check_in_open=self.event.check_in_is_open(now),
            too_early=now < self.event.check_in_opens_at,
            has_person=self.request.roles.person is not None,
        )
        return context

    def post(self, request, *args, **kwargs):
        try:
            registration = services.check_in(event=self.event, person=request.roles.person)
        except services.SignUpError as error:
            _say(request, error)
            return redirect(request.path)
        messages.success(
            request,
            _("Checked in at %(time)s. Welcome!")
            % {"time": timezone.localtime(registration.checked_in_at).strftime("%H:%M")},
        )
        return redirect(self.event)


class StaffOnlyMixin:
    """The secretariat takes attendance; the president and supervisors may look."""

    def dispatch(self, request, *args, **kwargs):
        if not request.roles.sees_everything:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class EventAttendanceView(TemplateView):
    """The attendance list to tick on a phone at the door: the secretariat ticks, the
    president and supervisors look."""

    template_name = "activities/events/attendance.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.roles.sees_everything:
            raise PermissionDenied
        self.event = _visible_event_or_404(request, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        registrations = list(
            Registration.objects.active()
            .filter(event=self.event)
            .select_related("person__company")
            .order_by("status", "person__company__name_pinyin", "person__name", "pk")
        )
        registered = [r for r in registrations if r.status == Status.REGISTERED]
        context.update(
            event=self.event,
            registered=registered,
            waiting=[r for r in registrations if r.status == Status.WAITLISTED],
            attended=sum(1 for r in registered if r.checked_in_at),
            can_tick=self.request.roles.is_secretariat
            and timezone.now() >= self.event.check_in_opens_at,
            manages=self.request.roles.is_secretariat,
        )
        return context

    def post(self, request, *args, **kwargs):
        if not request.roles.is_secretariat:
            raise PermissionDenied
        registration = get_object_or_404(
            Registration.objects.active(), pk=request.POST.get("registration"), event=self.event
        )
        present = request.POST.get("present") == "1"
        try:
            services.mark_attendance(
                registration=registration, present=present, acting_user=request.user
            )
        except services.SignUpError as error:
            _say(request, error)
        return redirect(f"{request.path}#registration-{registration.pk}")


@dataclass
class Quarter:
    year: int
    number: int
    meetings: list
    is_past: bool
    is_current: bool

    @property
    def missing(self) -> bool:
        """A quarter begun or over without a sharing meeting held or planned."""
        return not self.meetings and (self.is_past or self.is_current)


class MeetingListView(TemplateView):
    """The quarterly sharing meetings (例会暨经验分享会) of a year, with their talks."""

    template_name = "activities/events/meetings.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        try:
            year = int(self.request.GET.get("year", today.year))
        except ValueError:
            year = today.year
        year = min(max(year, 1990), today.year + 5)
        meetings = list(
            visible_events(self.request)
            .filter(
                kind=Event.Kind.SHARING,
                is_cancelled=False,
                starts_at__gte=local_midnight(datetime.date(year, 1, 1)),
                starts_at__lt=local_midnight(datetime.date(year + 1, 1, 1)),
            )
            .prefetch_related(
                Prefetch(
                    "talks",
                    queryset=Talk.objects.select_related("company", "speaker").order_by(
                        "order", "pk"
                    ),
                )
            )
            .order_by("starts_at")
        )
        current = (today.year, quarter_of(today))
        quarters = [
            Quarter(
                year=year,
                number=number,
                meetings=[m for m in meetings if m.quarter == number],
                is_past=(year, number) < current,
                is_current=(year, number) == current,
            )
            for number in range(1, 5)
        ]
        context.update(
            year=year,
            quarters=quarters,
            previous_year=year - 1,
            next_year=year + 1 if year < today.year + 5 else None,
            flags_missing=self.request.roles.sees_everything,
            missing_count=sum(1 for quarter in quarters if quarter.missing),
        )
        return context


class ParticipationView(StaffOnlyMixin, TemplateView):
    """Attendance per event and participation per member company over a year."""

    template_name = "activities/events/participation.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        try:
            year = int(self.request.GET.get("year", today.year))
        except ValueError:
            year = today.year
        start = local_midnight(datetime.date(year, 1, 1))
        end = local_midnight(datetime.date(year + 1, 1, 1))
        events = list(
            visible_events(self.request)
            .filter(starts_at__gte=start, starts_at__lt=end, is_cancelled=False)
            .with_counts()
            .annotate(
                attended=Count(
                    "registrations",
                    filter=Q(
                        registrations__status=Status.REGISTERED,
                        registrations__checked_in_at__isnull=False,
                    ),
                    distinct=True,
                )
            )
            .order_by("starts_at")
        )
        in_year = Q(
            people__registrations__event__starts_at__gte=start,
            people__registrations__event__starts_at__lt=end,
            people__registrations__event__is_cancelled=False,
            people__registrations__status=Status.REGISTERED,
        )
        checked_in = Q(people__registrations__checked_in_at__isnull=False)
        companies = list(
            Company.objects.annotate(
                signed_up=Count("people__registrations", filter=in_year),
                attendances=Count("people__registrations", filter=in_year & checked_in),
                events_attended=Count(
                    "people__registrations__event", filter=in_year & checked_in, distinct=True
                ),
            )
            .filter(signed_up__gt=0)
            .order_by("-events_attended", "-attendances", "-signed_up", "name_pinyin")
        )
        active_companies = Company.objects.active().count()
        context.update(
            year=year,
            events=events,
            companies=companies,
            active_companies=active_companies,
            companies_attending=sum(1 for company in companies if company.events_attended),
            total_attended=sum(event.attended for event in events),
            total_taken=sum(event.taken for event in events),
            by_kind=_by_kind(events),
            previous_year=year - 1,
            next_year=year + 1,
            export_url=reverse("admin:activities_registration_changelist")
            + "?"
            + urlencode({"event__starts_at__year": year}),
        )
        return context


def _by_kind(events):
    counts = {}
    for event in events:
        held, attended = counts.get(event.kind, (0, 0))
        counts[event.kind] = (held + 1, attended + event.attended)
    return [
        (value, label, *counts[value]) for value, label in Event.Kind.choices if value in counts
    ]


def feed_box_context(request, feed) -> dict:
    """The subscription address shown on /me/, or only the button that makes one."""
    context = {
        "feed_url": "",
        "webcal_url": "",
        "reset_url": reverse("activities:calendar_feed_reset"),
    }
    if feed is not None:
        url = request.build_absolute_uri(reverse("activities:calendar_feed", args=[feed.token]))
        context.update(feed_url=url, webcal_url="webcal://" + url.split("://", 1)[-1])
    return context
