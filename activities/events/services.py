"""The rules of events: signing up, the waiting list, check-in, reminders, yearly copies.

Every write that checks a rule lives here, inside a transaction. Sign-ups lock the event's row
(``select_for_update``) before counting the places taken, so two people taking the last place
at the same moment cannot both get it: the second waits for the first to commit and then finds
the event full. The database backs this with a constraint (one active sign-up per person and
event).
"""

import datetime
import functools
import logging
from dataclasses import dataclass, field

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from lunardate import LunarDate

from core import mail
from core.images import process_image
from core.notifications import notify, reachable
from core.time import SHANGHAI, local_midnight

from ..models import CalendarFeed, Event, EventPhoto, EventReminder, Registration

logger = logging.getLogger(__name__)

Status = Registration.Status


class SignUpError(ValidationError):
    """A sign-up, cancellation or check-in the rules refuse; the message is for the person."""


# Reading ----------------------------------------------------------------------------------


def places_taken(event: Event) -> int:
    return Registration.objects.filter(event=event, status=Status.REGISTERED).count()


def company_places_taken(event: Event, company) -> int:
    """The sign-ups (places and waiting) that count against a company's share of an event."""
    return (
        Registration.objects.active()
        .filter(event=event)
        .filter(Q(company=company) | Q(company__isnull=True, person__company=company))
        .count()
    )


def check_company_share(event: Event, company) -> None:
    """Refuse one more sign-up for ``company`` once it holds its share (with the event locked)."""
    limit = event.places_per_company
    if company is not None and limit and company_places_taken(event, company) >= limit:
        raise SignUpError(
            _("Your company has used all %(count)s of its places at this event.")
            % {"count": limit},
            code="company_full",
        )


def waiting_position(registration: Registration) -> int | None:
    """1 for the first person on the waiting list, and so on; None if not waiting."""
    if registration.status != Status.WAITLISTED:
        return None
    ahead = (
        Registration.objects.waitlisted()
        .filter(event_id=registration.event_id, created_at__lte=registration.created_at)
        .exclude(created_at=registration.created_at, pk__gt=registration.pk)
        .count()
    )
    return ahead


def active_registration(event: Event, person) -> Registration | None:
    if person is None:
        return None
    return Registration.objects.active().filter(event=event, person=person).first()


# Signing up -------------------------------------------------------------------------------


def _locked(event: Event) -> Event:
    """The event's row, locked until the transaction ends (a no-op on SQLite, which lets one
    writer in at a time anyway)."""
    return Event.objects.select_for_update().get(pk=event.pk)


def register(*, event: Event, person, acting_user=None, now=None) -> Registration:
    """Sign a person up: a place if one is free, else a spot at the end of the waiting list.

    Raises SignUpError if sign-up is closed, the event cancelled or started, or the person
    already signed up."""
    if person is None:
        raise SignUpError(
            _("Your account is not linked to a person on the chamber's roster."),
            code="no_person",
        )
    now = now or timezone.now()
    with transaction.atomic():
        event = _locked(event)
        if event.is_cancelled:
            raise SignUpError(_("This event has been cancelled."), code="cancelled")
        if event.has_started(now):
            raise SignUpError(_("This event has already started."), code="started")
        if not event.registration_open:
            raise SignUpError(_("Sign-up for this event is closed."), code="closed")
        if Registration.objects.active().filter(event=event, person=person).exists():
            raise SignUpError(_("You have already signed up for this event."), code="duplicate")
        check_company_share(event, person.company)
        # Nobody jumps the queue: while people wait, a newcomer waits behind them.
        full = event.capacity is not None and (
            places_taken(event) >= event.capacity
            or Registration.objects.waitlisted().filter(event=event).exists()
        )
        try:
            with transaction.atomic():
                return Registration.objects.create(
                    event=event,
                    person=person,
                    status=Status.WAITLISTED if full else Status.REGISTERED,
                    created_at=now,
                    registered_by=acting_user,
                    company=person.company,
                )
        except IntegrityError:
            # Only reachable if the lock is bypassed; the constraint still holds.
            raise SignUpError(
                _("You have already signed up for this event."), code="duplicate"
            ) from None


def cancel(*, registration: Registration, acting_user=None, now=None) -> list[Registration]:
    """Cancel a sign-up; a place it frees goes to the first on the waiting list, who is
    emailed. Returns the registrations moved up."""
    now = now or timezone.now()
    with transaction.atomic():
        event = _locked(registration.event)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status == Status.CANCELLED:
            return []
        if event.has_started(now) and not event.is_cancelled:
            raise SignUpError(
                _("This event has already started; sign-ups can no longer be cancelled."),
                code="started",
            )
        if registration.checked_in_at:
            raise SignUpError(_("You have already checked in."), code="checked_in")
        registration.status = Status.CANCELLED
        registration.cancelled_at = now
        registration.save(update_fields=["status", "cancelled_at"])
        return fill_from_waiting_list(event=event, now=now)


def fill_from_waiting_list(*, event: Event, now=None) -> list[Registration]:
    """Move people up from the waiting list, in order, while there are free places (after a
    cancellation, or when staff add places); each is emailed once the change is saved."""
    now = now or timezone.now()
    with transaction.atomic():
        event = _locked(event)
        if event.is_cancelled or event.has_started(now):
            return []
        waiting = Registration.objects.filter(event=event).waiting_order().select_related("person")
        if event.capacity is not None:
            free = event.capacity - places_taken(event)
            if free <= 0:
                return []
            waiting = waiting[:free]
        promoted = list(waiting)
        for registration in promoted:
            registration.status = Status.REGISTERED
            registration.promoted_at = now
            registration.save(update_fields=["status", "promoted_at"])
        for registration in promoted:
            transaction.on_commit(lambda r=registration: _notify_promoted(r, event), robust=True)
        return promoted


def close_registration(*, event: Event) -> Event:
    with transaction.atomic():
        event = _locked(event)
        if event.registration_open:
            event.registration_open = False
            event.save(update_fields=["registration_open", "updated_at"])
    return event


# Changing an event ------------------------------------------------------------------------


def event_changed(event: Event, changed_fields) -> bool:
    """Note a change staff saved: SEQUENCE goes up when a subscribed calendar must show it.
    Call before saving the event. Returns whether the sequence went up."""
    if event.pk and Event.CALENDAR_FIELDS & set(changed_fields):
        event.sequence += 1
        return True
    return False


def cancel_event(*, event: Event) -> Event:
    """Cancel an event: calendars show it cancelled; those signed up or waiting are emailed."""
    with transaction.atomic():
        event = _locked(event)
        if event.is_cancelled:
            return event
        event.is_cancelled = True
        event.sequence += 1
        event.save(update_fields=["is_cancelled", "sequence", "updated_at"])
        notify_cancelled(event)
    return event


def notify_cancelled(event: Event) -> None:
    """Once the cancellation is saved, enqueue telling everyone signed up or waiting: the page
    that cancels writes one task, not hundreds of messages."""
    from .tasks import notify_event_cancelled

    transaction.on_commit(lambda: notify_event_cancelled.enqueue(event.pk), robust=True)


def next_year_start(event: Event) -> datetime.datetime:
    """When a yearly event falls next year, at the same time of day in Shanghai: the same date,
    or for the Double Ninth (重阳节) the 9th day of the 9th lunar month."""
    start = event.starts_at.astimezone(SHANGHAI)
    year = start.year + 1
    if event.recurrence == Event.Recurrence.DOUBLE_NINTH:
        day = LunarDate(year, 9, 9).to_solar_date()
    elif start.month == 2 and start.day == 29:
        day = datetime.date(year, 2, 28)
    else:
        day = start.date().replace(year=year)
    return datetime.datetime.combine(day, start.timetz().replace(tzinfo=None), tzinfo=SHANGHAI)


@dataclass
class CopyOutcome:
    copied: list = field(default_factory=list)
    already: list = field(default_factory=list)
    not_yearly: list = field(default_factory=list)


def copy_to_next_year(*, events, acting_user=None) -> CopyOutcome:
    """Copy yearly events (送清凉, 重阳节 …) to next year, without sign-ups, minutes or photos.
    An event copied before is not copied again."""
    outcome = CopyOutcome()
    with transaction.atomic():
        already = set(
            Event.objects.filter(copied_from__in=events).values_list("copied_from_id", flat=True)
        )
        for event in events:
            if not event.recurrence:
                outcome.not_yearly.append(event)
                continue
            if event.pk in already:
                outcome.already.append(event)
                continue
            starts_at = next_year_start(event)
            outcome.copied.append(
                Event.objects.create(
                    title=event.title,
                    kind=event.kind,
                    starts_at=starts_at,
                    ends_at=starts_at + (event.ends_at - event.starts_at),
                    venue=event.venue,
                    capacity=event.capacity,
                    audience=event.audience,
                    organisers=event.organisers,
                    partners=event.partners,
                    description=event.description,
                    recurrence=event.recurrence,
                    copied_from=event,
                    created_by=acting_user,
                )
            )
    return outcome


def add_photo(*, event: Event, upload, caption: str = "") -> EventPhoto:
    """Store a photo (already checked and scaled down by the form) and its thumbnail."""
    thumbnail = process_image(upload, max_side=EventPhoto.THUMBNAIL_SIDE)
    upload.seek(0)
    photo = EventPhoto(event=event, caption=caption)
    photo.image.save(upload.name, upload, save=False)
    photo.thumbnail.save(thumbnail.name, thumbnail, save=False)
    photo.save()
    return photo


def make_thumbnail(photo: EventPhoto) -> None:
    """Give a photo saved through a form its thumbnail."""
    photo.image.open("rb")
    try:
        thumbnail = process_image(photo.image, max_side=EventPhoto.THUMBNAIL_SIDE)
    finally:
        photo.image.close()
    photo.thumbnail.save(thumbnail.name, thumbnail, save=True)


# Check-in ---------------------------------------------------------------------------------


def _check_in_window(event: Event, now) -> None:
    if event.is_cancelled:
        raise SignUpError(_("This event has been cancelled."), code="cancelled")
    if now < event.check_in_opens_at:
        raise SignUpError(
            _("Check-in opens at %(time)s, an hour before the start.")
            % {"time": timezone.localtime(event.check_in_opens_at).strftime("%H:%M")},
            code="too_early",
        )
    if now >= event.ends_at:
        raise SignUpError(_("This event is over; check-in has closed."), code="too_late")


def check_in(*, event: Event, person, now=None) -> Registration:
    """A person checks themselves in with the door code (the QR shown at the venue), within
    the window (from an hour before the start to the end), and only with a confirmed place:
    someone on the waiting list, or not signed up, goes to the desk, where staff check them in
    (``walk_in``)."""
    if person is None:
        raise SignUpError(
            _("Your account is not linked to a person on the chamber's roster."),
            code="no_person",
        )
    now = now or timezone.now()
    with transaction.atomic():
        event = _locked(event)
        _check_in_window(event, now)
        registration = (
            Registration.objects.registered()
            .select_for_update()
            .filter(event=event, person=person)
            .first()
        )
        if registration is None:
            raise SignUpError(
                _(
                    "The door code is for people with a confirmed place. Please go to the "
                    "desk: the staff will check you in."
                ),
                code="no_place",
            )
        if registration.checked_in_at:
            return registration
        registration.checked_in_at = now
        registration.save(update_fields=["checked_in_at"])
        return registration


def walk_in(*, event: Event, person, acting_user, now=None) -> Registration:
    """Staff at the desk check in someone who came without a place (not signed up, or on the
    waiting list): they are given a place, whatever the capacity, and checked in."""
    now = now or timezone.now()
    with transaction.atomic():
        event = _locked(event)
        _check_in_window(event, now)
        registration = (
            Registration.objects.active()
            .select_for_update()
            .filter(event=event, person=person)
            .first()
        )
        if registration is None:
            registration = Registration(
                event=event, person=person, created_at=now, registered_by=acting_user
            )
        if registration.checked_in_at:
            return registration
        registration.status = Status.REGISTERED
        registration.checked_in_at = now
        registration.checked_in_by = acting_user
        registration.save()
        return registration


# A person's own pass: their registration's number, signed, so that it can be neither guessed
# nor made up for another registration. Staff scan it at the door.
PASS_SALT = "activities.event-pass"


def pass_token(registration: Registration) -> str:
    return signing.Signer(salt=PASS_SALT).sign(str(registration.pk))


def registration_for_pass(token: str) -> Registration | None:
    """The registration a pass (its token, or the whole scanned address) stands for."""
    token = (token or "").strip().rstrip("/").rsplit("/", 1)[-1]
    try:
        pk = int(signing.Signer(salt=PASS_SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        return None
    return (
        Registration.objects.active()
        .select_related("event", "person__company")
        .filter(pk=pk)
        .first()
    )


def pass_url(registration: Registration, request=None) -> str:
    path = reverse("activities:event_pass", args=[pass_token(registration)])
    return mail.absolute_url(path, request)


def mark_attendance(
    *, registration: Registration, present: bool, acting_user, now=None
) -> Registration:
    """Staff tick (or untick) a person on the attendance list, from an hour before the start
    on; someone ticked from the waiting list came anyway and is given a place."""
    now = now or timezone.now()
    with transaction.atomic():
        event = _locked(registration.event)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if now < event.check_in_opens_at:
            raise SignUpError(
                _("Attendance can be taken from an hour before the start."), code="too_early"
            )
        if registration.status == Status.CANCELLED:
            raise SignUpError(_("This sign-up was cancelled."), code="cancelled")
        if present and not registration.checked_in_at:
            registration.status = Status.REGISTERED
            registration.checked_in_at = now
            registration.checked_in_by = acting_user
        elif not present:
            registration.checked_in_at = None
            registration.checked_in_by = None
        registration.save(update_fields=["status", "checked_in_at", "checked_in_by"])
    return registration


# The calendar subscription ----------------------------------------------------------------


def feed_for(user) -> CalendarFeed:
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


def reset_feed(*, user) -> CalendarFeed:
    """Give the user a new secret address; the old one stops working at once."""
    with transaction.atomic():
        feed, created = CalendarFeed.objects.select_for_update().get_or_create(user=user)
        if not created:
            feed.token = CalendarFeed._meta.get_field("token").default()
            feed.reset_at = timezone.now()
            feed.save(update_fields=["token", "reset_at"])
    return feed


# Email ------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=8)
def _event_path_around(prefix: str, urlconf) -> tuple[str, str]:
    marker = "987654321"
    before, after = reverse("activities:event_detail", args=[marker]).split(marker)
    return before, after


def event_path_parts() -> tuple[str, str]:
    """An event page's address before and after the event's number: ``reverse()`` once
    rather than for each of the hundreds of events a month's grid or a feed shows."""
    return _event_path_around(get_script_prefix(), get_urlconf())


def event_path(pk: int) -> str:
    """``Event.get_absolute_url()``, cheaply (see ``event_path_parts``)."""
    before, after = event_path_parts()
    return f"{before}{pk}{after}"


def _notify_promoted(registration: Registration, event: Event) -> None:
    if registration.is_guest:  # no account, no email: their pass, by SMS, is the news
        from .guest_passes import send_guest_pass

        send_guest_pass(registration)
        return
    notify(
        [registration.person],
        "event_promoted",
        {"event": event, "url": mail.absolute_url(event.get_absolute_url())},
        key=f"event_promoted:{registration.pk}:{registration.promoted_at:%Y%m%d%H%M%S}",
    )


def notify_people_of_cancellation(event: Event, people) -> list:
    return notify(
        people,
        "event_cancelled",
        {"event": event, "url": mail.absolute_url(event.get_absolute_url())},
        key=f"event_cancelled:{event.pk}:{event.sequence}",
    )


@dataclass
class ReminderOutcome:
    day: datetime.date
    sent: list = field(default_factory=list)
    already: list = field(default_factory=list)
    without_email: list = field(default_factory=list)
    failed: list = field(default_factory=list)


def send_reminders(*, today: datetime.date | None = None) -> ReminderOutcome:
    """Remind everyone with a place at tomorrow's events (inbox, email, SMS, WeChat: their
    channels), at most once per person and event: an ``EventReminder`` row is written with
    each message (unique per event and person), so the
    command is safe to run as often as cron likes, and twice at once. People with neither an
    account nor an email address cannot be reached: ``without_email``."""
    today = today or timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    start = local_midnight(tomorrow)
    end = start + datetime.timedelta(days=1)
    outcome = ReminderOutcome(day=tomorrow)
    registrations = (
        Registration.objects.registered()
        .filter(event__starts_at__gte=start, event__starts_at__lt=end, event__is_cancelled=False)
        .select_related("event", "person__user")
        .order_by("event__starts_at", "event_id", "created_at")
    )
    reminded = set(
        EventReminder.objects.filter(
            event__starts_at__gte=start, event__starts_at__lt=end
        ).values_list("event_id", "person_id")
    )
    for registration in registrations:
        event, person = registration.event, registration.person
        if (event.pk, person.pk) in reminded:
            outcome.already.append(registration)
            continue
        address = mail.address_of(person)
        if not address and not reachable(person):
            outcome.without_email.append(registration)
            continue
        try:
            with transaction.atomic():
                _reminder, created = EventReminder.objects.get_or_create(
                    event=event, person=person, defaults={"email": address}
                )
                if not created:
                    outcome.already.append(registration)
                    continue
                # Written with the row; the task queue sends it and tries again on failure.
                notify(
                    [person],
                    "event_reminder",
                    {"event": event, "url": mail.absolute_url(event.get_absolute_url())},
                )
        except IntegrityError:
            outcome.already.append(registration)
        else:
            outcome.sent.append(registration)
    return outcome


def check_in_url(event: Event, request=None) -> str:
    path = reverse("activities:event_check_in", args=[event.pk, event.check_in_code])
    return mail.absolute_url(path, request)
