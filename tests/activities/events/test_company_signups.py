"""A member company signs up colleagues and guests: within its share and the event's places;
guests are checked in at the desk without an account and count in attendance."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.events import company_signups, services
from activities.events.services import SignUpError
from activities.models import Registration
from tests.factories import PersonFactory

from .factories import EventFactory

pytestmark = pytest.mark.django_db


def sign_up(event, member, **kwargs):
    return company_signups.register_for_company(
        event=event, company=member.person.company, acting_user=member, **kwargs
    )


def test_a_member_signs_up_a_colleague_and_a_guest(client, member):
    company = member.person.company
    colleague = PersonFactory(company=company, name="王小青")
    event = EventFactory(places_per_company=3, capacity=50)
    client.force_login(member)
    url = reverse("activities:event_company_register", args=[event.pk])
    client.post(url, {"colleague": colleague.pk})
    client.post(url, {"guest_name": "李老师", "guest_mobile": "139 0000 1111"})
    registrations = Registration.objects.filter(event=event).select_related("person")
    assert {(r.person.name, r.is_guest, r.company_id) for r in registrations} == {
        ("王小青", False, company.pk),
        ("李老师", True, company.pk),
    }
    guest = registrations.get(is_guest=True).person
    assert (guest.company, guest.mobile) == (None, "13900001111")
    html = client.get(event.get_absolute_url()).content.decode()
    assert "王小青" in html and "李老师" in html


def test_the_companys_share_holds_and_its_own_sign_ups_count(member):
    event = EventFactory(places_per_company=2)
    services.register(event=event, person=member.person, acting_user=member)
    sign_up(event, member, guest_name="来宾甲", guest_mobile="13900001111")
    with pytest.raises(SignUpError) as refused:
        sign_up(event, member, guest_name="来宾乙", guest_mobile="13900002222")
    assert refused.value.code == "company_full"
    colleague = PersonFactory(company=member.person.company)
    with pytest.raises(SignUpError):
        services.register(event=event, person=colleague)  # signing up oneself counts too
    assert Registration.objects.filter(event=event).count() == 2


def test_the_events_places_hold_and_the_rest_wait(member):
    event = EventFactory(places_per_company=5, capacity=2)
    services.register(event=event, person=PersonFactory())
    first = sign_up(event, member, guest_name="来宾甲", guest_mobile="13900001111")
    second = sign_up(event, member, guest_name="来宾乙", guest_mobile="13900002222")
    assert (first.status, second.status) == ("registered", "waitlisted")


def test_an_event_without_company_places_takes_none(member):
    event = EventFactory()
    with pytest.raises(SignUpError) as refused:
        sign_up(event, member, guest_name="来宾甲", guest_mobile="13900001111")
    assert refused.value.code == "no_company_places"


@pytest.mark.parametrize(
    "guest",
    [
        {"guest_name": "", "guest_mobile": "13900001111"},
        {"guest_name": "甲", "guest_mobile": "123"},
    ],
)
def test_a_guest_needs_a_name_and_a_mobile(member, guest):
    with pytest.raises(SignUpError):
        sign_up(EventFactory(places_per_company=3), member, **guest)
    assert not Registration.objects.exists()


def test_another_companys_person_cannot_be_signed_up_as_a_colleague(client, member):
    event = EventFactory(places_per_company=3)
    stranger = PersonFactory()
    with pytest.raises(SignUpError):
        sign_up(event, member, colleague=stranger)
    client.force_login(member)
    client.post(
        reverse("activities:event_company_register", args=[event.pk]), {"colleague": stranger.pk}
    )
    assert not Registration.objects.exists()


def test_a_member_cancels_only_their_companys_sign_ups(client, member):
    event = EventFactory(places_per_company=3)
    own = sign_up(event, member, guest_name="来宾甲", guest_mobile="13900001111")
    other = services.register(event=event, person=PersonFactory())
    client.force_login(member)
    cancel = "activities:event_company_cancel"
    assert client.post(reverse(cancel, args=[event.pk, other.pk])).status_code == 404
    client.post(reverse(cancel, args=[event.pk, own.pk]))
    own.refresh_from_db()
    other.refresh_from_db()
    assert (own.status, other.status) == ("cancelled", "registered")


def test_staff_check_a_guest_in_at_the_desk_and_attendance_counts_them(client, member, secretary):
    now = timezone.now()
    event = EventFactory(
        places_per_company=3,
        starts_at=now - datetime.timedelta(minutes=10),
        ends_at=now + datetime.timedelta(hours=2),
    )
    guest = company_signups.register_for_company(
        event=event,
        company=member.person.company,
        acting_user=member,
        guest_name="李老师",
        guest_mobile="13900001111",
        now=now - datetime.timedelta(days=1),
    )
    client.force_login(secretary)
    door = reverse("activities:event_door", args=[event.pk])
    assert "李老师" in client.get(door, {"q": "李老师"}).content.decode()
    client.post(door, {"person": guest.person.pk})
    guest.refresh_from_db()
    assert guest.checked_in_at is not None and guest.checked_in_by == secretary
    assert Registration.objects.attended().filter(event=event).count() == 1
    year = timezone.localdate(event.starts_at).year
    response = client.get(reverse("activities:participation") + f"?year={year}")
    (row,) = [
        c for c in response.context["companies"] if c["for_company"] == member.person.company_id
    ]
    assert (row["signed_up"], row["attendances"]) == (1, 1)
