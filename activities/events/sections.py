"""What events add to the home page and to the member's page ``/me/``.

Registered from ``ActivitiesConfig.ready()`` through ``core.sections``; each costs a fixed
number of queries whatever the number of events.
"""

import datetime

from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone

from core.counts import Expiring
from core.sections import Section, register_section

from ..models import CalendarFeed, Event, Registration
from .views import feed_box_context

UPCOMING_LIMIT = 6
MY_SIGNUPS_LIMIT = 10
SIGNUPS_KEPT = datetime.timedelta(days=30)  # how long /me/ keeps a sign-up after its event


def home_events(request):
    """The coming events the person may see, with their own sign-up status (one query)."""
    roles = request.roles
    if not (roles.sees_directory or roles.is_leader):
        return None
    events = list(
        Event.objects.visible_to(roles)
        .upcoming()
        .with_counts()
        .with_status_of(roles.person)
        .order_by("starts_at", "pk")[:UPCOMING_LIMIT]
    )
    # Kept rendered until an event or a sign-up changes, or the first of these ends (only
    # these can leave the list by the clock).
    until = min((event.ends_at for event in events), default=None)
    return Expiring({"events": events}, until)


def me_events(request):
    """The person's sign-ups for coming events (and the last month's), with their place on
    the waiting list, and their calendar subscription address."""
    roles = request.roles
    if not roles.is_member or roles.person is None:
        return None
    ahead = (
        Registration.objects.waitlisted()
        .filter(event=OuterRef("event"), created_at__lte=OuterRef("created_at"))
        .order_by()
        .values("event")
        .annotate(n=Count("*"))
        .values("n")
    )
    registrations = list(
        Registration.objects.active()
        .filter(
            person=roles.person,
            event__ends_at__gte=timezone.now() - SIGNUPS_KEPT,
        )
        .filter(Q(event__in=Event.objects.visible_to(roles)))
        .select_related("event")
        .annotate(waiting_position=Subquery(ahead))
        .order_by("event__starts_at", "pk")[:MY_SIGNUPS_LIMIT]
    )
    # Kept rendered until an event or a sign-up changes, or the first of these leaves the
    # list a month after it ended (only these can leave it by the clock).
    until = min((r.event.ends_at + SIGNUPS_KEPT for r in registrations), default=None)
    return Expiring({"registrations": registrations}, until)


def me_feed(request):
    """The calendar subscription box on /me/, after the sign-ups (set up once, then left alone)."""
    roles = request.roles
    if not roles.is_member or roles.person is None:
        return None
    # The address is made on request (a POST), never while the page is read.
    feed = CalendarFeed.objects.filter(user=request.user).first()
    return {**feed_box_context(request, feed), "kinds": Event.Kind.choices}


def register():
    register_section(
        Section(
            page="home",
            key="events",
            order=30,
            template_name="activities/events/includes/_home_events.html",
            get_context=home_events,
            tables=(Event, Registration),
        )
    )
    register_section(
        Section(
            page="me",
            key="events",
            order=10,
            template_name="activities/events/includes/_me_events.html",
            get_context=me_events,
            tables=(Registration, Event),
        )
    )
    register_section(
        Section(
            page="me",
            key="calendar-feed",
            order=15,  # after the sign-ups, before the company's charity
            template_name="activities/events/includes/_feed_box.html",
            get_context=me_feed,
        )
    )
