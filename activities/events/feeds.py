"""Events as iCalendar (RFC 5545), for phones: one event's ``.ics`` and a person's feed.

Times are written in Asia/Shanghai with a TZID and the VTIMEZONE that defines it. Each event
keeps its UID for life, and its SEQUENCE and LAST-MODIFIED tell a subscribed calendar that it
changed; a cancelled event stays in the feed with STATUS:CANCELLED so phones take it off.

A feed holds what a calendar app needs, not every event ever: those starting from
``FEED_PAST`` ago to ``FEED_AHEAD`` ahead, at most ``FEED_LIMIT`` of them: the person's own
sign-ups first, then the events from today on in date order, then the earlier ones, latest
first.

The VEVENTs are written here line by line rather than through ``icalendar``'s component
objects, which cost about 0.6 ms an event (a city federation's feed took seconds);
``icalendar`` still writes the VTIMEZONE, once per process, and the tests read every feed
back with it.
"""

import datetime
import functools
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.utils import timezone

from core.mail import absolute_url
from core.time import SHANGHAI, local_midnight

from ..models import Event, Registration
from .services import event_path_parts

PRODID = "-//Chamber workspace//Events//ZH"
# The window of a person's feed, and the most events it carries (see the module docstring).
FEED_PAST = datetime.timedelta(days=90)
FEED_AHEAD = datetime.timedelta(days=365)
FEED_LIMIT = 200  # about 130 KB: the pages' 150 KB bar (a city federation fills it)
# What a VEVENT needs of an event; the feed reads nothing else.
FEED_FIELDS = (
    "pk",
    "title",
    "kind",
    "starts_at",
    "ends_at",
    "venue",
    "organisers",
    "partners",
    "description",
    "is_cancelled",
    "sequence",
    "created_at",
    "updated_at",
)


def _text(value: str) -> str:
    """A TEXT value escaped (RFC 5545 3.3.11)."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\r", "\\n")
        .replace("\n", "\\n")
    )


def _utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def _local(moment: datetime.datetime) -> str:
    return moment.astimezone(SHANGHAI).strftime("%Y%m%dT%H%M%S")


def fold(line: str) -> bytes:
    """One content line as UTF-8, folded at 75 octets without splitting a character."""
    data = line.encode()
    if len(data) <= 75:
        return data
    parts, start, width = [], 0, 75
    while len(data) - start > width:
        cut = start + width
        while data[cut] & 0xC0 == 0x80:  # a continuation byte: cut before its character
            cut -= 1
        parts.append(data[start:cut])
        start, width = cut, 74  # continuation lines begin with a space
    parts.append(data[start:])
    return b"\r\n ".join(parts)


class VEventWriter:
    """Writes events as VEVENTs; what is the same for every event of a calendar (the stamp,
    the types' names, the site's address) is worked out once, in the constructor."""

    def __init__(self, now: datetime.datetime):
        self.stamp = _utc(now)
        self.kinds = {value: str(label) for value, label in Event.Kind.choices}
        self.host = urlsplit(settings.CHAMBER_SITE_URL).hostname or "chamber.local"
        before, self.after_pk = event_path_parts()
        self.before_pk = absolute_url(before)

    def lines(self, event) -> list[str]:
        """The content lines of one event's VEVENT (unfolded). ``event`` is an Event or a
        row of ``FEED_FIELDS``."""
        url = f"{self.before_pk}{event.pk}{self.after_pk}"
        details = [event.description] if event.description else []
        if event.organisers:
            details.append(f"主办：{event.organisers}")
        if event.partners:
            details.append(f"协办：{event.partners}")
        details.append(url)
        description = "\n\n".join(details)
        lines = [
            "BEGIN:VEVENT",
            f"UID:event-{event.pk}@{self.host}",
            f"DTSTAMP:{self.stamp}",
            f"SEQUENCE:{event.sequence}",
            f"LAST-MODIFIED:{_utc(event.updated_at)}",
            f"CREATED:{_utc(event.created_at)}",
            f"DTSTART;TZID=Asia/Shanghai:{_local(event.starts_at)}",
            f"DTEND;TZID=Asia/Shanghai:{_local(event.ends_at)}",
            f"SUMMARY:{_text(event.title)}",
        ]
        if event.venue:
            lines.append(f"LOCATION:{_text(event.venue)}")
        lines += [
            f"DESCRIPTION:{_text(description)}",
            f"CATEGORIES:{_text(self.kinds.get(event.kind, event.kind))}",
            f"URL:{url}",
            f"STATUS:{'CANCELLED' if event.is_cancelled else 'CONFIRMED'}",
            "TRANSP:OPAQUE",
            "END:VEVENT",
        ]
        return lines


@functools.cache
def _vtimezone() -> bytes:
    """Asia/Shanghai as a VTIMEZONE, written by icalendar (the same for every feed)."""
    calendar = icalendar.Calendar()
    event = icalendar.Event()
    event.add("dtstart", datetime.datetime(2026, 1, 1, tzinfo=SHANGHAI))
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return b"".join(zone.to_ical() for zone in calendar.walk("VTIMEZONE"))


def calendar_of(events, *, name: str) -> bytes:
    """A VCALENDAR of ``events`` (Events or rows of ``FEED_FIELDS``)."""
    header = [
        "BEGIN:VCALENDAR",
        f"PRODID:{PRODID}",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_text(name)}",
        "X-WR-TIMEZONE:Asia/Shanghai",
        # Ask subscribing calendars to look again every few hours.
        "REFRESH-INTERVAL;VALUE=DURATION:PT4H",
        "X-PUBLISHED-TTL:PT4H",
    ]
    writer = VEventWriter(timezone.now())
    body = [fold(line) for line in header]
    body.append(_vtimezone().rstrip(b"\r\n"))
    for event in events:
        body.extend(fold(line) for line in writer.lines(event))
    body.append(b"END:VCALENDAR")
    return b"\r\n".join(body) + b"\r\n"


def feed_events(roles, types=None, *, now: datetime.datetime | None = None) -> list:
    """The events of a person's feed (see the module docstring), in date order, as rows of
    ``FEED_FIELDS``. Three queries, each reading at most ``FEED_LIMIT`` events in an index's
    order (sorting the window's thousands of events by priority would read them all): the
    person's sign-ups, the events from today on, the earlier ones."""
    now = now or timezone.now()
    window = Event.objects.visible_to(roles).filter(
        starts_at__gte=now - FEED_PAST, starts_at__lt=now + FEED_AHEAD
    )
    if types:
        window = window.filter(kind__in=types)
    mine, others = window.none(), window
    if roles.person is not None:
        my_events = (
            Registration.objects.active().filter(person=roles.person).order_by().values("event_id")
        )
        mine = window.filter(pk__in=my_events).order_by("starts_at", "pk")
        others = window.exclude(pk__in=my_events)
    # Split by the start alone: a range of one column is what the index reads in order.
    today = local_midnight(timezone.localdate(now))
    coming = others.filter(starts_at__gte=today).order_by("starts_at", "pk")
    past = others.filter(starts_at__lt=today).order_by("-starts_at", "-pk")
    chosen = []
    for part in (mine, coming, past):
        # Only as many as still fit, but always a query: a fixed number of them per feed.
        room = max(FEED_LIMIT - len(chosen), 1)
        chosen += part.values_list(*FEED_FIELDS, named=True)[:room]
    chosen = chosen[:FEED_LIMIT]
    return sorted(chosen, key=lambda event: (event.starts_at, event.pk))


def parse_types(value: str) -> list[str]:
    """``?types=party,policy`` (also repeated ``types=``) as known event types."""
    known = set(Event.Kind.values)
    return [part for part in value.replace(" ", ",").split(",") if part in known]
