"""Two colleagues of one company sign up guests at the same moment for the company's last
place, and two companies race for the event's last place: the locks hold both limits."""

import threading
import time

import pytest
from django.db import connection, connections

from activities.events import company_signups, services
from activities.models import Registration
from tests.factories import CompanyFactory, PersonFactory, UserFactory

from ..factories import EventFactory

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def race(monkeypatch, attempts):
    """Run each ``attempt()`` in its own thread and transaction, all reaching the counts
    together (the counts slowed so that the others are surely waiting on the lock)."""
    barrier = threading.Barrier(len(attempts), timeout=10)
    for name in ("places_taken", "company_places_taken"):
        original = getattr(services, name)

        def slow(*args, _original=original):
            taken = _original(*args)
            time.sleep(0.4)
            return taken

        monkeypatch.setattr(services, name, slow)
        if hasattr(company_signups, name):
            monkeypatch.setattr(company_signups, name, slow)
    outcomes, errors = [], []

    def run(attempt):
        try:
            barrier.wait()
            outcomes.append(attempt().status)
        except services.SignUpError as error:
            outcomes.append(error.code)
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(attempt,)) for attempt in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert errors == []
    return sorted(outcomes)


def test_the_companys_last_place_goes_to_one_guest_only(monkeypatch):
    company = CompanyFactory()
    first, second = (UserFactory(person=PersonFactory(company=company)) for _ in range(2))
    event = EventFactory(places_per_company=2, capacity=100)
    services.register(event=event, person=first.person)

    def guest_of(user, name, mobile):
        return lambda: company_signups.register_for_company(
            event=event, company=company, acting_user=user, guest_name=name, guest_mobile=mobile
        )

    outcomes = race(
        monkeypatch,
        [guest_of(first, "来宾甲", "13900001111"), guest_of(second, "来宾乙", "13900002222")],
    )
    assert outcomes == ["company_full", "registered"]
    assert Registration.objects.active().filter(event=event, company=company).count() == 2


def test_two_companies_taking_the_events_last_place_do_not_both_get_it(monkeypatch):
    event = EventFactory(places_per_company=3, capacity=2)
    services.register(event=event, person=PersonFactory())
    contacts = [UserFactory(person=PersonFactory(company=CompanyFactory())) for _ in range(2)]
    attempts = [
        (
            lambda user=user, n=n: company_signups.register_for_company(
                event=event,
                company=user.person.company,
                acting_user=user,
                guest_name=f"来宾{n}",
                guest_mobile=f"1390000111{n}",
            )
        )
        for n, user in enumerate(contacts)
    ]
    assert race(monkeypatch, attempts) == ["registered", "waitlisted"]
    assert Registration.objects.registered().filter(event=event).count() == 2


def test_without_the_row_lock_both_guests_would_get_the_companys_last_place(monkeypatch):
    """The race above with the lock taken out: its removal would not go unnoticed."""
    company = CompanyFactory()
    contact = UserFactory(person=PersonFactory(company=company))
    event = EventFactory(places_per_company=1, capacity=100)
    monkeypatch.setattr(
        company_signups, "_locked", lambda event: type(event).objects.get(pk=event.pk)
    )
    attempts = [
        (
            lambda n=n: company_signups.register_for_company(
                event=event,
                company=company,
                acting_user=contact,
                guest_name=f"来宾{n}",
                guest_mobile=f"1390000111{n}",
            )
        )
        for n in range(2)
    ]
    assert race(monkeypatch, attempts) == ["registered", "registered"]
