"""The city's events, from two years back to half a year ahead, with talks and sign-ups."""

import datetime
import secrets

from activities.models import Event, Registration, Talk, month_end, month_start
from demo import events as demo_events

from .base import DISTRICT_WEIGHTS, DISTRICTS, LoaderBase

EVENT_DAYS_AHEAD = 183
VENUES = (
    "工商联会议室 商会活动中心多功能厅 社区文化活动中心 企业服务中心报告厅 党群服务中心".split()
)
MINUTES = "活动按计划进行，参加人员反响良好。秘书处已整理活动照片和签到表，存入活动档案。"


class EventStages(LoaderBase):
    """Events and their sign-ups."""

    def load_events(self):
        """Events from two years back to half a year ahead, on the demo's yearly plan, held
        across the districts; a few quarterly sharing meetings with their talks. The first
        few are for members in this month, so that even a small city fills today's calendar."""
        rng = self.rng("events")
        first = self.window_start
        last = self.today + datetime.timedelta(days=EVENT_DAYS_AHEAD)
        month = (month_start(self.today), month_end(self.today))
        this_month = max(2, self.n["events"] // 40)
        plans = list(demo_events.PLAN)
        for_members = [plan for plan in plans if plan.audience == Event.Audience.MEMBERS]
        columns = [
            "id", "title", "kind", "starts_at", "ends_at", "venue", "capacity", "audience",
            "organisers", "partners", "description", "registration_open", "is_cancelled",
            "public_share", "recurrence", "copied_from_id", "minutes", "sequence", "check_in_code",
            "created_by_id", "created_at", "updated_at",
        ]  # fmt: skip
        rows, talks, self.events = [], [], []
        with self.timing(Event):
            ids = self.ids(Event, self.n["events"])
            for index, pk in enumerate(ids):
                district = rng.choices(DISTRICTS, DISTRICT_WEIGHTS)[0][1]
                if index < this_month:
                    day, plan = self.random_day(rng, *month), rng.choice(for_members)
                else:
                    day, plan = self.random_day(rng, first, last), rng.choice(plans)
                if index >= this_month and rng.random() < 0.02:
                    plan = self.sharing_plan(day, district)
                    talks += [(pk, order) for order in range(1, rng.randint(2, 3) + 1)]
                title = (
                    plan.title if plan.kind == Event.Kind.SHARING else f"{plan.title}（{district}）"
                )
                starts_at, ends_at = demo_events.at(day, plan.start), demo_events.at(day, plan.end)
                past = ends_at < self.now
                minutes = MINUTES if past and rng.random() < 0.7 else ""
                created = min(starts_at - datetime.timedelta(days=rng.randint(10, 40)), self.now)
                cancelled = rng.random() < 0.01
                rows.append((
                    pk, title, plan.kind, starts_at, ends_at, f"{district}{rng.choice(VENUES)}",
                    plan.capacity, plan.audience, f"{district}工商联", plan.partners,
                    plan.description, not past, cancelled, False, "", None, minutes, 0,
                    secrets.token_urlsafe(12), self.secretary.pk, created, created,
                ))  # fmt: skip
                self.events.append((pk, plan.audience, plan.capacity, starts_at, cancelled))
            self.write(Event, columns, rows)
        with self.timing(Talk):
            ids = self.ids(Talk, len(talks))
            rows = []
            for pk, (event, order) in zip(ids, talks, strict=True):
                company = self.active[rng.randrange(len(self.active))]
                _, speaker, topic, summary = demo_events.TALKS[
                    rng.randrange(len(demo_events.TALKS))
                ]
                rows.append((pk, event, company, self.contacts[company], topic, summary, order))
            columns = ["id", "event_id", "company_id", "speaker_id", "topic", "summary", "order"]
            self.write(Talk, columns, rows)

    def sharing_plan(self, day: datetime.date, district: str) -> demo_events.Plan:
        quarter = (day.month - 1) // 3 + 1
        return demo_events.Plan(
            day.month, day.day, "14:00", "17:00", Event.Kind.SHARING,
            f"{day.year}年第{quarter}季度例会暨经验分享会（{district}）", "", 80,
            partners="经发办", description="会员企业家交流做强做精的经营理念和成熟经验。",
        )  # fmt: skip

    def load_registrations(self):
        """Sign-ups within each event's places: most of a past event's seats taken and mostly
        checked in, fewer for coming ones; a rare full event with a short waiting list; a few
        cancellations. The ``member`` login signs up for its share, past and coming."""
        rng = self.rng("registrations")
        leadership = [self.leader_login.pk, *self.leaders]
        pools = {
            Event.Audience.MEMBERS: self.people,
            Event.Audience.LEADERSHIP: leadership,
            Event.Audience.STAFF: [self.secretary.person_id],
        }
        counts, mine, full = self.registration_counts(rng, pools)
        Status = Registration.Status
        columns = [
            "id", "event_id", "person_id", "status", "created_at", "promoted_at",
            "cancelled_at", "checked_in_at", "checked_in_by_id", "registered_by_id",
        ]  # fmt: skip
        rows = []
        with self.timing(Registration):
            ids = iter(self.ids(Registration, sum(counts)))
            for (event, audience, capacity, starts_at, _), count in zip(
                self.events, counts, strict=True
            ):
                people = [self.member.pk] if event in mine else []
                people += rng.sample(pools[audience], count - len(people))
                opened = starts_at - datetime.timedelta(days=21)
                latest = min(starts_at - datetime.timedelta(hours=2), self.now)
                for position, person in enumerate(people):
                    created = min(
                        opened + datetime.timedelta(minutes=position * rng.randint(20, 300)), latest
                    )
                    status, cancelled, checked_in = Status.REGISTERED, None, None
                    if capacity is not None and position >= capacity:
                        status = Status.WAITLISTED
                    elif event not in full and person != self.member.pk and rng.random() < 0.03:
                        status = Status.CANCELLED
                        cancelled = min(
                            created + datetime.timedelta(hours=rng.randint(1, 48)), latest
                        )
                    elif starts_at < self.now and rng.random() < 0.82:
                        checked_in = starts_at + datetime.timedelta(minutes=rng.randint(-40, 15))
                    rows.append((next(ids), event, person, status, created, None, cancelled,
                                 checked_in, None, None))  # fmt: skip
            self.write(Registration, columns, rows)

    def registration_counts(self, rng, pools) -> tuple[list[int], set[int], set[int]]:
        """How many sign-ups each event gets, adding up to the wanted total; the events the
        ``member`` login signs up for, and the full ones with a waiting list."""
        target = self.n["registrations"]
        member_events = [
            index for index, (_, audience, capacity, _, cancelled) in enumerate(self.events)
            if audience == Event.Audience.MEMBERS and not cancelled
        ]  # fmt: skip
        mine = set(
            rng.sample(member_events, min(self.n["member_registrations"], len(member_events)))
        )
        limits, raw, full = [], [], set()
        for index, (_, audience, capacity, starts_at, _) in enumerate(self.events):
            reserved = 1 if index in mine else 0
            limit = min(capacity or 60, len(pools[audience]) + reserved)
            past = starts_at < self.now
            if (
                capacity
                and not past
                and not reserved
                and rng.random() < 0.01
                and len(pools[audience]) > capacity + 5
            ):
                full.add(index)
                limit = capacity + rng.randint(1, 5)
            limits.append(limit)
            raw.append(
                limit
                if index in full
                else limit * (rng.uniform(0.55, 0.95) if past else rng.uniform(0.2, 0.6))
            )
        floor = [1 if index in mine else 0 for index in range(len(self.events))]
        fixed = sum(limits[index] for index in full)
        scale = (target - fixed) / max(sum(raw) - fixed, 1)
        counts = [
            limits[i] if i in full else max(floor[i], min(limits[i], round(raw[i] * scale)))
            for i in range(len(raw))
        ]
        # Rounding leaves the total a little off: even it out over the events with room.
        order = [i for i in range(len(counts)) if i not in full]
        rng.shuffle(order)
        missing = target - sum(counts)
        while missing:
            step = 1 if missing > 0 else -1
            moved = False
            for i in order:
                if missing and floor[i] <= counts[i] + step <= limits[i]:
                    counts[i] += step
                    missing -= step
                    moved = True
            if not moved:
                break
        return counts, {self.events[i][0] for i in mine}, {self.events[i][0] for i in full}
