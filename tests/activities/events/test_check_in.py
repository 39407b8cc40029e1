"""Check-in that means presence: a personal pass that staff scan at the door, the door code
only for people with a place, walk-ins checked in by staff, and a limit on attempts."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.events import services
from activities.models import Registration
from tests.factories import PersonFactory

from .factories import EventFactory, RegistrationFactory
from .test_pages import decode, svg_matrix

Status = Registration.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    """An event under way: check-in is open."""
    now = timezone.now()
    return EventFactory(
        starts_at=now - datetime.timedelta(minutes=10), ends_at=now + datetime.timedelta(hours=1)
    )


def page(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_a_member_sees_their_own_pass_and_never_the_door_code(client, member):
    event = EventFactory()
    registration = services.register(event=event, person=member.person)
    client.force_login(member)

    content = client.get(event.get_absolute_url()).content.decode()

    assert event.check_in_code not in content
    assert "我的签到凭证" in content
    svg = re.search(r'<svg[^>]*class="qr-code".*?</svg>', content, re.S).group(0)
    expected = "http://testserver" + reverse(
        "activities:event_pass", args=[services.pass_token(registration)]
    )
    assert decode(svg_matrix(svg)) == [expected]


def test_someone_on_the_waiting_list_gets_no_pass(client, member):
    event = EventFactory(capacity=0)
    services.register(event=event, person=member.person)
    client.force_login(member)

    content = client.get(event.get_absolute_url()).content.decode()

    assert "我的签到凭证" not in content and event.check_in_code not in content


def test_staff_scan_a_pass_and_check_the_person_in(client, secretary, event):
    registration = RegistrationFactory(event=event, person=PersonFactory(name="王小明"))
    url = reverse("activities:event_pass", args=[services.pass_token(registration)])
    client.force_login(secretary)

    assert "王小明" in page(client.get(url)) and "立即签到" in page(client.get(url))
    response = client.post(url, follow=True)

    assert "王小明已签到。" in page(response)
    assert response.redirect_chain[-1][0] == reverse("activities:event_door", args=[event.pk])
    registration.refresh_from_db()
    assert registration.checked_in_at is not None and registration.checked_in_by == secretary


def test_the_desk_takes_a_scanned_address_or_a_typed_code(client, secretary, event):
    registration = RegistrationFactory(event=event)
    token = services.pass_token(registration)
    door = reverse("activities:event_door", args=[event.pk])
    client.force_login(secretary)

    for code in (token, f"https://chamber.example/events/pass/{token}/"):
        response = client.post(door, {"code": code})
        assert response["Location"] == reverse("activities:event_pass", args=[token])
    assert "这不是有效的签到凭证" in page(client.post(door, {"code": "12:forged"}))
    other = RegistrationFactory()
    response = client.post(door, {"code": services.pass_token(other)})
    assert "这是其他活动的签到凭证" in page(response)


def test_a_pass_is_the_persons_alone(client, member, other_leader, event):
    registration = services.register(event=EventFactory(), person=member.person)
    url = reverse("activities:event_pass", args=[services.pass_token(registration)])

    client.force_login(other_leader)
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    client.force_login(member)
    response = client.get(url)
    assert response.status_code == 200 and 'class="qr-code"' in page(response)
    assert client.post(url).status_code == 403
    registration.refresh_from_db()
    assert registration.checked_in_at is None


def test_staff_find_and_check_in_a_walk_in(client, secretary, event):
    event.capacity = 0
    event.save()
    walk_in = PersonFactory(name="李临时")
    door = reverse("activities:event_door", args=[event.pk])
    client.force_login(secretary)

    assert "李临时" in page(client.get(door, {"q": "李临"}))
    response = client.post(door, {"person": walk_in.pk}, follow=True)

    assert "李临时已签到。" in page(response)
    registration = Registration.objects.get(event=event, person=walk_in)
    assert registration.status == Status.REGISTERED and registration.checked_in_by == secretary
    assert "请从列表中选择" in page(client.post(door, {"person": "abc"}, follow=True))


@pytest.mark.parametrize("persona", ["president", "supervisor", "leader", "member"])
def test_only_the_secretariat_runs_the_door(client, persona, request, event):
    client.force_login(request.getfixturevalue(persona))
    door = reverse("activities:event_door", args=[event.pk])
    assert client.get(door).status_code == 403
    assert client.post(door, {"person": PersonFactory().pk}).status_code == 403
    assert not Registration.objects.exists()


def test_check_in_attempts_are_limited(client, member, event):
    wrong = reverse("activities:event_check_in", args=[event.pk, "guessed"])
    client.force_login(member)

    statuses = [client.post(wrong).status_code for _ in range(21)]

    assert statuses[:20] == [404] * 20 and statuses[20] == 429
    assert "签到尝试次数过多" in client.get(wrong).content.decode()


def test_a_bad_attendance_tick_is_a_form_error_not_a_500(client, secretary, event):
    url = reverse("activities:event_attendance", args=[event.pk])
    client.force_login(secretary)

    response = client.post(url, {"registration": "abc", "present": "1"}, follow=True)

    assert response.status_code == 200
    assert "该报名不在本活动的名单上。" in page(response)
    response = client.post(url, {"registration": "99999999999999999999", "present": "1"})
    assert response.status_code == 302
