"""Two people take the last place at the same moment: only one gets it.

Two threads, each with its own database connection and transaction, sign up for an event with
one place left. The first holds the event's row lock while it counts (slowed down on purpose);
the second waits for the lock, then counts again and lands on the waiting list. PostgreSQL
only: SQLite has no row locks (it lets one writer in at a time instead).
"""

import threading
import time

import pytest
from django.db import connection, connections

from activities.events import services
from activities.models import Registration
from tests.factories import PersonFactory

from ..factories import EventFactory

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def test_two_people_taking_the_last_place_at_once_do_not_both_get_it(monkeypatch):
    event = EventFactory(capacity=2)
    services.register(event=event, person=PersonFactory())
    first, second = PersonFactory(), PersonFactory()

    counting = threading.Barrier(2, timeout=10)
    original = services.places_taken

    def slow_places_taken(event):
        # Each sign-up reaches the count; the first to get here (holding the lock) waits long
        # enough that the other is surely blocked on the same row meanwhile.
        taken = original(event)
        time.sleep(0.5)
        return taken

    monkeypatch.setattr(services, "places_taken", slow_places_taken)
    results, errors = {}, []

    def sign_up(person):
        try:
            counting.wait()
            results[person.pk] = services.register(event=event, person=person).status
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sign_up, args=(person,)) for person in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)

    assert errors == []
    assert sorted(results.values()) == [
        Registration.Status.REGISTERED,
        Registration.Status.WAITLISTED,
    ]
    assert Registration.objects.registered().filter(event=event).count() == 2
    assert Registration.objects.waitlisted().filter(event=event).count() == 1


def test_without_the_row_lock_both_would_get_the_last_place(monkeypatch):
    """The same race with the lock taken out: the test above would catch its removal."""
    event = EventFactory(capacity=1)
    first, second = PersonFactory(), PersonFactory()
    counting = threading.Barrier(2, timeout=10)
    original = services.places_taken

    def slow_places_taken(event):
        taken = original(event)
        time.sleep(0.5)
        return taken

    monkeypatch.setattr(services, "places_taken", slow_places_taken)
    monkeypatch.setattr(services, "_locked", lambda event: type(event).objects.get(pk=event.pk))
    results = {}

    def sign_up(person):
        try:
            counting.wait()
            results[person.pk] = services.register(event=event, person=person).status
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sign_up, args=(person,)) for person in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)

    assert list(results.values()) == [Registration.Status.REGISTERED] * 2
