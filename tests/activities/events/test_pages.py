"""The calendar, an event's page, check-in, attendance, meetings and the home and /me/ parts."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import zxingcpp
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from activities.events import services
from activities.models import CalendarFeed, Event, EventPhoto, Registration
from tests.factories import CompanyFactory, PersonFactory, UserFactory

from .factories import EventFactory, RegistrationFactory, TalkFactory, in_days

SHANGHAI = ZoneInfo("Asia/Shanghai")
Status = Registration.Status
pytestmark = pytest.mark.django_db


def at(year, month, day, hour=14):
    return datetime.datetime(year, month, day, hour, tzinfo=SHANGHAI)


def calendar_url(query=""):
    return reverse("activities:calendar") + query


# The month grid --------------------------------------------------------------------------


def test_the_month_grid_starts_on_monday_with_chinese_weekday_names(client, member):
    EventFactory(title="法律服务咨询日", starts_at=at(2026, 11, 5), ends_at=at(2026, 11, 5, 16))
    client.force_login(member)
    response = client.get(calendar_url("?month=2026-11"))

    content = response.content.decode()
    assert response.status_code == 200
    names = re.findall(r'<th scope="col"[^>]*>(.+?)</th>', content)
    assert names == ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]
    weeks = response.context["weeks"]
    # November 2026 begins on a Sunday: the grid starts on Monday 26 October.
    assert weeks[0][0].date == datetime.date(2026, 10, 26)
    assert all(week[0].date.weekday() == 0 for week in weeks)
    assert "2026年11月" in content
    assert "法律服务咨询日" in content
    assert "?month=2026-10" in content and "?month=2026-12" in content


def test_today_is_marked(client, member):
    client.force_login(member)
    response = client.get(calendar_url())
    today = [day for week in response.context["weeks"] for day in week if day.is_today]
    assert [day.date for day in today] == [timezone.localdate()]
    assert 'aria-current="date"' in response.content.decode()


@pytest.mark.dates
def test_events_are_coloured_by_type_with_a_legend(client, member):
    event = EventFactory(
        kind=Event.Kind.PARTY,
        starts_at=in_days(1),
        ends_at=in_days(1) + datetime.timedelta(hours=1),
    )
    client.force_login(member)
    # Tomorrow's month: on the last day of a month that ends on a Sunday, this month's grid
    # stops today.
    month = f"?month={timezone.localtime(event.starts_at):%Y-%m}"
    content = client.get(calendar_url(month)).content.decode()
    assert 'class="event-chip kind-party' in content
    for label in ("党建/红色课堂", "政策宣讲", "季度例会暨经验分享会", "环保志愿"):
        assert label in content


def test_the_calendar_filters_by_type(client, member):
    EventFactory(
        title="红色课堂",
        kind=Event.Kind.PARTY,
        starts_at=at(2026, 11, 5),
        ends_at=at(2026, 11, 5, 16),
    )
    EventFactory(
        title="健康讲座",
        kind=Event.Kind.HEALTH,
        starts_at=at(2026, 11, 6),
        ends_at=at(2026, 11, 6, 16),
    )
    client.force_login(member)
    response = client.get(calendar_url("?month=2026-11&type=health"))
    content = response.content.decode()
    assert "健康讲座" in content and "红星课堂第三讲" not in content
    assert "?month=2026-12&amp;type=health" in content


def test_filtering_by_one_type_shows_its_events_and_hides_the_others(client, member):
    """Two events of different types in next month: each type's filter shows its own event
    and not the other, in the grid, in the month's count and in a day's list."""
    first = (timezone.localdate().replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    day = first + datetime.timedelta(days=9)
    starts = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    EventFactory(
        title="七一主题党日活动",
        kind=Event.Kind.PARTY,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
    )
    EventFactory(
        title="夏季养生健康讲座",
        kind=Event.Kind.HEALTH,
        starts_at=starts + datetime.timedelta(hours=4),
        ends_at=starts + datetime.timedelta(hours=6),
    )
    client.force_login(member)
    month = f"?month={first:%Y-%m}"

    unfiltered = client.get(calendar_url(month))
    content = unfiltered.content.decode()
    assert "七一主题党日活动" in content and "夏季养生健康讲座" in content
    assert unfiltered.context["event_count"] == 2

    for kind, shown, hidden in [
        ("party", "七一主题党日活动", "夏季养生健康讲座"),
        ("health", "夏季养生健康讲座", "七一主题党日活动"),
    ]:
        response = client.get(calendar_url(f"{month}&type={kind}"))
        content = response.content.decode()
        assert shown in content and hidden not in content, kind
        assert response.context["event_count"] == 1
        assert response.context["types"] == [kind]
        titles = [
            event.title for week in response.context["weeks"] for d in week for event in d.events
        ]
        assert titles == [shown]

        day_list = client.get(calendar_url(f"?day={day.isoformat()}&type={kind}"))
        assert [event.title for event in day_list.context["events"]] == [shown]


def test_a_month_that_is_not_one_shows_this_month_with_a_message(client, member):
    client.force_login(member)
    response = client.get(calendar_url("?month=2026-13"), follow=True)
    assert response.status_code == 200
    assert response.context["month"] == timezone.localdate().replace(day=1)
    assert "请按年-月填写月份，例如 2026-11。" in response.content.decode()


def test_an_event_over_several_days_is_on_each(client, member):
    EventFactory(title="进博会志愿服务", starts_at=at(2026, 11, 5, 9), ends_at=at(2026, 11, 7, 17))
    client.force_login(member)
    response = client.get(calendar_url("?month=2026-11"))
    days = [
        day.date.day
        for week in response.context["weeks"]
        for day in week
        if any(event.title == "进博会志愿服务" for event in day.events)
    ]
    assert days == [5, 6, 7]


def test_the_phone_list_holds_the_days_with_events(client, member):
    EventFactory(title="法律服务咨询日", starts_at=at(2026, 11, 5), ends_at=at(2026, 11, 5, 16))
    client.force_login(member)
    response = client.get(calendar_url("?month=2026-11"))
    assert [day.date for day in response.context["month_days"]] == [datetime.date(2026, 11, 5)]
    assert 'id="day-2026-11-05"' in response.content.decode()


@pytest.mark.parametrize("count", [5, 500])
def test_the_calendar_costs_the_same_queries_for_5_or_500_events(
    client, member, count, django_assert_num_queries, django_assert_max_num_queries
):
    events = Event.objects.bulk_create(
        EventFactory.build(
            title=f"活动{n}",
            capacity=10,
            starts_at=at(2026, 11, 1 + n % 30, 9),
            ends_at=at(2026, 11, 1 + n % 30, 11),
        )
        for n in range(count)
    )
    Registration.objects.bulk_create(
        Registration(event=event, person=member.person) for event in events[::2]
    )
    client.force_login(member)
    # The first request renders the month (the events per day, the numbers of those shown,
    # those events) and keeps it in the shared cache; the next reads it: session, account
    # with person, company and roles, the viewer's own sign-ups that month, the cached month.
    with django_assert_max_num_queries(15):
        response = client.get(calendar_url("?month=2026-11"))
    with django_assert_num_queries(4):
        again = client.get(calendar_url("?month=2026-11")).content.decode()
    grid = re.compile(r'<table class="month-grid">.*?</table>', re.S)
    assert grid.search(again).group() == grid.search(response.content.decode()).group()
    assert response.context["event_count"] == count
    days = [day for week in response.context["weeks"] for day in week if day.in_month]
    assert sum(day.count for day in days) == count
    assert all(len(day.events) == min(day.count, 3) for day in days)
    # Each chip in the grid and each card on the phone list: 3 a day at most.
    content = response.content.decode()
    assert content.count('class="event-chip ') == content.count('class="event-card ')
    assert content.count('class="event-chip ') == sum(len(day.events) for day in days)


def next_month_at(day, hour=14):
    """A time on ``day`` of next month, in Shanghai: upcoming, so one can still sign up."""
    first = (timezone.localdate().replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    return datetime.datetime(first.year, first.month, day, hour, tzinfo=SHANGHAI)


def next_month_query():
    return f"?month={next_month_at(1):%Y-%m}"


def test_the_cached_month_shows_a_new_moved_or_cancelled_event_at_once(client, member):
    client.force_login(member)
    first = client.get(calendar_url(next_month_query())).content.decode()
    assert "法律服务咨询日" not in first
    event = EventFactory(
        title="法律服务咨询日", starts_at=next_month_at(5), ends_at=next_month_at(5, 16)
    )
    content = client.get(calendar_url(next_month_query())).content.decode()
    assert "法律服务咨询日" in content and f'id="day-{next_month_at(5):%Y-%m-%d}"' in content

    event.starts_at, event.ends_at = next_month_at(12), next_month_at(12, 16)
    event.save()
    content = client.get(calendar_url(next_month_query())).content.decode()
    assert (
        f'id="day-{next_month_at(12):%Y-%m-%d}"' in content
        and f'id="day-{next_month_at(5):%Y-%m-%d}"' not in content
    )

    event.is_cancelled = True
    event.save()
    assert "is-cancelled" in client.get(calendar_url(next_month_query())).content.decode()
    event.delete()
    assert "法律服务咨询日" not in client.get(calendar_url(next_month_query())).content.decode()


def test_the_cached_month_shows_each_viewer_their_own_sign_ups_and_the_places_left(client, member):
    other_member = UserFactory(username="member2", person=PersonFactory(name="联系人乙"))
    event = EventFactory(
        title="健康讲座", capacity=2, starts_at=next_month_at(5), ends_at=next_month_at(5, 16)
    )
    client.force_login(member)
    assert "剩余 2 个名额" in client.get(calendar_url(next_month_query())).content.decode()
    services.register(event=event, person=member.person, acting_user=member)
    content = client.get(calendar_url(next_month_query())).content.decode()
    assert "is-mine" in content and "已报名" in content

    client.force_login(other_member)
    content = client.get(calendar_url(next_month_query())).content.decode()
    assert "is-mine" not in content and "剩余 1 个名额" in content


def test_leaders_and_members_do_not_share_a_cached_month(client, member, leader):
    EventFactory(
        title="班子会议", audience=Event.Audience.LEADERSHIP, starts_at=next_month_at(5, 7)
    )
    client.force_login(leader)
    assert "班子会议" in client.get(calendar_url(next_month_query())).content.decode()
    client.force_login(member)
    assert "班子会议" not in client.get(calendar_url(next_month_query())).content.decode()


def days_of(response) -> dict:
    """The month's days in the grid, by their number."""
    return {day.date.day: day for week in response.context["weeks"] for day in week if day.in_month}


def test_a_busy_day_shows_its_first_three_events_and_links_to_the_rest(client, member):
    for hour in (15, 9, 11, 8, 17):
        EventFactory(
            title=f"{hour}点的活动", starts_at=at(2026, 11, 5, hour), ends_at=at(2026, 11, 5, 18)
        )
    EventFactory(title="班子会议", audience=Event.Audience.LEADERSHIP, starts_at=at(2026, 11, 5, 7))
    client.force_login(member)
    response = client.get(calendar_url("?month=2026-11&type=policy"))

    (day,) = [
        d for week in response.context["weeks"] for d in week if d.date.day == 5 and d.in_month
    ]
    assert [event.title for event in day.events] == ["8点的活动", "9点的活动", "11点的活动"]
    assert (day.count, day.more) == (5, 2)
    content = response.content.decode()
    assert content.count("还有 2 项") == 2  # in the grid and on the phone list
    assert 'href="?day=2026-11-05&amp;type=policy"' in content
    assert "15点的活动" not in content and "班子会议" not in content


def test_an_event_over_several_days_heads_the_days_after_its_first(client, member):
    EventFactory(title="进博会志愿服务", starts_at=at(2026, 11, 5, 9), ends_at=at(2026, 11, 7, 17))
    for hour in (8, 10, 12, 14):
        EventFactory(
            title=f"6日{hour}点", starts_at=at(2026, 11, 6, hour), ends_at=at(2026, 11, 6, 18)
        )
    client.force_login(member)
    response = client.get(calendar_url("?month=2026-11"))
    days = days_of(response)
    assert [event.title for event in days[6].events] == ["进博会志愿服务", "6日8点", "6日10点"]
    assert (days[5].count, days[6].count, days[7].count, days[8].count) == (1, 5, 1, 0)


def test_an_event_ending_at_midnight_takes_up_one_day(client, member):
    EventFactory(title="晚间活动", starts_at=at(2026, 11, 5, 19), ends_at=at(2026, 11, 6, 0))
    client.force_login(member)
    response = client.get(calendar_url("?month=2026-11"))
    days = days_of(response)
    assert (days[5].count, days[6].count) == (1, 0)


def day_url(day, query=""):
    return calendar_url(f"?day={day}{query}")


def test_a_days_list_shows_its_events_fifty_a_page(client, member):
    Event.objects.bulk_create(
        EventFactory.build(
            title=f"第{n:02d}场咨询",
            starts_at=at(2026, 11, 5, 8) + datetime.timedelta(minutes=n),
            ends_at=at(2026, 11, 5, 18),
        )
        for n in range(60)
    )
    EventFactory(title="前一天的活动", starts_at=at(2026, 11, 4), ends_at=at(2026, 11, 4, 16))
    client.force_login(member)

    response = client.get(day_url("2026-11-05"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "2026年11月5日" in content and "60 项活动" in content
    assert [event.title for event in response.context["events"]][:2] == ["第00场咨询", "第01场咨询"]
    assert len(response.context["events"]) == 50
    assert "前一天的活动" not in content
    assert 'href="?day=2026-11-05&amp;page=2"' in content
    assert 'href="?month=2026-11#day-2026-11-05"' in content

    second = client.get(day_url("2026-11-05", "&page=2"))
    assert [event.title for event in second.context["events"]][-1] == "第59场咨询"
    assert len(second.context["events"]) == 10


def test_a_days_list_shows_my_status_and_places_and_keeps_the_type_filter(client, member):
    mine = EventFactory(title="我报名的讲座", capacity=5, starts_at=at(2026, 11, 5, 9))
    RegistrationFactory(event=mine, person=member.person)
    RegistrationFactory(event=mine)
    EventFactory(title="体检", kind=Event.Kind.HEALTH, starts_at=at(2026, 11, 5, 10))
    EventFactory(title="班子会议", audience=Event.Audience.LEADERSHIP, starts_at=at(2026, 11, 5, 7))
    client.force_login(member)

    content = client.get(day_url("2026-11-05", "&type=policy")).content.decode()
    assert "我报名的讲座" in content and "已报名" in content
    assert "体检" not in content and "班子会议" not in content
    assert 'href="?day=2026-11-06&amp;type=policy"' in content

    full = client.get(day_url("2026-11-05")).content.decode()
    assert "体检" in full and "班子会议" not in full


@pytest.mark.parametrize("count", [3, 120])
def test_a_days_list_costs_the_same_queries_for_few_or_many_events(
    client, member, count, django_assert_num_queries
):
    Event.objects.bulk_create(
        EventFactory.build(title=f"活动{n}", capacity=3, starts_at=at(2026, 11, 5, 9))
        for n in range(count)
    )
    client.force_login(member)
    # Session, account with its roles, the number of events, the page of them.
    with django_assert_num_queries(4):
        response = client.get(day_url("2026-11-05"))
    assert response.context["paginator"].count == count


def test_a_day_that_is_not_one_shows_this_month_with_a_message(client, member):
    client.force_login(member)
    response = client.get(day_url("2026-02-30"))
    assert response.status_code == 200
    assert response.context["month"] == timezone.localdate().replace(day=1)
    assert "请按年-月-日填写日期，例如 2026-11-05。" in response.content.decode()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the GiST index is PostgreSQL's")
def test_the_calendar_finds_overlapping_events_through_the_range_index():
    events = Event.objects.in_range(at(2026, 11, 1), at(2026, 12, 1))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    assert "activities_event_span_idx" in events.day_spans().explain()


# Who sees what ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona, expected",
    [
        ("member", {"全体会员活动"}),
        ("leader", {"全体会员活动", "班子活动"}),
        ("president", {"全体会员活动", "班子活动"}),
        ("supervisor", {"全体会员活动", "班子活动"}),
        ("secretary", {"全体会员活动", "班子活动", "秘书处活动"}),
        ("outsider", set()),
    ],
)
def test_each_person_sees_the_events_meant_for_them(client, request, persona, expected):
    day = timezone.localdate() + datetime.timedelta(days=1)
    month = f"?month={day:%Y-%m}"
    for title, audience in [
        ("全体会员活动", Event.Audience.MEMBERS),
        ("班子活动", Event.Audience.LEADERSHIP),
        ("秘书处活动", Event.Audience.STAFF),
    ]:
        event = EventFactory(
            title=title,
            audience=audience,
            starts_at=in_days(1),
            ends_at=in_days(1) + datetime.timedelta(hours=1),
        )
        visible = title in expected
        client.force_login(request.getfixturevalue(persona))
        detail = client.get(event.get_absolute_url())
        assert detail.status_code == (200 if visible else 404), title
    content = client.get(calendar_url(month)).content.decode()
    shown = {title for title in ("全体会员活动", "班子活动", "秘书处活动") if title in content}
    assert shown == expected


def test_an_outsider_is_told_why_the_calendar_is_empty(client, outsider):
    EventFactory()
    client.force_login(outsider)
    content = client.get(calendar_url()).content.decode()
    assert "尚未关联在册的会员企业" in content


# An event's page -------------------------------------------------------------------------


def test_an_events_page_shows_its_details_and_places_left(client, member):
    year = timezone.localdate().year + 2  # to come, whatever today is
    event = EventFactory(
        title="银行行长政策宣讲会",
        capacity=3,
        venue="徐泾镇商会会议室",
        partners="经发办、社区事务受理中心",
        starts_at=at(year, 3, 5, 9),
        ends_at=at(year, 3, 5, 11),
    )
    RegistrationFactory(event=event)
    client.force_login(member)
    content = client.get(event.get_absolute_url()).content.decode()
    for text in (
        "银行行长政策宣讲会",
        "徐泾镇商会会议室",
        "经发办、社区事务受理中心",
        f"{year}年3月5日",
        "09:00",
        "剩余 2 个名额",
        "我要报名",
        "加入我的日历",
    ):
        assert text in content, text
    assert "签到二维码" not in content


def test_a_member_signs_up_and_cancels_from_the_events_page(client, member):
    event = EventFactory(capacity=10)
    client.force_login(member)

    response = client.post(reverse("activities:event_register", args=[event.pk]), follow=True)
    assert "报名成功" in response.content.decode()
    assert "您已报名" in response.content.decode()
    registration = Registration.objects.get(event=event, person=member.person)
    assert registration.status == Status.REGISTERED and registration.registered_by == member

    response = client.post(reverse("activities:event_cancel", args=[event.pk]), follow=True)
    assert "已取消报名" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == Status.CANCELLED


def test_a_full_event_offers_the_waiting_list_and_shows_the_place_on_it(client, member):
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event)
    RegistrationFactory(event=event, status=Status.WAITLISTED)
    client.force_login(member)
    assert "登记候补" in client.get(event.get_absolute_url()).content.decode()

    response = client.post(reverse("activities:event_register", args=[event.pk]), follow=True)
    content = response.content.decode()
    assert "您在候补名单第 2 位" in content
    assert "退出候补" in content


def test_signing_up_for_a_closed_event_says_why(client, member):
    event = EventFactory(registration_open=False)
    client.force_login(member)
    response = client.post(reverse("activities:event_register", args=[event.pk]), follow=True)
    assert "该活动已截止报名" in response.content.decode()
    assert not Registration.objects.exists()


def test_nobody_signs_up_for_an_event_they_may_not_see(client, member):
    event = EventFactory(audience=Event.Audience.LEADERSHIP)
    client.force_login(member)
    assert client.post(reverse("activities:event_register", args=[event.pk])).status_code == 404
    assert not Registration.objects.exists()


def svg_matrix(svg: str) -> list[list[bool]]:
    """The dark modules of a QR code drawn as segno's SVG path (moves and horizontal lines)."""
    size = int(re.search(r'viewBox="0 0 (\d+) \d+"', svg).group(1))
    scale = int(re.search(r"scale\((\d+)\)", svg).group(1))
    modules = size // scale
    grid = [[False] * modules for _ in range(modules)]
    x = y = 0.0
    path = re.search(r' d="([^"]+)"', svg).group(1)
    for command, first, second in re.findall(r"([Mmh])(-?[\d.]+)(?:\s+(-?[\d.]+))?", path):
        if command == "M":
            x, y = float(first), float(second)
        elif command == "m":
            x, y = x + float(first), y + float(second)
        else:
            for column in range(int(x), int(x + float(first))):
                grid[int(y)][column] = True
            x += float(first)
    return grid


def decode(grid) -> list[str]:
    size = len(grid)
    image = Image.new("L", (size, size), 255)
    for y, row in enumerate(grid):
        for x, dark in enumerate(row):
            if dark:
                image.putpixel((x, y), 0)
    image = image.resize((size * 8, size * 8), Image.Resampling.NEAREST)
    return [result.text for result in zxingcpp.read_barcodes(image)]


def test_staff_see_a_check_in_qr_code_that_decodes_to_the_check_in_address(client, secretary):
    event = EventFactory()
    client.force_login(secretary)
    content = client.get(event.get_absolute_url()).content.decode()

    svg = re.search(r'<svg[^>]*class="qr-code".*?</svg>', content, re.S).group(0)
    expected = "http://testserver" + reverse(
        "activities:event_check_in", args=[event.pk, event.check_in_code]
    )
    assert decode(svg_matrix(svg)) == [expected]
    assert "style=" not in svg and "<script" not in svg


def test_the_door_code_page_sends_someone_without_a_place_to_the_desk(client, member):
    now = timezone.now()
    event = EventFactory(
        starts_at=now + datetime.timedelta(minutes=30),
        ends_at=now + datetime.timedelta(hours=2),
        capacity=0,
    )
    services.register(event=event, person=member.person)  # the waiting list: it is full
    url = reverse("activities:event_check_in", args=[event.pk, event.check_in_code])
    client.force_login(member)

    page = client.get(url).content.decode()
    response = client.post(url, follow=True)

    assert "立即签到" not in page
    assert "现场签到码仅供已确认名额的人员使用" in response.content.decode()
    assert not Registration.objects.attended().exists()


def test_the_check_in_code_opens_a_one_button_page(client, member):
    now = timezone.now()
    event = EventFactory(
        starts_at=now + datetime.timedelta(minutes=30), ends_at=now + datetime.timedelta(hours=2)
    )
    services.register(event=event, person=member.person)
    url = reverse("activities:event_check_in", args=[event.pk, event.check_in_code])
    client.force_login(member)

    assert "立即签到" in client.get(url).content.decode()
    response = client.post(url, follow=True)

    assert "签到成功" in response.content.decode()
    assert Registration.objects.attended().filter(person=member.person).exists()
    assert "已于" in client.get(url).content.decode()


def test_a_wrong_check_in_code_is_not_found(client, member):
    event = EventFactory()
    client.force_login(member)
    url = reverse("activities:event_check_in", args=[event.pk, "guessed"])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404


def test_checking_in_before_the_window_says_when_it_opens(client, member):
    event = EventFactory(starts_at=in_days(2, hour=14), ends_at=in_days(2, hour=16))
    url = reverse("activities:event_check_in", args=[event.pk, event.check_in_code])
    client.force_login(member)
    assert "签到于" in client.get(url).content.decode()
    response = client.post(url, follow=True)
    assert "签到将于 13:00 开放" in response.content.decode()
    assert not Registration.objects.filter(checked_in_at__isnull=False).exists()


def test_a_sharing_meeting_shows_its_talks_minutes_and_photos(client, member):
    speaker = PersonFactory(name="林志伟", title="副总裁")
    talk = TalkFactory(company=speaker.company, speaker=speaker, topic="一个品牌的三十年")
    talk.event.minutes = "会议由会长主持。"
    talk.event.save()
    client.force_login(member)
    content = client.get(talk.event.get_absolute_url()).content.decode()
    for text in ("一个品牌的三十年", "林志伟", speaker.company.name, "会议由会长主持。"):
        assert text in content


def test_an_events_page_shows_a_change_to_the_event_its_talks_photos_and_places_at_once(
    client, member
):
    """What the page says about the event is kept in the shared cache: every change shows on
    the next visit."""
    speaker = PersonFactory(name="林志伟")
    talk = TalkFactory(speaker=speaker, company=speaker.company, topic="一个品牌的三十年")
    event = talk.event
    event.capacity = 3
    event.save()
    client.force_login(member)
    assert "剩余 3 个名额" in client.get(event.get_absolute_url()).content.decode()

    event.venue = "徐泾镇商会三楼会议室"
    event.save()
    talk.topic = "一个品牌的四十年"
    talk.save()
    speaker.name = "林志强"
    speaker.save()
    RegistrationFactory(event=event)
    EventPhoto.objects.create(event=event, image="photos/a.jpg", caption="与会者合影")
    content = client.get(event.get_absolute_url()).content.decode()
    shown = ("徐泾镇商会三楼会议室", "一个品牌的四十年", "林志强", "剩余 2 个名额", "与会者合影")
    for text in shown:
        assert text in content, text
    assert "一个品牌的三十年" not in content and "林志伟" not in content

    talk.delete()
    assert "一个品牌的四十年" not in client.get(event.get_absolute_url()).content.decode()


# Attendance ------------------------------------------------------------------------------


def test_the_secretary_ticks_attendance_on_the_list(client, secretary):
    now = timezone.now()
    event = EventFactory(
        starts_at=now - datetime.timedelta(minutes=10), ends_at=now + datetime.timedelta(hours=1)
    )
    registration = RegistrationFactory(event=event, person=PersonFactory(name="王小明"))
    url = reverse("activities:event_attendance", args=[event.pk])
    client.force_login(secretary)

    assert "王小明" in client.get(url).content.decode()
    response = client.post(url, {"registration": registration.pk, "present": "1"})
    assert response["Location"].endswith(f"#registration-{registration.pk}")
    registration.refresh_from_db()
    assert registration.checked_in_at is not None and registration.checked_in_by == secretary
    assert "已签到：1 / 1" in client.get(url).content.decode()


def test_supervisors_see_the_attendance_list_but_tick_nothing(client, supervisor):
    now = timezone.now()
    event = EventFactory(
        starts_at=now - datetime.timedelta(minutes=10), ends_at=now + datetime.timedelta(hours=1)
    )
    registration = RegistrationFactory(event=event)
    url = reverse("activities:event_attendance", args=[event.pk])
    client.force_login(supervisor)
    assert 'name="present"' not in client.get(url).content.decode()
    assert client.post(url, {"registration": registration.pk, "present": "1"}).status_code == 403


def test_participation_counts_attendance_per_event_and_company(client, president):
    year = timezone.localdate().year
    event = EventFactory(starts_at=at(year, 1, 10), ends_at=at(year, 1, 10, 16), title="年初活动")
    company = CompanyFactory(name="上海参与统计测试有限公司")
    first, second = PersonFactory(company=company), PersonFactory(company=company)
    RegistrationFactory(event=event, person=first, checked_in_at=at(year, 1, 10))
    RegistrationFactory(event=event, person=second)
    client.force_login(president)
    response = client.get(reverse("activities:participation") + f"?year={year}")
    (row,) = [c for c in response.context["companies"] if c["for_company"] == company.pk]
    assert (row["signed_up"], row["attendances"], row["events_attended"]) == (2, 1, 1)
    (event_row,) = response.context["events"]
    assert (event_row.taken, event_row.attended) == (2, 1)
    assert (response.context["total_taken"], response.context["total_attended"]) == (2, 1)
    assert response.context["companies_attending"] == 1
    assert "上海参与统计测试有限公司" in response.content.decode()


@pytest.mark.parametrize("count", [3, 60])
def test_participation_pages_the_events_and_lists_the_50_companies_most_present(
    client, secretary, count, django_assert_num_queries
):
    year = timezone.localdate().year
    events = Event.objects.bulk_create(
        EventFactory.build(title=f"活动{n:02d}", starts_at=at(year, 3, 1 + n % 28))
        for n in range(count)
    )
    people = [PersonFactory(company=CompanyFactory(name=f"参与企业{n:02d}")) for n in range(count)]
    Registration.objects.bulk_create(
        Registration(event=event, person=person, checked_in_at=at(year, 3, 1) if n < 5 else None)
        for n, (event, person) in enumerate(zip(events, people, strict=True))
    )
    client.force_login(secretary)
    url = reverse("activities:participation") + f"?year={year}"
    # Session, account with its roles, events and check-ins by type, companies taking part,
    # the first companies, the number of events, the page of them, active companies.
    with django_assert_num_queries(8):
        response = client.get(url)
    context = response.context
    assert (context["event_count"], context["total_taken"], context["total_attended"]) == (
        count,
        count,
        min(count, 5),
    )
    assert len(context["companies"]) == min(count, 50)
    assert context["companies"][0]["events_attended"] == 1
    assert len(context["events"]) == min(count, 50)
    content = response.content.decode()
    if count > 50:
        assert "另有 10 家企业参与。" in content
        assert f"?year={year}&amp;page=2" in content


# Meetings --------------------------------------------------------------------------------


def test_meetings_are_listed_by_quarter_and_a_missing_quarter_is_flagged_to_staff(
    client, secretary, member
):
    year = timezone.localdate().year - 1
    for month in (2, 5, 11):
        TalkFactory(
            event=EventFactory(
                kind=Event.Kind.SHARING,
                title=f"{year}年{month}月例会",
                starts_at=at(year, month, 20),
                ends_at=at(year, month, 20, 17),
            ),
            topic=f"{month}月的分享",
        )
    url = reverse("activities:meetings") + f"?year={year}"

    client.force_login(secretary)
    response = client.get(url)
    quarters = response.context["quarters"]
    # The newest quarter first.
    assert [q.number for q in quarters] == [4, 3, 2, 1]
    assert [len(q.meetings) for q in quarters] == [1, 0, 1, 1]
    assert [q.missing for q in quarters] == [False, True, False, False]
    content = response.content.decode()
    assert "本季度没有召开经验分享会" in content and "5月的分享" in content

    client.force_login(member)
    assert "本季度没有召开经验分享会" not in client.get(url).content.decode()


def test_a_quarter_still_ahead_is_not_flagged(client, secretary):
    client.force_login(secretary)
    response = client.get(reverse("activities:meetings") + f"?year={timezone.localdate().year + 1}")
    assert not any(quarter.missing for quarter in response.context["quarters"])


@pytest.mark.parametrize("page", ["activities:meetings", "activities:participation"])
@pytest.mark.parametrize("year", ["", "abc", "99999", "1000", "2026.5"])
def test_a_bad_year_shows_this_year(client, secretary, page, year):
    client.force_login(secretary)
    response = client.get(reverse(page), {"year": year})
    assert response.status_code == 200
    assert response.context["year"] == timezone.localdate().year


# Home and /me/ ---------------------------------------------------------------------------


def test_home_lists_coming_events_with_my_status(client, member):
    event = EventFactory(title="下周的法律咨询")
    EventFactory(title="班子会议", audience=Event.Audience.LEADERSHIP)
    services.register(event=event, person=member.person)
    client.force_login(member)
    content = client.get(reverse("chamber:home")).content.decode()
    assert "近期活动" in content and "下周的法律咨询" in content and "已报名" in content
    assert "班子会议" not in content


def test_my_page_shows_my_sign_ups_and_my_feed_address(client, member):
    full = EventFactory(title="健步走", capacity=1)
    RegistrationFactory(event=full)
    services.register(event=full, person=member.person)
    services.register(event=EventFactory(title="政策宣讲"), person=member.person)
    client.force_login(member)
    content = client.get(reverse("members:me")).content.decode()
    assert "健步走" in content and "候补第 1 位" in content and "政策宣讲" in content
    # Reading the page makes no address; asking for one does.
    assert "获取我的订阅地址" in content
    assert not CalendarFeed.objects.exists()

    response = client.post(reverse("activities:calendar_feed_reset"), {"next": "/me/"}, follow=True)

    content = response.content.decode()
    assert "订阅地址已生成" in content
    token = CalendarFeed.objects.get(user=member).token
    assert f"http://testserver/calendar/feed/{token}.ics" in content
    assert f"webcal://testserver/calendar/feed/{token}.ics" in content
    assert "重置订阅地址" in content


def test_my_page_costs_the_same_queries_for_few_or_many_sign_ups(client, member):
    """Half the sign-ups have a place, half wait (the place taken by someone else)."""
    from django.test.utils import CaptureQueriesContext

    services.feed_for(member)
    client.force_login(member)

    def sign_up(count, start):
        events = []
        for n in range(start, start + count):
            event = EventFactory(capacity=1, starts_at=in_days(1 + n))
            if n % 2:
                RegistrationFactory(event=event)
            services.register(event=event, person=member.person)
            events.append(event)
        return events

    def measure(events):
        client.get(reverse("members:me"))  # anything cached on the first visit
        with CaptureQueriesContext(connection) as context:
            response = client.get(reverse("members:me"))
        assert response.status_code == 200
        return len(context.captured_queries), response.content.decode()

    events = sign_up(2, 0)
    few, page = measure(events)
    assert all(event.title in page for event in events)
    events += sign_up(38, 2)
    many, page = measure(events)
    assert many == few <= 15
    # The page lists the nearest sign-ups (not necessarily all 40): the first ones show.
    assert all(event.title in page for event in events[:2])


@pytest.mark.parametrize("count", [3, 60])
@pytest.mark.dates
def test_event_attendance_and_meeting_pages_cost_the_same_queries_for_few_or_many(
    client, secretary, count, django_assert_num_queries, django_assert_max_num_queries
):
    now = timezone.now()
    event = EventFactory(
        kind=Event.Kind.SHARING,
        capacity=count // 2,
        starts_at=now - datetime.timedelta(minutes=30),
        ends_at=now + datetime.timedelta(hours=2),
    )
    for n in range(count):
        registration = RegistrationFactory(
            event=event, status=Status.REGISTERED if n < count // 2 else Status.WAITLISTED
        )
        if n % 3 == 0 and registration.status == Status.REGISTERED:
            registration.checked_in_at = now
            registration.save()
        TalkFactory(event=event)
    RegistrationFactory(event=event, person=secretary.person, status=Status.WAITLISTED)
    client.force_login(secretary)
    pages = {
        # Session, account with person, company and roles, and one cache read: the event with
        # its counts, its account (talks and photos), my sign-up and my place on the waiting
        # list, the check-ins.
        event.get_absolute_url(): 3,
        # Session, account with its roles, the event, the sign-ups with people and companies.
        reverse("activities:event_attendance", args=[event.pk]): 4,
        # Session, account with its roles, the meetings and their talks.
        # (The event's year: in the first half hour of a year it began in the last one.)
        reverse("activities:meetings") + f"?year={event.local_start.year}": 4,
    }
    # The event, its account, my sign-up and the check-ins read and kept (the database cache
    # writes each of the four with a few queries).
    with django_assert_max_num_queries(32):
        assert client.get(event.get_absolute_url()).status_code == 200
    for url, queries in pages.items():
        with django_assert_num_queries(queries):
            assert client.get(url).status_code == 200
