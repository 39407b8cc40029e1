"""Events as iCalendar (RFC 5545), for phones: one event's ``.ics`` and a person's feed.

Times are written in Asia/Shanghai with a TZID and the VTIMEZONE that defines it. Each event
keeps its UID for life, and its SEQUENCE and LAST-MODIFIED tell a subscribed calendar that it
changed; a cancelled event stays in the feed with STATUS:CANCELLED so phones take it off.
"""

import datetime
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.utils import timezone

from .events_services import SHANGHAI, link
from .models import Event

PRODID = "-//Chamber workspace//Events//ZH"
# How far back a feed reaches; later events are all in it.
FEED_PAST = datetime.timedelta(days=180)


def uid_for(event: Event) -> str:
    host = urlsplit(settings.CHAMBER_SITE_URL).hostname or "chamber.local"
    return f"event-{event.pk}@{host}"


def _description(event: Event) -> str:
    lines = []
    if event.description:
        lines.append(event.description)
    if event.organisers:
        lines.append(f"主办：{event.organisers}")
    if event.partners:
        lines.append(f"协办：{event.partners}")
    lines.append(link(event.get_absolute_url()))
    return "\n\n".join(lines)


def ical_event(event: Event, now: datetime.datetime) -> icalendar.Event:
    item = icalendar.Event()
    item.add("uid", uid_for(event))
    item.add("dtstamp", now)
    item.add("sequence", event.sequence)
    item.add("last-modified", event.updated_at)
    item.add("created", event.created_at)
    item.add("dtstart", event.starts_at.astimezone(SHANGHAI))
    item.add("dtend", event.ends_at.astimezone(SHANGHAI))
    item.add("summary", event.title)
    if event.venue:
        item.add("location", event.venue)
    item.add("description", _description(event))
    item.add("categories", [str(event.get_kind_display())])
    item.add("url", link(event.get_absolute_url()))
    item.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    item.add("transp", "OPAQUE")
    return item


def calendar_of(events, *, name: str) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Shanghai")
    # Ask subscribing calendars to look again every few hours.
    calendar.add("refresh-interval", datetime.timedelta(hours=4), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT4H")
    now = timezone.now()
    for event in events:
        calendar.add_component(ical_event(event, now))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def feed_events(roles, types=None):
    """The events of a person's feed: those they may see, from half a year ago on."""
    events = Event.objects.visible_to(roles).filter(ends_at__gte=timezone.now() - FEED_PAST)
    if types:
        events = events.filter(kind__in=types)
    return events.order_by("starts_at", "pk")


def parse_types(value: str) -> list[str]:
    """``?types=party,policy`` (also repeated ``types=``) as known event types."""
    known = set(Event.Kind.values)
    return [part for part in value.replace(" ", ",").split(",") if part in known]
