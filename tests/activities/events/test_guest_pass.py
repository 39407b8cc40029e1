"""A guest signed up by a member company has no account: their pass is a page of their own,
reached by a signed link the company's contact sees and the guest is texted; staff check them
in from it (a scan, or its code typed at the door)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.events import company_signups, guest_passes
from activities.models import Registration
from core.notifications.models import Delivery, Message

from .factories import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sms(settings):
    settings.NOTIFY_SMS_TO_CONSOLE = True  # SMS goes out (to the console) as with a provider


def guest_of(member, event, **kwargs):
    return company_signups.register_for_company(
        event=event,
        company=member.person.company,
        acting_user=member,
        guest_name="李老师",
        guest_mobile="13900001111",
        **kwargs,
    )


def test_the_contact_signs_up_a_guest_who_is_texted_their_pass_once(client, member, sms):
    event = EventFactory(places_per_company=3, title="健康讲座")
    client.force_login(member)
    url = reverse("activities:event_company_register", args=[event.pk])

    client.post(url, {"guest_name": "李老师", "guest_mobile": "139 0000 1111"})

    registration = Registration.objects.get(event=event, is_guest=True)
    pass_path = reverse(
        "activities:event_guest_pass", args=[guest_passes.guest_pass_token(registration)]
    )
    message = Message.objects.get(kind="guest_pass")
    assert message.user is None and message.recipient == "李老师"
    assert message.url.endswith(pass_path)
    sms_sent = Delivery.objects.get(message=message, channel="sms")
    assert sms_sent.address == "13900001111"
    assert sms_sent.payload["params"]["url"].endswith(pass_path)
    assert sms_sent.payload["params"]["title"] == "健康讲座"
    # The contact sees the link beside the guest, to forward it.
    assert pass_path in client.get(event.get_absolute_url()).content.decode()
    # Told once, whatever the repeats.
    guest_passes.send_guest_pass(registration)
    assert Message.objects.filter(kind="guest_pass").count() == 1


def test_the_guest_opens_their_pass_without_an_account_and_sees_nothing_else(client, member):
    event = EventFactory(places_per_company=3, title="健康讲座", venue="镇商会三楼")
    registration = guest_of(member, event)
    token = guest_passes.guest_pass_token(registration)

    response = client.get(reverse("activities:event_guest_pass", args=[token]))
    html = response.content.decode()

    assert response.status_code == 200
    assert "来宾入场凭证" in html and "健康讲座" in html and "镇商会三楼" in html
    assert "李老师" in html and member.person.company.name in html
    assert token in html and "<svg" in html
    assert "13900001111" not in html and member.person.name not in html
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.parametrize("wrong", ["1-000000000000", "abc", "99999-0a1b2c3d4e5f"])
def test_a_wrong_or_forged_code_finds_nothing(client, member, wrong):
    registration = guest_of(member, EventFactory(places_per_company=3))
    forged = f"{registration.pk}-{'0' * 12}"
    for token in (wrong, forged):
        assert client.get(reverse("activities:event_guest_pass", args=[token])).status_code == 404


def test_a_colleagues_or_cancelled_sign_up_has_no_guest_pass(client, member):
    event = EventFactory(places_per_company=3)
    own = company_signups.register_for_company(
        event=event, company=member.person.company, acting_user=member, colleague=member.person
    )
    guest = guest_of(member, event)
    Registration.objects.filter(pk=guest.pk).update(status="cancelled")
    for registration in (own, guest):
        token = guest_passes.guest_pass_token(registration)
        assert client.get(reverse("activities:event_guest_pass", args=[token])).status_code == 404


def test_staff_check_the_guest_in_from_the_code_typed_at_the_door(client, member, secretary):
    now = timezone.now()
    event = EventFactory(
        places_per_company=3,
        starts_at=now - datetime.timedelta(minutes=10),
        ends_at=now + datetime.timedelta(hours=2),
    )
    registration = guest_of(member, event, now=now - datetime.timedelta(days=1))
    code = guest_passes.guest_pass_token(registration)
    client.force_login(secretary)

    found = client.post(reverse("activities:event_door", args=[event.pk]), {"code": code})
    assert found.status_code == 302
    checked = client.post(found["Location"])

    assert checked.status_code == 302
    registration.refresh_from_db()
    assert registration.checked_in_at is not None and registration.checked_in_by == secretary
    client.logout()
    page = client.get(reverse("activities:event_guest_pass", args=[code])).content.decode()
    assert 'class="check-in-done"' in page and "<svg" not in page


def test_someone_without_staff_rights_cannot_check_a_guest_in_with_the_scanned_link(client, member):
    now = timezone.now()
    event = EventFactory(
        places_per_company=3,
        starts_at=now - datetime.timedelta(minutes=10),
        ends_at=now + datetime.timedelta(hours=2),
    )
    registration = guest_of(member, event, now=now - datetime.timedelta(days=1))
    from activities.events.services import pass_token

    scanned = reverse("activities:event_pass", args=[pass_token(registration)])
    assert client.get(scanned).status_code == 302  # to the login: a guest has no account
    client.force_login(member)
    assert client.post(scanned).status_code == 404
    registration.refresh_from_db()
    assert registration.checked_in_at is None


def test_a_guest_moved_up_from_the_waiting_list_is_texted_their_pass(
    member, sms, django_capture_on_commit_callbacks
):
    from activities.events import services

    event = EventFactory(places_per_company=5, capacity=1)
    first = guest_of(member, event)
    second = company_signups.register_for_company(
        event=event,
        company=member.person.company,
        acting_user=member,
        guest_name="王来宾",
        guest_mobile="13900002222",
    )
    assert second.status == "waitlisted"

    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(registration=first, acting_user=member)

    second.refresh_from_db()
    assert second.status == "registered"
    message = Message.objects.get(kind="guest_pass")
    assert message.recipient == "王来宾"


def test_the_guest_pass_costs_one_query(client, member, django_assert_max_num_queries):
    registration = guest_of(member, EventFactory(places_per_company=3))
    url = reverse("activities:event_guest_pass", args=[guest_passes.guest_pass_token(registration)])
    with django_assert_max_num_queries(1):
        assert client.get(url).status_code == 200
