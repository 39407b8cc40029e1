"""Writes the demo calendar: the plan's events from ten months ago to two and a half months
ahead, the last five quarters' sharing meetings (but the one two quarters back) with their talks,
sign-ups and check-ins, and minutes for past events.

Everything is drawn from generators seeded by the row, and rows are found by their natural
keys (title and start; event and person; event and order), so a second run creates nothing.
"""

import datetime
import random

from django.db.models import Count
from django.utils import timezone
from lunardate import LunarDate

from activities.models import Event, Registration, Talk
from core.time import SHANGHAI
from demo import data

from .plan import (
    CHAMBER,
    FULL_EVENT,
    FULL_EVENT_DAYS_AHEAD,
    HALL,
    MEETING_DAYS,
    PLAN,
    TALKS,
    WAITING,
    Plan,
)

Kind = Event.Kind
Audience = Event.Audience

PAST_DAYS = 300
AHEAD_DAYS = 75

MINUTES = (
    "本次活动共有{attended}人签到参加。{title}活动按计划进行，参加人员反响良好。"
    "秘书处已整理活动照片和签到表，存入活动档案。下一步将结合会员企业的意见改进活动安排。"
)


def rng(*key) -> random.Random:
    return random.Random("|".join(str(part) for part in (data.SEED, "events", *key)))


def at(day: datetime.date, hhmm: str) -> datetime.datetime:
    hour, minute = (int(part) for part in hhmm.split(":"))
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=SHANGHAI)


def plan_day(plan: Plan, year: int) -> datetime.date:
    if plan.day == 0:
        return LunarDate(year, 9, 9).to_solar_date()
    return datetime.date(year, plan.month, plan.day)


def quarter_key(day: datetime.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def add_quarters(key: tuple[int, int], n: int) -> tuple[int, int]:
    index = key[0] * 4 + key[1] - 1 + n
    return index // 4, index % 4 + 1


def seed_events(seed):
    today = seed.today
    first, last = (
        today - datetime.timedelta(days=PAST_DAYS),
        today + datetime.timedelta(days=AHEAD_DAYS),
    )
    secretary = seed.users.get("secretary")
    contacts = [
        seed.people[spec.name]
        for spec in seed.roster
        if spec.is_main_contact and spec.company and seed.companies[spec.company].status == "active"
    ]
    # The president the article names signs up for no invented event.
    leaders = [
        seed.people[seat.person]
        for seat in data.SEATS
        if seat.title in ("president", "executive_vice_president", "vice_president", "executive")
        and seat.person not in data.ARTICLE_PEOPLE
    ]
    staff = [seed.people[seat.person] for seat in data.SEATS if seat.title == "secretary_general"]
    staff += [seed.people[name] for name, _title in data.SECRETARIAT_STAFF]
    member = seed.users["member"].person

    def upsert_event(plan: Plan, day: datetime.date, title=None, kind=None):
        title = title or plan.title
        starts_at = at(day, plan.start)
        return seed.upsert(
            Event,
            {"title": title, "starts_at": starts_at},
            {
                "kind": kind or plan.kind,
                "ends_at": at(day, plan.end),
                "venue": plan.venue,
                "capacity": plan.capacity,
                "audience": plan.audience,
                "organisers": CHAMBER,
                "partners": plan.partners,
                "description": plan.description,
                "recurrence": plan.recurrence,
                "created_by": secretary,
            },
        )

    events = []
    for year in (today.year - 1, today.year, today.year + 1):
        for plan in PLAN:
            day = plan_day(plan, year)
            if first <= day <= last:
                events.append(upsert_event(plan, day))

    # The sharing meetings of the last five quarters, but for the one two quarters back.
    current = quarter_key(today)
    missing = add_quarters(current, -2)
    meetings = []
    for n in range(-4, 1):
        year, quarter = add_quarters(current, n)
        if (year, quarter) == missing:
            continue
        month, day = MEETING_DAYS[quarter]
        meeting_plan = Plan(
            month,
            day,
            "14:00",
            "17:00",
            Kind.SHARING,
            "",
            HALL,
            80,
            partners="经发办",
            description="商会每季度召开一次例会暨分享会，企业家受邀诠释做强做精的经营理念，"
            "通过“走出去、学进来、广推开”模式，让企业学习成熟经验，开拓经营思路。",
        )
        title = f"{year}年第{quarter}季度例会暨经验分享会"
        meeting = upsert_event(meeting_plan, datetime.date(year, month, day), title=title)
        meetings.append(meeting)
        events.append(meeting)
        picks = rng("talks", year, quarter).sample(range(len(TALKS)), 2 + (quarter % 2))
        for order, index in enumerate(picks, start=1):
            company, speaker, topic, summary = TALKS[index]
            seed.upsert(
                Talk,
                {"event": meeting, "order": order},
                {
                    "company": seed.companies[company],
                    "speaker": seed.people[speaker],
                    "topic": topic,
                    "summary": summary,
                },
            )

    full_day = today + datetime.timedelta(days=FULL_EVENT_DAYS_AHEAD)
    full_event = upsert_event(FULL_EVENT, full_day)
    events.append(full_event)

    # Sign-ups and check-ins, written in bulk.
    have = set(Registration.objects.filter(event__in=events).values_list("event_id", "person_id"))
    # The moment of loading (kept within the day loaded for): an event that began earlier today
    # has its check-ins, one that ended has its minutes, and "coming" means what it says.
    day_start = datetime.datetime.combine(today, datetime.time(0, 0), tzinfo=SHANGHAI)
    now = min(max(timezone.now(), day_start), day_start + datetime.timedelta(hours=23, minutes=59))
    new = []
    for event in events:
        r = rng("signups", event.title, event.starts_at.date())
        if event.audience == Audience.STAFF:
            pool = staff
        elif event.audience == Audience.LEADERSHIP:
            pool = leaders
        else:
            pool = [person for person in contacts if person.pk != member.pk]
        is_past = event.starts_at < now
        if event.pk == full_event.pk:
            people = r.sample(pool, event.capacity + WAITING)
        elif event.capacity:
            share = r.uniform(0.55, 0.95) if is_past else r.uniform(0.25, 0.6)
            people = r.sample(pool, min(len(pool), int(event.capacity * share)))
        else:
            people = r.sample(
                pool, min(len(pool), r.randint(12, 30) if pool is not staff else len(pool))
            )
        opened = event.starts_at - datetime.timedelta(days=21)
        for position, person in enumerate(people):
            created_at = opened + datetime.timedelta(minutes=position * r.randint(20, 400))
            created_at = min(created_at, event.starts_at - datetime.timedelta(hours=2), now)
            status = Registration.Status.REGISTERED
            if event.capacity is not None and position >= event.capacity:
                status = Registration.Status.WAITLISTED
            checked_in_at = None
            if is_past and status == Registration.Status.REGISTERED and r.random() < 0.82:
                checked_in_at = event.starts_at + datetime.timedelta(minutes=r.randint(-40, 15))
            if (event.pk, person.pk) in have:
                continue
            new.append(
                Registration(
                    event=event,
                    person=person,
                    status=status,
                    created_at=created_at,
                    checked_in_at=checked_in_at,
                )
            )
    # The member login: second on the full event's waiting list, signed up for the next two
    # coming events open to members.
    coming = [
        event
        for event in sorted(events, key=lambda e: e.starts_at)
        if event.starts_at > now
        and event.audience == Audience.MEMBERS
        and event.pk != full_event.pk
    ][:2]
    waiting_since = full_event.starts_at - datetime.timedelta(days=1)
    mine = [(full_event, Registration.Status.WAITLISTED)] + [
        (event, Registration.Status.REGISTERED) for event in coming
    ]
    for event, status in mine:
        if (event.pk, member.pk) in have:
            continue
        created_at = min(now - datetime.timedelta(days=1), waiting_since)
        if event.pk == full_event.pk:
            # After the first on the waiting list, before the others.
            waitlisted = sorted(
                row.created_at
                for row in new
                if row.event_id == event.pk and row.status == Registration.Status.WAITLISTED
            )
            if len(waitlisted) >= 2:
                created_at = waitlisted[0] + (waitlisted[1] - waitlisted[0]) / 2
        new.append(Registration(event=event, person=member, status=status, created_at=created_at))
    Registration.objects.bulk_create(new)
    seed.count(Registration, "created", len(new))
    seed.count(Registration, "unchanged", len(have))

    # Minutes for past events that have none yet.
    attended = dict(
        Registration.objects.attended()
        .filter(event__in=[event for event in events if event.ends_at < now])
        .values_list("event")
        .annotate(n=Count("pk"))
        .values_list("event", "n")
    )
    for event in events:
        if event.ends_at < now and event.audience != Audience.STAFF:
            seed.upsert(
                Event,
                {"pk": event.pk},
                {"minutes": MINUTES.format(attended=attended.get(event.pk, 0), title=event.title)},
                found=event,
            )
    seed.events = events
    seed.meetings = meetings
