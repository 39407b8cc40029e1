"""Demo events (活动) for ``seed_demo``: a year of the chamber's calendar, drawn from the article.

The yearly plan below holds what the article tells of: 红星课堂 and other party-building
classes, a bankers' policy briefing, legal consultations, environmental volunteering, sports
and mixers for young staff, talks on 居住证积分 and schooling, health talks and check-ups, the
yearly 送清凉 and 重阳节 visits, the 进博会 activities, and the quarterly 例会暨经验分享会
with talks by member entrepreneurs. The events from ten months ago to two and a half months
ahead are written; of the last five quarters' sharing meetings, the one two quarters back was
never held, so /meetings/ flags it. Past events have sign-ups and check-ins and some minutes;
coming ones have sign-ups, and one, a young staff's walk a fortnight ahead, is full with a
waiting list (the ``member`` login second on it, and signed up for two more).

Everything is drawn from generators seeded by the row, and rows are found by their natural
keys (title and start; event and person; event and order), so a second run creates nothing.
"""

import datetime
import random
from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone
from lunardate import LunarDate

from activities.models import Event, Registration, Talk
from core.time import SHANGHAI
from demo import data

Kind = Event.Kind
Audience = Event.Audience

CHAMBER = "徐泾镇商会"
HALL = "徐泾镇商会会议室（崧泽大道6066号3楼）"
CENTRE = "徐泾镇社区文化活动中心多功能厅"
PAST_DAYS = 300
AHEAD_DAYS = 75


@dataclass(frozen=True)
class Plan:
    month: int
    day: int  # 0: the Double Ninth (9th day of the 9th lunar month)
    start: str
    end: str
    kind: str
    title: str
    venue: str
    capacity: int | None = None
    audience: str = Audience.MEMBERS
    partners: str = ""
    description: str = ""
    recurrence: str = Event.Recurrence.NONE


PLAN = [
    Plan(
        1,
        21,
        "09:30",
        "11:30",
        Kind.CHARITY,
        "新春送温暖：走访帮扶困难家庭",
        "徐泾镇各村居",
        20,
        partners="镇民政科",
        description="会员企业代表随商会走访结对帮扶的困难家庭，送上新春慰问品。",
    ),
    Plan(
        3,
        31,
        "14:00",
        "16:00",
        Kind.HEALTH,
        "专家医师讲座：春季常见病防治",
        CENTRE,
        80,
        partners="徐泾镇社区卫生服务中心",
        description="专家医师讲解春季呼吸道疾病和过敏的预防，现场免费测量血压血糖。",
    ),
    Plan(
        4,
        25,
        "13:30",
        "16:30",
        Kind.SOCIAL,
        "会员企业职工趣味运动会",
        "徐泾镇体育中心",
        80,
        description="拔河、跳绳、接力等团体项目，增进企业之间的交流和友谊。",
    ),
    Plan(
        7,
        9,
        "14:00",
        "16:00",
        Kind.TALENT,
        "人才政策宣讲：青浦区人才安居与居住证积分",
        CENTRE,
        100,
        partners="社区事务受理中心、镇人社所",
        description="解读区人才安居政策和居住证积分新规，解答人才切身问题。",
    ),
    Plan(
        7,
        23,
        "14:00",
        "16:00",
        Kind.EDUCATION,
        "暑期家庭教育讲座：陪伴孩子健康成长",
        CENTRE,
        80,
        description="教育专家为企业员工家庭讲解暑期家庭教育和升学准备。",
    ),
    Plan(
        8,
        8,
        "14:00",
        "17:00",
        Kind.SOCIAL,
        "青年羽毛球友谊赛",
        "徐泾镇体育中心",
        32,
        description="会员企业青年员工羽毛球友谊赛，以球会友。",
    ),
    Plan(
        10,
        15,
        "14:00",
        "16:00",
        Kind.PARTY,
        "红色课堂进企业：会员企业党支部联学",
        "上海虹泾投资发展有限公司党支部活动室",
        40,
        description="重心下移、课堂前移，引导会员企业党支部开展有温度、有亮度、有高度、有深度的红色课堂。",
    ),
    Plan(
        11,
        13,
        "13:30",
        "16:30",
        Kind.LEGAL,
        "法律服务咨询日：年终劳动用工风险防范",
        HALL,
        30,
        partners="镇司法所、律师事务所",
        description="年终奖发放、劳动合同续签和解除中的法律风险提示，律师一对一咨询。",
    ),
    Plan(
        11,
        19,
        "08:00",
        "11:30",
        Kind.HEALTH,
        "会员企业员工健康体检（冬季批次）",
        "徐泾镇社区卫生服务中心",
        120,
        partners="徐泾镇社区卫生服务中心",
        description="联系医疗机构开通绿色通道，为会员单位员工提供便捷体检服务。",
    ),
    Plan(
        12,
        2,
        "14:00",
        "16:00",
        Kind.PARTY,
        "红星课堂：年终专题学习",
        HALL,
        60,
        description="以“缘聚徐泾·政治筑魂”为主题的年终专题学习。",
    ),
    Plan(
        1,
        14,
        "14:00",
        "16:30",
        Kind.PARTY,
        "红星课堂：学习党的路线方针政策",
        HALL,
        60,
        description="以“缘聚徐泾·政治筑魂”为主题，邀请区委党校老师讲授专题党课，"
        "增强党外人士的政治共识。",
    ),
    Plan(
        2,
        25,
        "14:00",
        "16:00",
        Kind.POLICY,
        "银行行长政策宣讲会：普惠金融与融资支持",
        HALL,
        80,
        partners="经发办、镇内合作银行",
        description="聘请金融专家、银行行长解读最新普惠金融政策，现场对接企业融资需求。",
    ),
    Plan(
        3,
        5,
        "09:30",
        "11:30",
        Kind.OTHER,
        "商会工作领导小组会议：确定全年工作基调",
        HALL,
        audience=Audience.LEADERSHIP,
        description="会长主持，副会长、执委参加，协调制定全年工作基调和重点。",
    ),
    Plan(
        3,
        12,
        "08:30",
        "11:00",
        Kind.ENVIRONMENT,
        "环境志愿活动：植树护绿 共建生态模范镇",
        "徐泾镇金云村",
        40,
        partners="金云村村委会",
        description="会员企业志愿者在金云村“乡村桃花源”小区植树护绿。",
    ),
    Plan(
        3,
        26,
        "13:30",
        "16:30",
        Kind.LEGAL,
        "法律服务咨询日：合同管理与用工合规",
        HALL,
        30,
        partners="镇司法所、律师事务所",
        description="律师一对一解答合同、用工等经营中的法律问题，帮助企业重视日常经营的规范性。",
    ),
    Plan(
        4,
        16,
        "14:00",
        "16:00",
        Kind.TALENT,
        "人力专题讲座：居住证积分政策解读",
        CENTRE,
        100,
        partners="社区事务受理中心",
        description="讲解上海市居住证积分的申请条件、积分指标和办理流程，现场答疑。",
    ),
    Plan(
        5,
        14,
        "14:00",
        "16:00",
        Kind.EDUCATION,
        "教育专家咨询讲座：孩童入学政策",
        CENTRE,
        80,
        partners="社区事务受理中心",
        description="教育专家为企业员工介绍幼升小、小升初入学政策和积分入学要点。",
    ),
    Plan(
        5,
        23,
        "09:00",
        "11:30",
        Kind.SOCIAL,
        "青年联谊：徐泾湖畔健步走",
        "徐泾镇蟠龙湖畔",
        60,
        description="会员企业青年员工健步走、破冰游戏，认识新朋友。",
    ),
    Plan(
        6,
        11,
        "14:00",
        "16:00",
        Kind.HEALTH,
        "专家医师讲座：职场人群慢病预防",
        CENTRE,
        80,
        partners="徐泾镇社区卫生服务中心",
        description="专家医师讲解高血压、糖尿病等慢病预防和健康生活方式。",
    ),
    Plan(
        6,
        27,
        "09:00",
        "16:00",
        Kind.PARTY,
        "农事体验：忆苦思甜 重温激情燃烧的岁月",
        "青浦区农事体验基地",
        40,
        description="在模拟体验活动中重温革命情谊，增强党外人士的红色理想与政治共识。",
    ),
    Plan(
        7,
        16,
        "09:00",
        "11:30",
        Kind.CHARITY,
        "“军民鱼水情”夏季送清凉",
        "驻镇部队营区",
        20,
        audience=Audience.LEADERSHIP,
        partners="镇武装部",
        description="商会班子成员为驻镇官兵送去防暑降温物品。",
        recurrence=Event.Recurrence.YEARLY,
    ),
    Plan(
        8,
        20,
        "13:30",
        "16:30",
        Kind.LEGAL,
        "法律服务咨询：知识产权保护",
        HALL,
        30,
        partners="镇司法所、律师事务所",
        description="商标、专利与商业秘密保护要点，现场一对一咨询。",
    ),
    Plan(
        9,
        4,
        "09:30",
        "11:30",
        Kind.OTHER,
        "商会工作领导小组会议：下年度工作重点",
        HALL,
        audience=Audience.LEADERSHIP,
        description="回顾年度工作，研究下年度工作重点。",
    ),
    Plan(
        9,
        10,
        "08:00",
        "11:30",
        Kind.HEALTH,
        "会员企业员工健康体检（秋季批次）",
        "徐泾镇社区卫生服务中心",
        120,
        partners="徐泾镇社区卫生服务中心",
        description="联系医疗机构开通绿色通道，为会员单位员工提供便捷体检服务。",
    ),
    Plan(
        9,
        19,
        "14:00",
        "17:00",
        Kind.SOCIAL,
        "篮球友谊赛暨青年交友联谊",
        "徐泾镇体育中心",
        40,
        description="会员企业青年篮球友谊赛，赛后交友联谊。",
    ),
    Plan(
        10,
        0,
        "09:00",
        "11:30",
        Kind.CHARITY,
        "重阳节慰问老年人",
        "徐泾镇敬老院",
        20,
        audience=Audience.LEADERSHIP,
        partners="镇民政科",
        description="重阳节走访慰问敬老院老人，送上节日祝福。",
        recurrence=Event.Recurrence.DOUBLE_NINTH,
    ),
    Plan(
        10,
        22,
        "14:00",
        "16:30",
        Kind.POLICY,
        "共享进口博览会效应 助推全面跨越式发展",
        "国家会展中心（上海）洽谈室",
        100,
        partners="经发办",
        description="组织代表性企业学习进博会相关知识，做进博会宣传者，团结更多力量投身服务保障工作。",
    ),
    Plan(
        11,
        3,
        "14:00",
        "15:30",
        Kind.OTHER,
        "进博会服务保障志愿者动员会",
        HALL,
        partners="经发办",
        description="动员会员企业志愿者参与进博会城市服务保障。",
    ),
    Plan(
        11,
        26,
        "14:00",
        "16:00",
        Kind.POLICY,
        "金融专家政策宣讲会：最新惠企政策解读",
        HALL,
        60,
        partners="经发办",
        description="解读最新惠企政策和税费优惠，提供融资支持信息。",
    ),
    Plan(
        12,
        6,
        "08:30",
        "11:00",
        Kind.ENVIRONMENT,
        "环境志愿活动：河道保洁",
        "徐泾镇前明村",
        40,
        partners="前明村村委会",
        description="会员企业志愿者参与前明村河道保洁，共建生态模范镇。",
    ),
    Plan(
        12,
        18,
        "09:30",
        "11:30",
        Kind.OTHER,
        "秘书处年度工作总结会",
        "商会秘书处",
        audience=Audience.STAFF,
        description="秘书处内部总结全年工作，整理会员台账和活动档案。",
    ),
]

# The quarterly 例会暨经验分享会: the month in each quarter, and the talks.
MEETING_DAYS = {1: (3, 19), 2: (6, 18), 3: (9, 24), 4: (12, 11)}
TALKS = [
    (
        "上好佳（中国）有限公司",
        "林志伟",
        "一个品牌的三十年：从一包虾条到全国渠道",
        "讲述企业如何坚持品质、深耕渠道，把休闲食品做成家喻户晓的品牌。",
    ),
    (
        "上海周黑鸭食品有限公司",
        "汪海燕",
        "门店标准化与食品安全管理",
        "分享门店运营标准化和从工厂到门店的食品安全管理体系。",
    ),
    (
        "德邦物流股份有限公司",
        "黄卫国",
        "上市之后：物流企业的数字化转型",
        "介绍企业上市后推进数字化调度和仓配一体化的经验。",
    ),
    (
        "上海中昊针织有限公司",
        "朱建平",
        "传统制造业如何做强做精",
        "从设备更新、工艺改进到品牌建设，谈传统制造业的转型升级。",
    ),
    (
        "上海麦迪睿医疗科技有限公司",
        "王振华",
        "科技型企业的研发投入与人才培养",
        "分享研发投入机制和利用居住证积分政策吸引人才的做法。",
    ),
    (
        "上海E通世界网络科技有限公司",
        "张晓东",
        "跨境电商：借力进博会开拓市场",
        "介绍企业借助进博会溢出效应拓展海外市场的实践。",
    ),
    (
        "上海微格信息技术有限公司",
        "刘俊",
        "小团队做大事：软件企业的精益管理",
        "谈中小软件企业如何以精益管理提升交付质量。",
    ),
    (
        "上海灿辉国际实业发展有限公司",
        "陈立新",
        "参与城中村改造的思考",
        "分享参与老集镇“城中村”改造、推动城镇更新的体会。",
    ),
]

# The full event a fortnight ahead, with a waiting list.
FULL_EVENT = Plan(
    0,
    0,
    "09:00",
    "11:30",
    Kind.SOCIAL,
    "青年交友联谊：徐泾湖畔健步走（秋季）",
    "徐泾镇蟠龙湖畔",
    30,
    description="会员企业青年员工健步走、破冰游戏，让年青男女破圈、相互认识。名额有限，额满候补。",
)
FULL_EVENT_DAYS_AHEAD = 14
WAITING = 4

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
    leaders = [
        seed.people[seat.person]
        for seat in data.SEATS
        if seat.title in ("president", "executive_vice_president", "vice_president", "executive")
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
