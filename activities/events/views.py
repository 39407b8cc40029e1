"""An event's page with sign-up and cancelling, its photos and .ics file, the calendar feeds, the
quarterly sharing meetings and the participation page. The calendar itself is in
``calendar_views.py``, check-in and attendance in ``checkin_views.py``.

Every page asks ``Event.objects.visible_to(request.roles)`` which events it may show: an event
the person may not see is a 404, as if it did not exist.
"""

import functools
from dataclasses import dataclass

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db import router
from django.db.models import Count, Prefetch, Q
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import DetailView, TemplateView

from chamber.roles import roles_for, with_roles
from core.counts import count_of, counted, counted_all
from core.files import serve_private
from core.prepared import Prepared
from core.rules import RuleRequiredMixin, allows
from core.time import parse_year, year_bounds
from members.models import Company, Person

from ..models import CalendarFeed, Event, EventPhoto, Registration, Talk
from ..models.events import quarter_of
from . import company_signups, services
from .calendar_views import visible_events
from .feeds import FEED_LIMIT, FEED_PAST, calendar_of, feed_events, parse_types
from .forms import CompanySignUpForm

Status = Registration.Status
# The earliest year the meetings and participation pages show; they go five years ahead.
FIRST_YEAR = 1990


def check_in_qr_svg(url: str, title: str = "") -> str:
    """The check-in address as a QR code, inline SVG drawn on the server."""
    return mark_safe(_qr_svg(url, str(title or _("Check-in QR code"))))


@functools.lru_cache(maxsize=256)  # ~8 KB a code
def _qr_svg(url: str, title: str) -> str:
    # Drawing a code (choosing its mask) costs ~10 ms, half of an event page;
    # the same address and title always draw the same code, so each process draws it once.
    code = segno.make(url, error="m")
    return code.svg_inline(
        scale=4,
        border=4,
        omitsize=True,
        svgclass="qr-code",
        lineclass="qr-code-modules",
        title=title,
    )


class EventDetailView(DetailView):
    """An event's page. What it shows of the event is the same for everyone who may see it,
    and the viewer's own sign-up the same until a sign-up changes: the event with its counts,
    the part that describes it, the viewer's sign-up (and for those who oversee it, the people
    checked in) are kept in the shared cache until the event, a sign-up, a talk or a photo
    changes, and read in one cache query."""

    template_name = "activities/events/event_detail.html"
    context_object_name = "event"

    def get_object(self, queryset=None):
        roles, pk = self.request.roles, self.kwargs["pk"]
        person = roles.person.pk if roles.person is not None else None
        calls = [
            (event_with_counts, f"event:{pk}", pk),
            (sign_up_of, f"event:{pk}:sign-up:{person}", pk, person),
            (event_about, f"event:{pk}:about:{get_language()}", pk),
        ]
        self.oversees = allows("activities.see_attendance", roles)
        if self.oversees:
            calls.append((checked_in, f"event:{pk}:attended", pk))
        event, (self.mine, self.waiting_position), self.about, *attended = counted_all(*calls)
        # Who may see it, as visible_events() would filter: an event the person may not see
        # is a 404, as if it did not exist.
        audiences = Event.objects.audiences_for(roles)
        if event is None or (audiences is not None and event.audience not in audiences):
            raise Http404
        self.attended = attended[0] if attended else None
        return event

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        event, roles, now = self.object, self.request.roles, timezone.now()
        mine = self.mine
        manages = allows("activities.manage_events", roles)
        context.update(
            about=mark_safe(self.about),
            mine=mine,
            waiting_position=self.waiting_position,
            places_left=event.places_left(),
            accepts_sign_ups=event.accepts_sign_ups(now),
            has_started=event.has_started(now),
            check_in_open=event.check_in_is_open(now),
            can_sign_up=roles.person is not None,
            manages=manages,
            oversees=self.oversees,
            ics_url=reverse("activities:event_ics", args=[event.pk]),
        )
        if (
            mine
            and mine.status == Status.REGISTERED
            and not mine.checked_in_at
            and not event.is_cancelled
            and not event.has_ended(now)
        ):
            # The person's own pass, which staff scan at the door; the door code itself is
            # shown only at the venue (members who never came must not hold it).
            pass_url = services.pass_url(mine, self.request)
            context.update(
                pass_url=reverse("activities:event_pass", args=[services.pass_token(mine)]),
                pass_qr_svg=check_in_qr_svg(pass_url, title=_("My check-in pass")),
            )
        if event.places_per_company and allows("activities.sign_up_colleagues", roles):
            context.update(
                company_sign_ups=company_signups.company_sign_ups(event, roles.company),
                company_form=CompanySignUpForm(event=event, company=roles.company),
            )
        if self.oversees:
            context["attended"] = self.attended
        if manages:
            check_in_url = services.check_in_url(event, self.request)
            context.update(check_in_url=check_in_url, qr_svg=check_in_qr_svg(check_in_url))
        return context


@count_of(Event, Registration)
def event_with_counts(pk) -> Event | None:
    """The event with its places taken and people waiting, whoever asks (the page checks
    who may see it)."""
    return Event.objects.with_counts().filter(pk=pk).first()


@count_of(Registration, Event)  # a sign-up's default order is its event's
def sign_up_of(pk, person) -> tuple:
    """The person's active sign-up for the event and their place on the waiting list."""
    mine = services.active_registration(Event(pk=pk), person)
    return mine, (services.waiting_position(mine) if mine else None)


@count_of(Registration)
def checked_in(pk) -> int:
    return Registration.objects.attended().filter(event_id=pk).count()


@count_of(Event, Registration, Talk, EventPhoto, Company, Person)
def event_about(pk) -> str:
    """What the event is (its facts, places, talks, minutes and photos), the same for everyone
    who may see it."""
    event = Event.objects.with_counts().filter(pk=pk).first()
    if event is None:
        return ""
    return render_to_string(
        "activities/events/includes/_event_about.html",
        {
            "event": event,
            "places_left": event.places_left(),
            "talks": Talk.objects.filter(event=event)
            .select_related("company", "speaker")
            .order_by("order", "pk"),
            "photos": EventPhoto.objects.filter(event=event).order_by("pk"),
        },
    )


def _visible_event_or_404(request, pk) -> Event:
    return get_object_or_404(visible_events(request), pk=pk)


@require_GET
def event_photo(request, pk, thumbnail=False):
    """An event's photo (or its thumbnail), for those who may see the event."""
    photo = get_object_or_404(EventPhoto.objects.filter(event__in=visible_events(request)), pk=pk)
    return serve_private(request, (thumbnail and photo.thumbnail) or photo.image)


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
    # The account with what its roles read (groups, person and company, this term's titles)
    # in one query, as the authentication backend loads it: with the feed kept in the shared
    # cache, a phone's request costs this query and one cache read.
    users = _prepared_feed_account(timezone.localdate(), router.db_for_read(CalendarFeed)).rows(
        token
    )
    user = users[0] if users else None
    if user is None:
        raise Http404
    types = parse_types(",".join(request.GET.getlist("types")))
    roles = roles_for(user)
    name = _("%(chamber)s events") % {"chamber": settings.CHAMBER_NAME}
    # The feed is written once a day for each way of seeing the events (their audiences, the
    # person's own sign-ups, the types) and kept in the shared cache until an event or a
    # sign-up changes: phones ask every few hours, and writing 200 events took most of the
    # request. Its window (90 days back, a year ahead) moves on once a day.
    audiences = Event.objects.audiences_for(roles)
    scope = "all" if audiences is None else sorted(map(str, audiences))
    person = roles.person.pk if roles.person is not None else None
    body = counted(
        feed_body,
        f"calendar-feed:{timezone.localdate()}:{get_language()}:{scope}:{person}:{types}",
        roles,
        types,
        name,
    )
    return ics_response(body, "calendar.ics")


# No token is this: it marks where each request's token goes in the compiled query.
_ANY_TOKEN = "(any feed token)"


@functools.lru_cache(maxsize=4)
def _prepared_feed_account(today, using) -> Prepared:
    """The active account whose feed has a token, its query compiled to SQL once a day per
    worker and database (``core.prepared``; compiling was most of what was left of the
    request)."""
    return Prepared(
        _feed_accounts(today)
        .using(using)
        .filter(calendar_feed__token=_ANY_TOKEN, is_active=True)
        .order_by("pk")[:1],
        _ANY_TOKEN,
    )


@functools.lru_cache(maxsize=2)
def _feed_accounts(today):
    """The accounts with their roles' tables, built once a day per worker (building the
    subqueries cost half the request; the titles are those of the term running ``today``).
    Only ever copied by ``filter()``, never evaluated here."""
    return with_roles(get_user_model()._default_manager.select_related("person__company"), today)


@count_of(Event, Registration)
def feed_body(roles, types, name) -> bytes:
    return calendar_of(feed_events(roles, types), name=name)


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
        year = parse_year(self.request.GET.get("year"), today.year, FIRST_YEAR, today.year + 5)
        start, end = year_bounds(year)
        meetings = list(
            visible_events(self.request)
            .filter(
                kind=Event.Kind.SHARING,
                is_cancelled=False,
                starts_at__gte=start,
                starts_at__lt=end,
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
            for number in range(4, 0, -1)  # the newest quarter first
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


class ParticipationView(RuleRequiredMixin, TemplateView):
    """Attendance per event and participation per member company over a year: the totals
    counted in the database, the events a page at a time, the companies that took part
    most (all of them are in the sign-ups' export)."""

    template_name = "activities/events/participation.html"
    rule = "activities.see_attendance"
    rows = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        year = parse_year(self.request.GET.get("year"), today.year, FIRST_YEAR, today.year + 5)
        start, end = year_bounds(year)
        events = visible_events(self.request).filter(
            starts_at__gte=start, starts_at__lt=end, is_cancelled=False
        )
        by_kind = _by_kind(events)
        page = Paginator(
            events.with_counts().with_attended().order_by("starts_at", "pk"),
            self.rows,
        ).get_page(self.request.GET.get("page"))
        # A sign-up counts for the company whose place it took (colleagues and guests a
        # company signed up), else for the person's own company.
        signed_up = (
            Registration.objects.registered()
            .filter(event__in=events)
            .annotate(
                for_company=Coalesce("company", "person__company"),
                for_company_name=Coalesce("company__name", "person__company__name"),
                for_company_pinyin=Coalesce("company__name_pinyin", "person__company__name_pinyin"),
            )
            .filter(for_company__isnull=False)
        )
        checked_in = Q(checked_in_at__isnull=False)
        companies = signed_up.aggregate(
            taking_part=Count("for_company", distinct=True),
            attending=Count("for_company", distinct=True, filter=checked_in),
        )
        top_companies = list(
            signed_up.values("for_company", "for_company_name", "for_company_pinyin")
            .annotate(
                signed_up=Count("*"),
                attendances=Count("pk", filter=checked_in),
                events_attended=Count("event", distinct=True, filter=checked_in),
            )
            .order_by("-events_attended", "-attendances", "-signed_up", "for_company_pinyin")[
                : self.rows
            ]
        )
        context.update(
            year=year,
            events=page.object_list,
            page_obj=page,
            query_string=urlencode({"year": year}),
            event_count=sum(held for _value, _label, held, _attended, _taken in by_kind),
            companies=top_companies,
            more_companies=companies["taking_part"] - len(top_companies),
            active_companies=Company.objects.active().count(),
            companies_attending=companies["attending"],
            total_attended=sum(attended for *_rest, attended, _taken in by_kind),
            total_taken=sum(taken for *_rest, taken in by_kind),
            by_kind=[row[:4] for row in by_kind],
            previous_year=year - 1,
            next_year=year + 1,
            export_url=reverse("admin:activities_registration_changelist")
            + "?"
            + urlencode({"event__starts_at__year": year}),
        )
        return context


def _by_kind(events) -> list[tuple]:
    """``(type, name, events, check-ins, places taken)`` for each type held, in one query."""
    registered = Q(registrations__status=Status.REGISTERED)
    rows = {
        row["kind"]: row
        for row in events.order_by()
        .values("kind")
        .annotate(
            held=Count("pk", distinct=True),
            taken=Count("registrations", filter=registered),
            attended=Count(
                "registrations",
                filter=registered & Q(registrations__checked_in_at__isnull=False),
            ),
        )
    }
    return [
        (value, label, rows[value]["held"], rows[value]["attended"], rows[value]["taken"])
        for value, label in Event.Kind.choices
        if value in rows
    ]


def feed_box_context(request, feed) -> dict:
    """The subscription address shown on /me/, or only the button that makes one."""
    context = {
        "feed_url": "",
        "webcal_url": "",
        "reset_url": reverse("activities:calendar_feed_reset"),
        "feed_past_days": FEED_PAST.days,
        "feed_limit": FEED_LIMIT,
    }
    if feed is not None:
        url = request.build_absolute_uri(reverse("activities:calendar_feed", args=[feed.token]))
        context.update(feed_url=url, webcal_url="webcal://" + url.split("://", 1)[-1])
    return context
