"""Events in phones' calendars: valid iCalendar, in Shanghai time, with what each may see."""

import datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from activities.events import feeds as events_feeds
from activities.events import services
from activities.models import CalendarFeed, Event, Registration
from chamber.models import SECRETARIAT_GROUP

from .factories import EventFactory, RegistrationFactory, in_days

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


@pytest.fixture
def next_week():
    """An event inside every feed's window."""
    return EventFactory(
        title="下周的政策宣讲会", starts_at=in_days(7, hour=9), ends_at=in_days(7, hour=11)
    )


def titles_in(response) -> list[str]:
    return [str(event["SUMMARY"]) for event in vevents(parse(response))]


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


def test_a_cancelled_event_stays_in_the_feed_marked_cancelled(client, member, next_week):
    services.cancel_event(event=next_week)
    response = client.get(feed_url(member))
    (event,) = vevents(parse(response))
    assert event["STATUS"] == "CANCELLED"
    assert event["SEQUENCE"] == 1


def test_the_feed_needs_no_login_but_its_secret(client, member, next_week):
    response = client.get(feed_url(member))
    assert titles_in(response) == ["下周的政策宣讲会"]
    assert response["Cache-Control"].startswith("max-age=0")
    assert (
        client.get(reverse("activities:calendar_feed", args=["not-the-secret"])).status_code == 404
    )


def test_a_reset_secret_ends_the_old_address(client, member, next_week):
    old = feed_url(member)
    client.force_login(member)
    response = client.post(reverse("activities:calendar_feed_reset"), {"next": "/me/"})
    assert response.status_code == 302 and response["Location"] == "/me/#calendar-feed"
    client.logout()
    assert client.get(old).status_code == 404
    new = reverse("activities:calendar_feed", args=[CalendarFeed.objects.get(user=member).token])
    assert new != old
    assert client.get(new).status_code == 200


def test_a_deactivated_accounts_feed_stops(client, member, next_week):
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


def test_the_feed_holds_events_from_90_days_ago_to_a_year_ahead(client, member):
    for title, days in [
        ("百日之前", -100),
        ("八十天前", -80),
        ("昨天", -1),
        ("三百天后", 300),
        ("四百天后", 400),
    ]:
        EventFactory(title=title, starts_at=in_days(days), ends_at=in_days(days, hour=16))
    assert titles_in(client.get(feed_url(member))) == ["八十天前", "昨天", "三百天后"]


def test_a_full_feed_keeps_my_sign_ups_then_the_coming_events_then_the_latest_past(
    client, member, monkeypatch
):
    monkeypatch.setattr(events_feeds, "FEED_LIMIT", 4)
    for title, days in [
        ("上月的活动", -30),
        ("上周的活动", -7),
        ("明天的活动", 1),
        ("后天的活动", 2),
        ("下月的活动", 30),
        ("两月后的活动", 60),
    ]:
        EventFactory(title=title, starts_at=in_days(days), ends_at=in_days(days, hour=16))
    mine = EventFactory(title="半年后我报名的活动", starts_at=in_days(180))
    RegistrationFactory(event=mine, person=member.person)
    cancelled = EventFactory(title="我已取消报名的活动", starts_at=in_days(200))
    RegistrationFactory(event=cancelled, person=member.person, status="cancelled")

    # In date order: my sign-up, then the three nearest coming events; the rest left out.
    assert titles_in(client.get(feed_url(member))) == [
        "明天的活动",
        "后天的活动",
        "下月的活动",
        "半年后我报名的活动",
    ]

    # The feed is kept in the shared cache; a new limit comes with a new release, which
    # starts afresh.
    cache.clear()
    monkeypatch.setattr(events_feeds, "FEED_LIMIT", 8)
    assert titles_in(client.get(feed_url(member))) == [
        "上月的活动",
        "上周的活动",
        "明天的活动",
        "后天的活动",
        "下月的活动",
        "两月后的活动",
        "半年后我报名的活动",
        "我已取消报名的活动",
    ]

    cache.clear()
    monkeypatch.setattr(events_feeds, "FEED_LIMIT", 7)
    # The past events fill what is left, the latest first.
    assert "上周的活动" in titles_in(client.get(feed_url(member)))
    assert "上月的活动" not in titles_in(client.get(feed_url(member)))


@pytest.mark.parametrize("count", [5, 600])
def test_the_feed_costs_the_same_queries_for_5_or_600_events_and_holds_200_at_most(
    client, member, count, django_assert_num_queries, django_assert_max_num_queries
):
    events = Event.objects.bulk_create(
        EventFactory.build(
            title=f"活动{n}",
            starts_at=in_days(1 + n % 200, hour=9),
            ends_at=in_days(1 + n % 200, hour=11),
        )
        for n in range(count)
    )
    Registration.objects.bulk_create(
        Registration(event=event, person=member.person) for event in events[::7]
    )
    url = feed_url(member)
    # The token with the account and its roles (groups, person, titles) in one query, and the
    # events: my sign-ups, those from today on, the earlier ones; then the feed is kept.
    with django_assert_max_num_queries(12):
        response = client.get(url)
    # Then the token with the account and its roles, and the feed kept in the shared cache.
    with django_assert_num_queries(2):
        assert client.get(url).content == response.content
    assert response.status_code == 200
    assert events_feeds.FEED_LIMIT == 200
    assert len(vevents(parse(response))) == {5: 5, 600: 200}[count]
    assert len(response.content) < 150_000  # the pages' bar, the reason for the cap


def test_text_is_escaped_and_folded_as_icalendar_reads_it(client, member):
    tricky = {
        "title": "讲座：税收、社保; 政策,解读 \\ 第1期 🎉" * 3,
        "venue": "徐泾镇商会会议室（二楼）, 东侧;门",
        "description": "第一行\n第二行\r\n第三行：逗号, 分号; 反斜杠 \\ 结束。" + "长" * 100 + "🎉",
        "organisers": "徐泾镇商会",
        "partners": "经发办, 社区事务受理中心",
    }
    event = EventFactory(starts_at=in_days(3), ends_at=in_days(3, hour=16), **tricky)
    content = client.get(feed_url(member)).content
    assert all(len(line) <= 75 for line in content.split(b"\r\n"))
    content.decode("utf-8")  # no character split by the folding
    (item,) = vevents(icalendar.Calendar.from_ical(content))
    assert str(item["SUMMARY"]) == tricky["title"]
    assert str(item["LOCATION"]) == tricky["venue"]
    description = str(item["DESCRIPTION"])
    assert description.startswith(tricky["description"].replace("\r\n", "\n"))
    assert "主办：徐泾镇商会" in description and "协办：经发办, 社区事务受理中心" in description
    assert description.endswith(event.get_absolute_url())
    assert str(item["URL"]).endswith(event.get_absolute_url())
    assert item["UID"] == f"event-{event.pk}@127.0.0.1"
    assert item["CATEGORIES"].cats == ["政策宣讲"]
    assert item.decoded("DTSTART") == event.starts_at
    assert item.decoded("DTEND") == event.ends_at
    assert item.decoded("LAST-MODIFIED") == event.updated_at.replace(microsecond=0)
    assert item.decoded("CREATED") == event.created_at.replace(microsecond=0)


def test_the_subscription_box_says_what_the_feed_holds(client, member):
    services.feed_for(member)
    client.force_login(member)
    content = client.get(reverse("members:me")).content.decode()
    assert "90 天前至一年后" in content and "200" in content


def test_an_event_someone_may_not_see_has_no_ics_for_them(client, member):
    event = EventFactory(audience=Event.Audience.LEADERSHIP)
    client.force_login(member)
    assert client.get(reverse("activities:event_ics", args=[event.pk])).status_code == 404


def test_the_feed_carries_a_new_event_a_change_and_a_sign_up_at_once(client, member, next_week):
    """The feed is kept in the shared cache: each change shows on the next read."""
    assert titles_in(client.get(feed_url(member))) == ["下周的政策宣讲会"]

    next_week.title = "下周的税收政策宣讲会"
    next_week.save()
    party = EventFactory(title="年末联谊会", starts_at=in_days(20), ends_at=in_days(20, hour=20))
    assert titles_in(client.get(feed_url(member))) == ["下周的税收政策宣讲会", "年末联谊会"]

    services.cancel_event(event=party)
    statuses = [str(event["STATUS"]) for event in vevents(parse(client.get(feed_url(member))))]
    assert statuses == ["CONFIRMED", "CANCELLED"]


def test_a_feed_is_never_another_persons(client, member, leader):
    """Two people's feeds are kept apart: what one may see, the other may not."""
    EventFactory(
        title="领导班子务虚会",
        audience=Event.Audience.LEADERSHIP,
        starts_at=in_days(5),
        ends_at=in_days(5, hour=16),
    )
    assert titles_in(client.get(feed_url(leader))) == ["领导班子务虚会"]
    assert titles_in(client.get(feed_url(member))) == []


def test_what_the_owner_may_see_is_read_afresh_with_the_token(client, member):
    """The account's roles come with the token (one query), never from the kept feed: joining
    the secretariat or leaving the company changes the feed on the next read."""
    for audience in (Event.Audience.MEMBERS, Event.Audience.STAFF):
        EventFactory(title=audience, audience=audience)
    url = feed_url(member)
    assert titles_in(client.get(url)) == ["members"]

    member.groups.add(Group.objects.get_or_create(name=SECRETARIAT_GROUP)[0])
    assert sorted(titles_in(client.get(url))) == ["members", "staff"]

    member.groups.clear()
    member.person.left_on = timezone.localdate()
    member.person.save()
    assert titles_in(client.get(url)) == []
