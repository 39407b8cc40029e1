"""The rules of events: sign-up, the waiting list, check-in, reminders and yearly copies."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone
from lunardate import LunarDate

from activities.events import services
from activities.models import Event, EventReminder, Registration
from tests.factories import PersonFactory

from .factories import EventFactory, RegistrationFactory, in_days

SHANGHAI = ZoneInfo("Asia/Shanghai")
Status = Registration.Status
pytestmark = pytest.mark.django_db


def people(n):
    return [PersonFactory() for _ in range(n)]


def test_a_person_signs_up_for_an_event_with_places():
    event = EventFactory(capacity=2)
    person = PersonFactory()

    registration = services.register(event=event, person=person)

    assert registration.status == Status.REGISTERED
    assert event.places_left() == 1


def test_sign_ups_beyond_the_capacity_join_the_waiting_list_in_order():
    event = EventFactory(capacity=1)
    first, second, third = people(3)

    services.register(event=event, person=first)
    waiting_1 = services.register(event=event, person=second)
    waiting_2 = services.register(event=event, person=third)

    assert waiting_1.status == waiting_2.status == Status.WAITLISTED
    assert services.waiting_position(waiting_1) == 1
    assert services.waiting_position(waiting_2) == 2
    assert event.places_left() == 0


def test_an_event_without_a_capacity_takes_everyone():
    event = EventFactory(capacity=None)
    for person in people(5):
        services.register(event=event, person=person)
    assert Registration.objects.registered().filter(event=event).count() == 5
    assert event.places_left() is None


def test_signing_up_twice_is_refused():
    event = EventFactory()
    person = PersonFactory()
    services.register(event=event, person=person)

    with pytest.raises(services.SignUpError) as error:
        services.register(event=event, person=person)

    assert error.value.code == "duplicate"
    assert Registration.objects.filter(event=event, person=person).count() == 1


def test_the_database_holds_one_active_sign_up_per_person_and_event():
    registration = RegistrationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        RegistrationFactory(event=registration.event, person=registration.person)
    # A cancelled sign-up does not count: the person may sign up again.
    registration.status = Status.CANCELLED
    registration.save()
    again = services.register(event=registration.event, person=registration.person)
    assert again.status == Status.REGISTERED


def test_the_database_refuses_a_check_in_without_a_place():
    registration = RegistrationFactory(status=Status.WAITLISTED)
    registration.checked_in_at = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        registration.save()


@pytest.mark.parametrize(
    "changes, code",
    [
        ({"registration_open": False}, "closed"),
        ({"is_cancelled": True}, "cancelled"),
        ({"starts_at": in_days(-1), "ends_at": in_days(1)}, "started"),
    ],
)
def test_sign_up_is_refused_when_closed_cancelled_or_started(changes, code):
    event = EventFactory(**changes)
    with pytest.raises(services.SignUpError) as error:
        services.register(event=event, person=PersonFactory())
    assert error.value.code == code
    assert not event.registrations.exists()


def test_an_account_without_a_person_cannot_sign_up():
    with pytest.raises(services.SignUpError) as error:
        services.register(event=EventFactory(), person=None)
    assert error.value.code == "no_person"


def test_cancelling_a_place_moves_the_first_on_the_waiting_list_up_and_emails_them(
    mailoutbox, django_capture_on_commit_callbacks
):
    event = EventFactory(capacity=1, title="青年联谊健步走")
    holder, first, second = people(3)
    place = services.register(event=event, person=holder)
    waiting_1 = services.register(event=event, person=first)
    waiting_2 = services.register(event=event, person=second)

    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.cancel(registration=place)

    assert promoted == [waiting_1]
    waiting_1.refresh_from_db()
    waiting_2.refresh_from_db()
    place.refresh_from_db()
    assert place.status == Status.CANCELLED and place.cancelled_at is not None
    assert waiting_1.status == Status.REGISTERED and waiting_1.promoted_at is not None
    assert services.waiting_position(waiting_2) == 1
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [first.email]
    assert "青年联谊健步走" in mailoutbox[0].subject
    assert event.get_absolute_url() in mailoutbox[0].body


def test_leaving_the_waiting_list_moves_nobody_up(mailoutbox, django_capture_on_commit_callbacks):
    event = EventFactory(capacity=1)
    holder, first, second = people(3)
    services.register(event=event, person=holder)
    waiting_1 = services.register(event=event, person=first)
    waiting_2 = services.register(event=event, person=second)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.cancel(registration=waiting_1) == []

    waiting_2.refresh_from_db()
    assert waiting_2.status == Status.WAITLISTED
    assert services.waiting_position(waiting_2) == 1
    assert mailoutbox == []


def test_more_places_move_as_many_people_up(django_capture_on_commit_callbacks, mailoutbox):
    event = EventFactory(capacity=1)
    for person in people(4):
        services.register(event=event, person=person)
    event.capacity = 3
    event.save()

    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.fill_from_waiting_list(event=event)

    assert len(promoted) == 2
    assert Registration.objects.registered().filter(event=event).count() == 3
    assert Registration.objects.waitlisted().filter(event=event).count() == 1
    assert len(mailoutbox) == 2


def test_nobody_moves_up_once_the_event_has_started(django_capture_on_commit_callbacks, mailoutbox):
    """Places added after the start are not offered to the waiting list (nor emailed)."""
    event = EventFactory(capacity=1)
    for person in people(3):
        services.register(event=event, person=person)
    event.capacity = 3
    event.save()

    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.fill_from_waiting_list(
            event=event, now=event.starts_at + datetime.timedelta(minutes=5)
        )

    assert promoted == []
    assert Registration.objects.registered().filter(event=event).count() == 1
    assert Registration.objects.waitlisted().filter(event=event).count() == 2
    assert mailoutbox == []


def test_a_checked_in_sign_up_cannot_be_cancelled():
    event = EventFactory()
    registration = services.register(event=event, person=PersonFactory())
    Registration.objects.filter(pk=registration.pk).update(checked_in_at=timezone.now())
    with pytest.raises(services.SignUpError) as error:
        services.cancel(registration=registration)
    assert error.value.code == "checked_in"
    registration.refresh_from_db()
    assert registration.status == Status.REGISTERED


def test_a_sign_up_cannot_be_cancelled_once_the_event_has_started():
    event = EventFactory()
    registration = services.register(event=event, person=PersonFactory())
    with pytest.raises(services.SignUpError) as error:
        services.cancel(registration=registration, now=event.starts_at + datetime.timedelta(1))
    assert error.value.code == "started"


def test_closing_sign_up_keeps_the_places_taken():
    event = EventFactory()
    registration = services.register(event=event, person=PersonFactory())
    services.close_registration(event=event)
    event.refresh_from_db()
    assert not event.registration_open
    registration.refresh_from_db()
    assert registration.status == Status.REGISTERED


# Check-in --------------------------------------------------------------------------------


@pytest.fixture
def event_now():
    """An event that starts in two hours and lasts two."""
    now = timezone.now()
    return EventFactory(
        starts_at=now + datetime.timedelta(hours=2), ends_at=now + datetime.timedelta(hours=4)
    )


def test_check_in_opens_an_hour_before_the_start_and_closes_at_the_end(event_now):
    registration = services.register(event=event_now, person=PersonFactory())
    start, end = event_now.starts_at, event_now.ends_at
    hour = datetime.timedelta(hours=1)
    second = datetime.timedelta(seconds=1)

    with pytest.raises(services.SignUpError) as error:
        services.check_in(event=event_now, person=registration.person, now=start - hour - second)
    assert error.value.code == "too_early"
    with pytest.raises(services.SignUpError) as error:
        services.check_in(event=event_now, person=registration.person, now=end)
    assert error.value.code == "too_late"
    registration.refresh_from_db()
    assert registration.checked_in_at is None

    checked = services.check_in(event=event_now, person=registration.person, now=start - hour)
    assert checked.pk == registration.pk
    assert checked.checked_in_at == start - hour
    assert event_now.check_in_is_open(start - hour)
    assert not event_now.check_in_is_open(end)


def test_checking_in_twice_keeps_the_first_time(event_now):
    person = PersonFactory()
    services.register(event=event_now, person=person)
    first = services.check_in(event=event_now, person=person, now=event_now.starts_at)
    later = event_now.starts_at + datetime.timedelta(minutes=30)
    again = services.check_in(event=event_now, person=person, now=later)
    assert again.checked_in_at == first.checked_in_at == event_now.starts_at


def test_the_door_code_checks_in_only_people_with_a_confirmed_place(event_now):
    """The reproduction: the event is full, yet someone on the waiting list (or not signed up
    at all) holding the code was checked in."""
    event_now.capacity = 1
    event_now.save()
    holder, waiting, stranger = people(3)
    services.register(event=event_now, person=holder)
    services.register(event=event_now, person=waiting)
    event_now.registration_open = False
    event_now.save()

    for person in (waiting, stranger):
        with pytest.raises(services.SignUpError) as error:
            services.check_in(event=event_now, person=person, now=event_now.starts_at)
        assert error.value.code == "no_place"
    services.check_in(event=event_now, person=holder, now=event_now.starts_at)

    assert list(
        Registration.objects.attended().filter(event=event_now).values_list("person", flat=True)
    ) == [holder.pk]
    assert not Registration.objects.filter(event=event_now, person=stranger).exists()


def test_staff_check_in_someone_who_came_without_a_place_and_give_them_one(event_now, secretary):
    event_now.capacity = 1
    event_now.save()
    holder, waiting, walk_in = people(3)
    services.register(event=event_now, person=holder)
    services.register(event=event_now, person=waiting)

    services.walk_in(
        event=event_now, person=waiting, acting_user=secretary, now=event_now.starts_at
    )
    services.walk_in(
        event=event_now, person=walk_in, acting_user=secretary, now=event_now.starts_at
    )

    attended = Registration.objects.attended().filter(event=event_now)
    assert set(attended.values_list("person", flat=True)) == {waiting.pk, walk_in.pk}
    assert set(attended.values_list("checked_in_by", flat=True)) == {secretary.pk}
    with pytest.raises(services.SignUpError) as error:
        services.walk_in(
            event=event_now,
            person=holder,
            acting_user=secretary,
            now=event_now.starts_at - datetime.timedelta(hours=2),
        )
    assert error.value.code == "too_early"


def test_staff_tick_and_untick_attendance(event_now, secretary):
    registration = services.register(event=event_now, person=PersonFactory())
    with pytest.raises(services.SignUpError):
        services.mark_attendance(
            registration=registration, present=True, acting_user=secretary, now=timezone.now()
        )
    services.mark_attendance(
        registration=registration, present=True, acting_user=secretary, now=event_now.ends_at
    )
    registration.refresh_from_db()
    assert registration.checked_in_by == secretary
    services.mark_attendance(
        registration=registration, present=False, acting_user=secretary, now=event_now.ends_at
    )
    registration.refresh_from_db()
    assert registration.checked_in_at is None


# Changes, cancellation, yearly copies ----------------------------------------------------


def test_a_change_a_phone_must_show_raises_the_sequence_and_others_do_not():
    event = EventFactory()
    assert services.event_changed(event, ["venue"]) is True
    assert event.sequence == 1
    assert services.event_changed(event, ["minutes", "capacity"]) is False
    assert event.sequence == 1


def test_cancelling_an_event_marks_it_and_emails_everyone_signed_up(
    mailoutbox, django_capture_on_commit_callbacks
):
    event = EventFactory(capacity=1, title="法律服务咨询日")
    for person in people(2):
        services.register(event=event, person=person)

    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_event(event=event)

    event.refresh_from_db()
    assert event.is_cancelled and event.sequence == 1
    assert len(mailoutbox) == 2
    assert all("法律服务咨询日" in mail.subject for mail in mailoutbox)


def test_the_double_ninth_follows_the_lunar_calendar():
    # 重阳节: the 9th day of the 9th lunar month (checked against lunardate).
    assert LunarDate(2026, 9, 9).to_solar_date() == datetime.date(2026, 10, 18)
    assert LunarDate(2027, 9, 9).to_solar_date() == datetime.date(2027, 10, 8)
    event = EventFactory(
        title="重阳节慰问老年人",
        starts_at=datetime.datetime(2026, 10, 18, 9, 0, tzinfo=SHANGHAI),
        ends_at=datetime.datetime(2026, 10, 18, 11, 30, tzinfo=SHANGHAI),
        recurrence=Event.Recurrence.DOUBLE_NINTH,
    )
    assert services.next_year_start(event) == datetime.datetime(2027, 10, 8, 9, 0, tzinfo=SHANGHAI)


def test_yearly_events_are_copied_to_next_year_once(secretary):
    cooling = EventFactory(
        title="“军民鱼水情”夏季送清凉",
        starts_at=datetime.datetime(2026, 7, 16, 9, 0, tzinfo=SHANGHAI),
        ends_at=datetime.datetime(2026, 7, 16, 11, 30, tzinfo=SHANGHAI),
        recurrence=Event.Recurrence.YEARLY,
        capacity=20,
    )
    chongyang = EventFactory(
        title="重阳节慰问老年人",
        starts_at=datetime.datetime(2026, 10, 18, 9, 0, tzinfo=SHANGHAI),
        ends_at=datetime.datetime(2026, 10, 18, 11, 30, tzinfo=SHANGHAI),
        recurrence=Event.Recurrence.DOUBLE_NINTH,
    )
    one_off = EventFactory()
    RegistrationFactory(event=cooling)

    outcome = services.copy_to_next_year(
        events=[cooling, chongyang, one_off], acting_user=secretary
    )

    assert [e.copied_from for e in outcome.copied] == [cooling, chongyang]
    assert outcome.not_yearly == [one_off]
    copy = cooling.next_copy
    assert copy.local_start == datetime.datetime(2027, 7, 16, 9, 0, tzinfo=SHANGHAI)
    assert copy.ends_at - copy.starts_at == datetime.timedelta(hours=2, minutes=30)
    assert copy.capacity == 20 and copy.recurrence == Event.Recurrence.YEARLY
    assert not copy.registrations.exists()
    assert chongyang.next_copy.local_start.date() == datetime.date(2027, 10, 8)

    again = services.copy_to_next_year(events=[cooling], acting_user=secretary)
    assert again.copied == [] and again.already == [cooling]
    assert Event.objects.filter(title=cooling.title).count() == 2


# Reminders -------------------------------------------------------------------------------


def test_reminders_go_once_to_everyone_with_a_place_at_tomorrows_events(mailoutbox):
    today = timezone.localdate()
    tomorrow = EventFactory(title="明天的讲座", starts_at=in_days(1, hour=9))
    later = EventFactory(starts_at=in_days(3))
    cancelled = EventFactory(starts_at=in_days(1, hour=15), is_cancelled=True)
    registered = RegistrationFactory(event=tomorrow)
    RegistrationFactory(event=tomorrow, status=Status.WAITLISTED)
    RegistrationFactory(event=tomorrow, status=Status.CANCELLED)
    RegistrationFactory(event=later)
    RegistrationFactory(event=cancelled)

    call_command("send_event_reminders", verbosity=0)
    call_command("send_event_reminders", verbosity=0)
    services.send_reminders(today=today)

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [registered.person.email]
    assert "明天的讲座" in mailoutbox[0].subject
    assert EventReminder.objects.get().person == registered.person


def test_a_reminder_that_cannot_be_sent_is_tried_again_next_time(mailoutbox, monkeypatch, settings):
    """The reminder is written; the email that the mail server refused is tried again by the
    task queue (here: the retry command, as the immediate backend cannot wait), once."""
    from core.notifications.models import Delivery

    registration = RegistrationFactory(event=EventFactory(starts_at=in_days(1)))

    def refuse(self, fail_silently=False):
        raise OSError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    outcome = services.send_reminders()
    assert outcome.sent == [registration]
    assert EventReminder.objects.count() == 1
    email = Delivery.objects.get(channel="email")
    assert email.status == "failed" and "mail server down" in email.error

    monkeypatch.undo()
    assert services.send_reminders().already == [registration]
    Delivery.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())
    call_command("retry_deliveries", verbosity=0)
    call_command("retry_deliveries", verbosity=0)
    assert len(mailoutbox) == 1
    assert Delivery.objects.get(pk=email.pk).status == "sent"


def test_the_reminder_command_takes_a_date():
    event = EventFactory(
        starts_at=datetime.datetime(2030, 5, 2, 9, 0, tzinfo=SHANGHAI),
        ends_at=datetime.datetime(2030, 5, 2, 11, 0, tzinfo=SHANGHAI),
    )
    RegistrationFactory(event=event)
    call_command("send_event_reminders", "--date", "2030-05-01", verbosity=0)
    assert EventReminder.objects.filter(event=event).count() == 1


def test_a_newcomer_waits_behind_those_already_waiting_even_with_a_place_free():
    event = EventFactory(capacity=1)
    waiting = RegistrationFactory(event=event, status=Status.WAITLISTED)
    newcomer = services.register(event=event, person=PersonFactory())
    assert newcomer.status == Status.WAITLISTED
    assert services.waiting_position(waiting) == 1
    assert services.waiting_position(newcomer) == 2


def test_a_place_freed_after_the_start_moves_nobody_up(
    django_capture_on_commit_callbacks, mailoutbox
):
    """Once the event has started, the waiting list stays as it is: a place freed at the door
    (staff cancel a sign-up or add places in the admin) sends nobody a "you have a place"
    email for an event already under way."""
    event = EventFactory(capacity=1, starts_at=in_days(0, hour=9))
    holder = RegistrationFactory(event=event)
    waiting = RegistrationFactory(event=event, status=Status.WAITLISTED)
    after_start = event.starts_at + datetime.timedelta(minutes=5)
    Registration.objects.filter(pk=holder.pk).update(
        status=Status.CANCELLED, cancelled_at=after_start
    )
    event.capacity = 2
    event.save()

    with django_capture_on_commit_callbacks(execute=True):
        assert services.fill_from_waiting_list(event=event, now=after_start) == []

    waiting.refresh_from_db()
    assert waiting.status == Status.WAITLISTED and waiting.promoted_at is None
    assert services.waiting_position(waiting) == 1
    assert Registration.objects.registered().filter(event=event).count() == 0
    assert mailoutbox == []

    # The same moment before the start moves them up: the start is what stops it.
    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.fill_from_waiting_list(
            event=event, now=event.starts_at - datetime.timedelta(minutes=5)
        )
    assert promoted == [waiting]
