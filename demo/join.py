"""Members serving themselves, in the demo: applications to join at each step of the charter
(invented companies, each marked 演示 in its profile), and upcoming events where a member
company may sign up colleagues and guests, with a guest of the demo member's company.

Rows are found by their natural keys (company name; event and guest), so a second run
creates nothing.
"""

import datetime

from django.db.models import Case, Count, F, Q, Value, When
from django.utils import timezone
from stdnum.cn import uscc

from activities.models import Event, Registration
from demo import data
from development.models import Application
from members.models import Person, Prospect

DEMO_MARK = "【演示数据】"


def invented_code(n: int) -> str:
    """A valid credit code far from the demo register's (9131011877…)."""
    body = f"9131011877{n:07d}"[:17]
    return body + uscc.calc_check_digit(body)


# (company, industry, contact, title, mobile, tier, status, days ago sent, profile)
APPLICATIONS = [
    (
        "上海泾虹智能装备有限公司",
        "manufacturing",
        "钱立新",
        "总经理",
        "13816610101",
        "member",
        "unconfirmed",
        1,
        "工业机器人集成商，2023年落户徐泾，员工约60人。",
    ),
    (
        "上海蟠龙文旅发展有限公司",
        "culture",
        "孙佳怡",
        "运营总监",
        "13816610102",
        "member",
        "submitted",
        6,
        "运营蟠龙天地周边文旅项目，希望参加商会联谊和政策宣讲活动。",
    ),
    (
        "上海徐乐新材料科技有限公司",
        "manufacturing",
        "周志强",
        "董事长",
        "13816610103",
        "executive",
        "recommended",
        20,
        "新型环保涂料研发生产，高新技术企业，申请执委单位。",
    ),
    (
        "上海诸光数字医疗有限公司",
        "health",
        "吴敏",
        "创始人",
        "13816610104",
        "member",
        "checked",
        35,
        "互联网医院与慢病管理平台，与镇社区卫生服务中心合作。",
    ),
    (
        "上海泾东贸易有限公司",
        "trade",
        "郑凯",
        "经理",
        "13816610105",
        "member",
        "declined",
        80,
        "进出口贸易，注册地不在徐泾镇。",
    ),
]

STAGE_FOR = {
    "submitted": Prospect.Stage.APPLIED,
    "recommended": Prospect.Stage.APPLIED,
    "checked": Prospect.Stage.APPLIED,
    "declined": Prospect.Stage.DECLINED,
}

GUESTS = [("林晓雯", "13816620101"), ("陈思远", "13816620102")]
PLACES_PER_COMPANY = 3


def seed_join(seed):
    seed_applications(seed)
    seed_company_places(seed)


def seed_applications(seed):
    secretary = seed.users.get("secretary")
    # Times from today's date, not the clock: a second run the same day changes nothing.
    now = datetime.datetime.combine(
        seed.today, datetime.time(10), tzinfo=timezone.get_current_timezone()
    )
    # Followed by the group's people, as the demo's other prospects are.
    owners = sorted({spec.owner for spec in data.PROSPECTS})
    for n, (name, industry, contact, title, mobile, tier, status, days, profile) in enumerate(
        APPLICATIONS, 1
    ):
        sent = now - datetime.timedelta(days=days)
        confirmed = status != "unconfirmed"
        prospect = None
        if confirmed:
            prospect = seed.upsert(
                Prospect,
                {"company_name": name},
                {
                    "source": Prospect.Source.SELF,
                    "stage": STAGE_FOR[status],
                    "contact": f"{contact}（{title}）",
                    "owner": seed.people[owners[n % len(owners)]],
                },
            )
        steps = ["recommended", "checked", "declined"]
        reached = steps.index(status) if status in steps else -1
        values = {
            "credit_code": invented_code(n),
            "industry": industry,
            "address": "上海市青浦区徐泾镇",
            "contact_name": contact,
            "contact_title": title,
            "contact_mobile": mobile,
            "contact_email": f"apply{n}@{data.EMAIL_DOMAIN}",
            "tier": tier,
            "profile": f"{DEMO_MARK}{profile}",
            "status": status,
            "confirmed_at": sent + datetime.timedelta(minutes=5) if confirmed else None,
            "prospect": prospect,
            "recommended_by": secretary if reached >= 0 else None,
            "recommended_at": sent + datetime.timedelta(days=3) if reached >= 0 else None,
            "checked_by": secretary if reached >= 1 else None,
            "checked_at": sent + datetime.timedelta(days=10) if reached >= 1 else None,
        }
        if status == "declined":
            values.update(
                decided_on=(sent + datetime.timedelta(days=30)).date(),
                decided_by=secretary,
                decision_recorded_at=sent + datetime.timedelta(days=30),
                decision_note=f"{DEMO_MARK}执行委员会认为其注册地和经营地均不在徐泾镇，暂不吸收。",
            )
        application = seed.upsert(Application, {"company_name": name}, values)
        if application.created_at.date() != sent.date():
            # created_at is set on creation: the demo's dates are as if sent days ago.
            Application.objects.filter(pk=application.pk).update(created_at=sent)


def seed_company_places(seed):
    """Two upcoming events with room that give each company places for colleagues and guests
    (a health check or a sports day first: the article's events for staff), and two guests
    of the demo member's company at the first."""
    guests = Registration.objects.filter(
        is_guest=True, person__mobile__in=[mobile for _, mobile in GUESTS]
    )
    if guests.exists():
        # Seeded before: the events were chosen then. Choosing again could pick another event
        # (the city-scale data adds thousands) and sign the guests up twice.
        seed.count(Registration, "unchanged")
        return
    soon = timezone.now() + datetime.timedelta(days=2)
    staff_day = Q(kind=Event.Kind.HEALTH) | Q(title__contains="联谊") | Q(title__contains="健步走")
    candidates = (
        Event.objects.filter(starts_at__gte=soon, is_cancelled=False)
        .filter(audience=Event.Audience.MEMBERS)
        .filter(Q(places_per_company__isnull=True) | Q(places_per_company=PLACES_PER_COMPANY))
        .annotate(
            taken=Count("registrations", filter=~Q(registrations__status="cancelled")),
            staff_day=Case(When(staff_day, then=Value(0)), default=Value(1)),
        )
        .filter(Q(capacity__isnull=True) | Q(capacity__gte=F("taken") + 5))
        .order_by("staff_day", "starts_at")
    )
    events = list(candidates[:2])
    for event in events:
        seed.upsert(Event, {"pk": event.pk}, {"places_per_company": PLACES_PER_COMPANY})
    if not events:
        return
    event = events[0]
    member = seed.users["member"]
    company = member.person.company
    taken = set(
        Registration.objects.filter(event=event, company=company)
        .exclude(status=Registration.Status.CANCELLED)
        .values_list("person__name", flat=True)
    )
    places = Registration.objects.registered().filter(event=event).count()
    for name, mobile in GUESTS:
        if name in taken:
            seed.count(Registration, "unchanged")
            continue
        guest = seed.upsert(
            Person,
            {"name": name, "mobile": mobile},
            {
                "email": f"guest.{mobile[-4:]}@{data.EMAIL_DOMAIN}",
                "notes": f"{company.name}的来宾",
            },
        )
        seed.upsert(
            Registration,
            {"event": event, "person": guest},
            {
                # The event's places hold for the demo too.
                "status": Registration.Status.REGISTERED
                if event.capacity is None or places < event.capacity
                else Registration.Status.WAITLISTED,
                "company": company,
                "is_guest": True,
                "registered_by": member,
            },
        )
        places += 1
