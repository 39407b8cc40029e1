"""An event's page kept in the shared cache (activities.events.views.EventDetailView): the
event with its counts, what it is, each viewer's own sign-up and the people checked in show a
change at once; nobody sees another's sign-up, nor an event they may not see."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from activities.events import services
from activities.models import Event, Registration
from tests.factories import PersonFactory, UserFactory

from .factories import EventFactory, RegistrationFactory

Status = Registration.Status
pytestmark = pytest.mark.django_db


def page(client, event) -> str:
    response = client.get(event.get_absolute_url())
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def test_a_visit_costs_the_frame_and_one_cache_read(client, member, django_assert_num_queries):
    event = EventFactory(capacity=5)
    RegistrationFactory(event=event, person=member.person)
    client.force_login(member)
    page(client, event)  # reads the event, its account and my sign-up, and keeps them
    # The session, the account, the cache read.
    with django_assert_num_queries(3):
        assert client.get(event.get_absolute_url()).status_code == 200


def test_my_sign_up_and_the_places_left_show_at_once_and_are_nobody_elses(member):
    event = EventFactory(capacity=2)
    colleague = UserFactory(person=PersonFactory(company=member.person.company))
    mine, theirs = Client(), Client()
    mine.force_login(member)
    theirs.force_login(colleague)
    assert "剩余 2 个名额" in page(theirs, event) and "我要报名" in page(mine, event)

    mine.post(reverse("activities:event_register", args=[event.pk]))
    html = page(mine, event)
    assert "您已报名。" in html and "剩余 1 个名额" in html and "取消报名" in html
    html = page(theirs, event)  # the other's page: the places, never my sign-up
    assert "剩余 1 个名额" in html and "您已报名。" not in html and "我要报名" in html

    theirs.post(reverse("activities:event_register", args=[event.pk]))
    assert "登记候补" not in page(theirs, event) and "您已报名。" in page(theirs, event)
    mine.post(reverse("activities:event_cancel", args=[event.pk]))
    html = page(mine, event)
    assert "您已报名。" not in html and "剩余 1 个名额" in html and "我要报名" in html


def test_my_place_on_the_waiting_list_moves_up_at_once(client, member):
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event)
    ahead = RegistrationFactory(event=event, status=Status.WAITLISTED)
    client.force_login(member)
    client.post(reverse("activities:event_register", args=[event.pk]))
    assert "您在候补名单第 2 位" in page(client, event)

    services.cancel(registration=ahead)
    assert "您在候补名单第 1 位" in page(client, event)


def test_the_people_checked_in_show_at_once_to_those_who_oversee(client, secretary, member):
    now = timezone.now()
    event = EventFactory(
        starts_at=now - datetime.timedelta(minutes=10), ends_at=now + datetime.timedelta(hours=1)
    )
    registration = RegistrationFactory(event=event)
    client.force_login(secretary)
    assert client.get(event.get_absolute_url()).context["attended"] == 0
    registration.checked_in_at = now
    registration.save()
    assert client.get(event.get_absolute_url()).context["attended"] == 1
    client.force_login(member)
    html = page(client, event)
    assert "attended" not in client.get(event.get_absolute_url()).context
    assert reverse("activities:event_attendance", args=[event.pk]) not in html


def test_an_event_kept_for_a_leader_is_never_shown_to_a_member(client, leader, member):
    event = EventFactory(title="领导班子务虚会", audience=Event.Audience.LEADERSHIP)
    client.force_login(leader)
    assert "领导班子务虚会" in page(client, event)
    client.force_login(member)
    assert client.get(event.get_absolute_url()).status_code == 404

    event.audience = Event.Audience.MEMBERS
    event.save()
    assert "领导班子务虚会" in page(client, event)
    event.audience = Event.Audience.LEADERSHIP
    event.save()
    assert client.get(event.get_absolute_url()).status_code == 404


def test_a_deleted_event_is_not_found_at_once(client, member):
    event = EventFactory()
    client.force_login(member)
    page(client, event)
    url = event.get_absolute_url()
    event.delete()
    assert client.get(url).status_code == 404
