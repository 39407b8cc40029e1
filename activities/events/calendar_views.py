"""The event calendar: the month grid, a day's list, and the filters by type.

Every page asks ``Event.objects.visible_to(request.roles)`` which events it may show.
"""

import calendar as pycalendar
import datetime
from dataclasses import dataclass, field

from django.contrib import messages
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.generic import ListView, TemplateView

from core.rules import allows
from core.templatetags.fragments import Fragment
from core.time import add_months, local_midnight

from ..models import Event, Registration
from . import services
from .forms import CalendarFilterForm

Status = Registration.Status
# Events shown in a day's cell of the month grid (and on a phone, under the day) before
# "N more", which links to the day's own list.
CELL_LIMIT = 3
# Events lasting several days fetched for a month's grid at most: they head the days after
# their first. Should there be more, some days show fewer chips; the counts stay right.
MULTI_DAY_LIMIT = 60
# A day's list, a page at a time.
DAY_PAGE_SIZE = 50
ONE_DAY = datetime.timedelta(days=1)


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


def parse_day(value: str) -> datetime.date | None:
    """``2026-11-05`` as a date; None if it is not one."""
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        return None
    return day if 1900 <= day.year <= 2999 and len(value) == 10 else None


@dataclass
class Day:
    date: datetime.date
    in_month: bool
    is_today: bool
    weekday: str
    # The events shown (the first CELL_LIMIT) and how many there are in all.
    events: list = field(default_factory=list)
    count: int = 0
    more_url: str = ""

    @property
    def more(self) -> int:
        return self.count - len(self.events)


def days_covered(event) -> tuple[datetime.date, datetime.date]:
    """The first and last day (in Shanghai) an event takes up; one ending at midnight does
    not take up the next day."""
    last = event.local_end - datetime.timedelta(microseconds=1)
    return event.local_start.date(), last.date()


def count_per_day(spans, first: datetime.date, last: datetime.date) -> dict:
    """How many events take up each day from ``first`` to ``last``, from the counts per
    (first day, last day) pair that ``EventQuerySet.day_spans`` gives."""
    counts = {}
    for start_day, end_day, n in spans:
        day = max(start_day, first)
        while day <= min(end_day, last):
            counts[day] = counts.get(day, 0) + n
            day += ONE_DAY
    return counts


def month_grid(month: datetime.date, today: datetime.date, *, counts, events, more_url):
    """The weeks (Monday first) that show ``month``, each day with how many events it has
    and the first ``CELL_LIMIT`` of them; an event spanning several days is on each.
    ``events`` holds at least those first events, in start order."""
    names = weekday_names()
    weeks = pycalendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    days = {
        day: Day(
            date=day,
            in_month=day.month == month.month,
            is_today=day == today,
            weekday=names[day.weekday()],
            count=counts.get(day, 0),
        )
        for week in weeks
        for day in week
    }
    for event in events:
        first, last = days_covered(event)
        day = max(first, weeks[0][0])
        while day <= min(last, weeks[-1][-1]):
            if len(days[day].events) < CELL_LIMIT:
                days[day].events.append(event)
            day += ONE_DAY
    for cell in days.values():
        if cell.more > 0:
            cell.more_url = more_url(cell.date)
    return [[days[day] for day in week] for week in weeks]


def for_display(events) -> list:
    """The events, each with its address, type and times as the calendar prints them, worked
    out here once: ``reverse()``, the templates' date filters and ``get_kind_display()`` cost
    more than the rest of a chip, and a month's grid shows over a hundred."""
    events = list(events)
    kinds = {value: str(label) for value, label in Event.Kind.choices}
    for event in events:
        start, end = event.local_start, event.local_end
        event.url = services.event_path(event.pk)
        event.kind_label = kinds.get(event.kind, event.kind)
        event.start_iso = start.isoformat()
        event.start_time = f"{start:%H:%M}"
        event.end_time = f"{end:%H:%M}"
    return events


def calendar_url(type_query, **params) -> str:
    return "?" + urlencode([*params.items(), *type_query])


def kind_legend():
    return [(value, label) for value, label in Event.Kind.choices]


def visible_events(request):
    return Event.objects.visible_to(request.roles)


def calendar_filters(request) -> tuple[datetime.date, list[str]]:
    """The month and the types asked for; this month and every type if they make no sense
    (with a word about the month)."""
    form = CalendarFilterForm(request.GET)
    if form.is_valid():
        return form.cleaned_data["month"], form.cleaned_data["type"]
    if "month" in form.errors:
        messages.warning(request, form.errors["month"][0])
    types = [value for value in request.GET.getlist("type") if value in Event.Kind.values]
    return timezone.localdate().replace(day=1), types


class CalendarView(TemplateView):
    """The month grid (a day-by-day list on a phone), filtered by type. Each day shows its
    first few events and links to its own list for the rest (``?day=``)."""

    template_name = "activities/events/calendar.html"

    def get(self, request, *args, **kwargs):
        if "day" in request.GET:
            if parse_day(request.GET["day"]) is not None:
                return CalendarDayView.as_view()(request)
            messages.warning(request, _("Give the day as year, month and day, e.g. 2026-11-05."))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        """The month as the page shows it is rendered once per month, types, audiences, day
        and the viewer's own sign-ups that month, and kept in the shared cache until an event
        or a sign-up changes (``core.templatetags.fragments``): a city federation's month
        holds hundreds of events, and its grid and list took most of the page's time."""
        context = super().get_context_data(**kwargs)
        roles = self.request.roles
        today = timezone.localdate()
        month, types = calendar_filters(self.request)
        weeks = pycalendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
        first, last = weeks[0][0], weeks[-1][-1]
        events = visible_events(self.request).in_range(
            local_midnight(first), local_midnight(last + ONE_DAY)
        )
        if types:
            events = events.filter(kind__in=types)
        mine = []
        if roles.person is not None:
            mine = sorted(
                Registration.objects.active()
                .filter(person=roles.person, event__in=events.values("pk"))
                .values_list("event_id", "status")
            )
        type_query = [("type", value) for value in types]
        audiences = Event.objects.audiences_for(roles)
        shown_to = [
            audiences if audiences is None else sorted(map(str, audiences)),
            *(
                allows(rule, roles)
                for rule in ("members.see_own_company", "activities.see_attendance")
            ),
            roles.sees_directory or roles.is_leader,
        ]
        context.update(
            month=month,
            month_fragment=Fragment(
                f"calendar:{month}:{types}:{today}:{shown_to}:{mine}",
                (Event, Registration),
                lambda: self.month_context(month, today, weeks, events, type_query),
            ),
        )
        return context

    def month_context(self, month, today, weeks, events, type_query) -> dict:
        first, last = weeks[0][0], weeks[-1][-1]
        spans = list(events.day_spans())
        shown = list(events.first_pks_of_each_day(CELL_LIMIT, MULTI_DAY_LIMIT))
        shown_events = for_display(
            Event.objects.filter(pk__in=shown)
            .with_counts()
            .with_status_of(self.request.roles.person)
            .order_by("starts_at", "pk")
        )
        grid = month_grid(
            month,
            today,
            counts=count_per_day(spans, first, last),
            events=shown_events,
            more_url=lambda day: calendar_url(type_query, day=day.isoformat()),
        )
        roles = self.request.roles
        return dict(
            weeks=grid,
            weekday_names=weekday_names(),
            month_days=[day for week in grid for day in week if day.in_month and day.count],
            event_count=sum(n for day, _last, n in spans if day.replace(day=1) == month),
            legend=kind_legend(),
            types=[value for _query, value in type_query],
            previous_url=calendar_url(type_query, month=f"{add_months(month, -1):%Y-%m}"),
            next_url=calendar_url(type_query, month=f"{add_months(month, 1):%Y-%m}"),
            this_month_url=calendar_url(type_query),
            is_this_month=month == today.replace(day=1),
            sees_nothing=not (roles.sees_directory or roles.is_leader),
        )


class CalendarDayView(ListView):
    """One day's events, a page at a time: where a month grid's "N more" leads."""

    template_name = "activities/events/calendar_day.html"
    context_object_name = "events"
    paginate_by = DAY_PAGE_SIZE

    def get_queryset(self):
        self.day = parse_day(self.request.GET["day"])
        _month, self.types = calendar_filters(self.request)
        events = visible_events(self.request).in_range(
            local_midnight(self.day), local_midnight(self.day + ONE_DAY)
        )
        if self.types:
            events = events.filter(kind__in=self.types)
        return (
            events.with_counts()
            .with_status_of(self.request.roles.person)
            .order_by("starts_at", "pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        day, type_query = self.day, [("type", value) for value in self.types]
        context.update(
            events=for_display(context["events"]),
            day=day,
            weekday=weekday_names()[day.weekday()],
            is_today=day == timezone.localdate(),
            types=types_named(self.types),
            query_string=urlencode([("day", day.isoformat()), *type_query]),
            previous_url=calendar_url(type_query, day=(day - ONE_DAY).isoformat()),
            next_url=calendar_url(type_query, day=(day + ONE_DAY).isoformat()),
            month_url=calendar_url(type_query, month=f"{day:%Y-%m}") + f"#day-{day.isoformat()}",
        )
        return context


def types_named(types) -> list[str]:
    return [label for value, label in Event.Kind.choices if value in types]
