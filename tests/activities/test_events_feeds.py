"""Events in phones' calendars: valid iCalendar, in Shanghai time, with what each may see."""

import datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.urls import reverse

from activities import events_services as services
from activities.models import CalendarFeed, Event

from .events_factories import EventFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


def parse(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def vevents(calendar):
    return [component for component in calendar.walk("VEVENT")]


def feed_url(user, query=""):
    return reverse("activities:calendar_feed", args=[services.feed_for(user).token]) + query


@pytest.fixture
def briefing():
    return EventFactory(
        title="银行行长政策宣讲会",
        starts_at=datetime.datetime(2030, 3, 5, 9, 30, tzinfo=SHANGHAI),
        ends_at=datetime.datetime(2030, 3, 5, 11, 30, tzinfo=SHANGHAI),
        venue="徐泾镇商会会议室",
    )


def test_an_events_ics_is_valid_icalendar_in_shanghai_time(client, member, briefing):
    client.force_login(member)
    response = client.get(reverse("activities:event_ics", args=[briefing.pk]))

    assert 'filename="event-' in response["Content-Disposition"]
    calendar = parse(response)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    (event,) = vevents(calendar)
    assert event["SUMMARY"] == "银行行长政策宣讲会"
    assert event["LOCATION"] == "徐泾镇商会会议室"
    # The times carry the Asia/Shanghai zone, defined by a VTIMEZONE in the file.
    start = event.decoded("DTSTART")
    assert start == datetime.datetime(2030, 3, 5, 9, 30, tzinfo=SHANGHAI)
    assert str(start.tzinfo) == "Asia/Shanghai"
    assert event["DTSTART"].params["TZID"] == "Asia/Shanghai"
    assert b"DTSTART;TZID=Asia/Shanghai:20300305T093000" in response.content
    assert b"DTEND;TZID=Asia/Shanghai:20300305T113000" in response.content
    (zone,) = calendar.walk("VTIMEZONE")
    assert zone["TZID"] == "Asia/Shanghai"
    assert event.decoded("DTSTART").astimezone(datetime.UTC).hour == 1
    for required in ("UID", "DTSTAMP", "SEQUENCE", "LAST-MODIFIED", "STATUS"):
        assert required in event
    assert event["STATUS"] == "CONFIRMED"
    assert briefing.get_absolute_url() in event["URL"]


def test_every_line_is_folded_and_ends_with_crlf(client, member, briefing):
    briefing.description = "政策解读。" * 80
    briefing.save()
    client.force_login(member)
    content = client.get(reverse("activities:event_ics", args=[briefing.pk])).content
    lines = content.split(b"\r\n")
    assert lines[-1] == b""
    assert all(len(line) <= 75 for line in lines)
    assert b"\n" not in content.replace(b"\r\n", b"")


def test_uid_stays_and_sequence_rises_when_the_event_changes(client, member, briefing, secretary):
    client.force_login(member)
    url = reverse("activities:event_ics", args=[briefing.pk])
    before = vevents(parse(client.get(url)))[0]

    services.event_changed(briefing, ["starts_at"])
    briefing.starts_at += datetime.timedelta(hours=1)
    briefing.save()
    after = vevents(parse(client.get(url)))[0]

    assert after["UID"] == before["UID"]
    assert after["SEQUENCE"] == before["SEQUENCE"] + 1
    assert after.decoded("LAST-MODIFIED") >= before.decoded("LAST-MODIFIED")
    assert after.decoded("DTSTART").hour == 10


def test_a_cancelled_event_stays_in_the_feed_marked_cancelled(client, member, briefing):
    services.cancel_event(event=briefing)
    response = client.get(feed_url(member))
    (event,) = vevents(parse(response))
    assert event["STATUS"] == "CANCELLED"
    assert event["SEQUENCE"] == 1


def test_the_feed_needs_no_login_but_its_secret(client, member, briefing):
    response = client.get(feed_url(member))
    assert [str(e["SUMMARY"]) for e in vevents(parse(response))] == ["银行行长政策宣讲会"]
    assert response["Cache-Control"].startswith("max-age=0")
    assert (
        client.get(reverse("activities:calendar_feed", args=["not-the-secret"])).status_code == 404
    )


def test_a_reset_secret_ends_the_old_address(client, member, briefing):
    old = feed_url(member)
    client.force_login(member)
    response = client.post(reverse("activities:calendar_feed_reset"), {"next": "/me/"})
    assert response.status_code == 302 and response["Location"] == "/me/#calendar-feed"
    client.logout()
    assert client.get(old).status_code == 404
    new = reverse("activities:calendar_feed", args=[CalendarFeed.objects.get(user=member).token])
    assert new != old
    assert client.get(new).status_code == 200


def test_a_deactivated_accounts_feed_stops(client, member, briefing):
    url = feed_url(member)
    member.is_active = False
    member.save()
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "persona, expected",
    [
        ("member", {"members"}),
        ("leader", {"members", "leadership"}),
        ("president", {"members", "leadership"}),
        ("supervisor", {"members", "leadership"}),
        ("secretary", {"members", "leadership", "staff"}),
        ("outsider", set()),
    ],
)
def test_the_feed_carries_only_what_its_owner_may_see(client, request, persona, expected):
    for audience in Event.Audience.values:
        EventFactory(title=audience, audience=audience)
    user = request.getfixturevalue(persona)
    titles = {str(e["SUMMARY"]) for e in vevents(parse(client.get(feed_url(user))))}
    assert titles == expected


def test_the_feed_can_carry_only_some_types(client, member):
    EventFactory(title="党课", kind=Event.Kind.PARTY)
    EventFactory(title="宣讲", kind=Event.Kind.POLICY)
    EventFactory(title="体检", kind=Event.Kind.HEALTH)

    def titles(query):
        return {str(e["SUMMARY"]) for e in vevents(parse(client.get(feed_url(member, query))))}

    assert titles("?types=party,health") == {"党课", "体检"}
    assert titles("?types=party&types=policy") == {"党课", "宣讲"}
    assert titles("?types=nonsense") == {"党课", "宣讲", "体检"}


def test_the_feed_leaves_out_events_long_past(client, member):
    EventFactory(
        title="去年的活动",
        starts_at=datetime.datetime(2020, 3, 5, 9, 30, tzinfo=SHANGHAI),
        ends_at=datetime.datetime(2020, 3, 5, 11, 30, tzinfo=SHANGHAI),
    )
    EventFactory(title="下周的活动")
    titles = {str(e["SUMMARY"]) for e in vevents(parse(client.get(feed_url(member))))}
    assert titles == {"下周的活动"}


@pytest.mark.parametrize("count", [5, 500])
def test_the_feed_costs_the_same_queries_for_5_or_500_events(
    client, member, count, django_assert_num_queries
):
    Event.objects.bulk_create(
        EventFactory.build(
            title=f"活动{n}",
            starts_at=datetime.datetime(2030, 3, 1 + n % 28, 9, tzinfo=SHANGHAI),
            ends_at=datetime.datetime(2030, 3, 1 + n % 28, 11, tzinfo=SHANGHAI),
        )
        for n in range(count)
    )
    url = feed_url(member)
    # The token, and the account's roles (groups, person, positions), and the events.
    with django_assert_num_queries(5):
        response = client.get(url)
    assert len(vevents(parse(response))) == count


def test_an_event_someone_may_not_see_has_no_ics_for_them(client, member):
    event = EventFactory(audience=Event.Audience.LEADERSHIP)
    client.force_login(member)
    assert client.get(reverse("activities:event_ics", args=[event.pk])).status_code == 404
