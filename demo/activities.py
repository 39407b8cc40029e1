"""Demo visits and problems (班子成员联系走访企业制度) for ``seed_demo``.

The current term's liaison table gives each leader five or six member companies; twelve months
of visits follow it (up to today): most leaders meet the rule of two companies a month, two of
them fall short now and then, and a few companies go unvisited for months. About a third of the
visits bring a problem, settled or not according to its age: solved (most confirmed by the
company), in progress, overdue, declined, and three staffing problems carried to the district
CPPCC as one proposal by the ``leader`` login (王振华, 青浦区政协委员). That login is responsible
for the ``member`` login's company, visited it this month, and solved a problem there that
awaits the company's confirmation; the company has also raised a problem itself.

Everything is drawn from seeded random generators keyed by the row, and rows are found by
their natural keys (leader, company, date; visit and text), so a second run creates nothing.
Visits, problems and assignments are written in bulk, with their history rows.
"""

import datetime
import random

from simple_history.utils import bulk_create_with_history

from activities.models import (
    Assignment,
    Problem,
    ProblemEvent,
    Proposal,
    Visit,
    month_end,
    month_start,
)
from activities.visits.rollups import refresh_last_visits, refresh_visit_months
from chamber.models import Position
from core.time import SHANGHAI, add_months
from demo import data

LEADER_LOGIN = "王振华"
# Two leaders whose own firms keep them busy: they fall short in some months.
BUSY_LEADERS = {"林志伟", "黄卫国"}
PROPOSAL_TITLE = "关于优化徐泾镇中小企业人才居住证积分服务的建议"
PROPOSAL_SESSION = "青浦区政协十五届三次会议"

Status = Problem.Status
Category = Problem.Category

SUMMARIES = [
    "与企业负责人座谈，了解今年以来的生产经营情况。企业订单总体平稳，{need}",
    "实地参观生产车间和研发中心，听取企业发展规划汇报。{need}",
    "走访企业，宣传商会近期活动和惠企政策，{need}",
    "与企业管理层交流，企业对商会组织的政策宣讲活动评价较高。{need}",
    "了解企业党建和员工队伍情况，企业希望多参加商会的交流活动。{need}",
    "回访企业，跟进上次走访时反映的情况，{need}",
]
NO_NEED = "企业暂无需要商会协调的事项。"
WITH_NEED = "企业反映了需要协调解决的问题，已记入诉求台账。"

PROBLEMS = {
    Category.FINANCING: [
        "企业扩大产能需要流动资金约500万元，希望对接镇内合作银行的普惠贷款。",
        "应收账款周期拉长，资金周转偏紧，希望了解供应链金融产品。",
    ],
    Category.STAFFING: [
        "新招的应届毕业生办理居住证积分遇到困难，希望商会组织人社部门专题辅导。",
        "技术骨干办理人才引进落户材料繁琐，希望得到指导。",
        "一线操作工招聘难，希望商会对接职业院校开展校企合作。",
    ],
    Category.POLICY: [
        "希望了解高新技术企业认定和研发费用加计扣除的最新政策。",
        "企业准备申报专精特新，希望有人指导申报材料。",
    ],
    Category.LEGAL: [
        "与一家供应商发生合同纠纷，希望商会法律顾问提供咨询。",
        "企业劳动合同文本需要更新，希望律师帮助把关。",
    ],
    Category.PREMISES: [
        "厂房租约明年到期，希望在徐泾镇内寻找2000平方米左右的生产场地。",
        "研发团队扩大，希望就近租用办公场地。",
    ],
    Category.APPROVALS: [
        "扩建项目的环评审批进度较慢，希望协调相关部门加快办理。",
        "新增生产线需要办理消防验收，希望了解办理流程。",
    ],
    Category.OTHER: [
        "员工子女入学需要咨询学区政策。",
        "园区周边上下班高峰停车困难，希望协调增设停车位。",
    ],
}
RESOLUTIONS = {
    Category.FINANCING: "已对接镇内合作银行，企业获得普惠贷款授信。",
    Category.STAFFING: "已请镇人社所上门辅导，相关人员材料已顺利受理。",
    Category.POLICY: "已邀请政策专家为企业一对一解读，企业已按要求准备申报。",
    Category.LEGAL: "商会法律顾问已提供咨询意见，企业据此与对方协商解决。",
    Category.PREMISES: "已推荐镇内两处合适场地，企业已实地看过并签订意向。",
    Category.APPROVALS: "已与相关部门沟通，审批材料已补齐并进入办理流程。",
    Category.OTHER: "已联系相关部门答复企业，企业表示认可。",
}
DECLINE_REASON = "该事项属于企业间商业纠纷，不属于商会协调范围，已建议企业通过法律途径解决。"


def _rng(*key) -> random.Random:
    return random.Random(":".join([data.SEED, "visits", *map(str, key)]))


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=SHANGHAI)


def _months(today: datetime.date) -> list[datetime.date]:
    """The twelve months up to and including this one."""
    return [add_months(month_start(today), -back) for back in range(11, -1, -1)]


def seed_assignments(seed, leaders, companies):
    """Five or six companies for each leader; the member login's company is the leader
    login's; the last three companies are nobody's yet."""
    term = seed.terms["current"]
    pool = sorted(companies, key=lambda company: company.name)
    _rng("assignments").shuffle(pool)
    member_company = seed.companies[data.MEMBER_LOGIN_COMPANY]
    pool.remove(member_company)
    plan = {leader.pk: [] for leader in leaders}
    plan[seed.people[LEADER_LOGIN].pk].append(member_company)
    for index, company in enumerate(pool[:-3]):
        plan[leaders[index % len(leaders)].pk].append(company)
    existing = set(Assignment.objects.filter(term=term).values_list("leader_id", "company_id"))
    new = [
        Assignment(term=term, leader_id=leader_id, company=company)
        for leader_id, assigned in plan.items()
        for company in assigned
        if (leader_id, company.pk) not in existing
    ]
    bulk_create_with_history(new, Assignment)
    seed.count(Assignment, "created", len(new))
    seed.count(Assignment, "unchanged", sum(len(a) for a in plan.values()) - len(new))
    return plan


def plan_visits(seed, leaders, plan, companies):
    """[(leader, company, date, companion or None, partners)] for the twelve months."""
    today = seed.today
    months = _months(today)
    member_company = seed.companies[data.MEMBER_LOGIN_COMPANY]
    # A few companies go unvisited: two never in the year, two not for seven months, two not
    # for four (each ``cutoff`` is the last day a visit may fall on).
    neglected_pool = sorted(
        (c for assigned in plan.values() for c in assigned if c != member_company),
        key=lambda company: company.name,
    )
    _rng("neglected").shuffle(neglected_pool)
    cutoffs = {}
    for index, company in enumerate(neglected_pool[:6]):
        months_back = (13, 13, 7, 7, 4, 4)[index]
        cutoffs[company.pk] = add_months(today, -months_back)
    visits = []
    for leader in leaders:
        rng = _rng("leader", leader.name)
        assigned = list(plan[leader.pk])
        last = {company.pk: datetime.date.min for company in assigned}
        busy = leader.name in BUSY_LEADERS
        for month in months:
            current = month == month_start(today)
            last_day = today.day if current else month_end(month).day
            if leader.name == LEADER_LOGIN:
                count = 1 if current else rng.choice([2, 2, 3])
            elif current:
                count = rng.choice([0, 1, 1, 2, 2, 3]) if today.day > 3 else rng.choice([0, 1])
            elif busy and (month == months[-2] or rng.random() < 0.45):
                # The busy leaders fall short now and then, and always last month (so that
                # the board shows a shortfall whatever day the demo is loaded on).
                count = rng.choice([0, 1, 1])
            else:
                count = rng.choice([2, 2, 2, 3])
            days = sorted(rng.randint(1, last_day) for _ in range(count))
            chosen = []
            for day in days:
                on = month.replace(day=day)

                def allowed(company, on=on, chosen=chosen):
                    cutoff = cutoffs.get(company.pk)
                    return company not in chosen and (cutoff is None or on <= cutoff)

                if leader.name == LEADER_LOGIN and current:
                    company = member_company
                elif rng.random() < 0.12:
                    candidates = [c for c in companies if allowed(c)]
                    company = candidates[rng.randrange(len(candidates))]
                else:
                    candidates = sorted(
                        (c for c in assigned if allowed(c)), key=lambda c: (last[c.pk], c.name)
                    )
                    if not candidates:
                        continue
                    company = candidates[0]
                chosen.append(company)
                last[company.pk] = on
                companion = None
                if rng.random() < 0.22:
                    # The leader login has logged one visit this month and no more.
                    others = [
                        other
                        for other in leaders
                        if other != leader and not (current and other.name == LEADER_LOGIN)
                    ]
                    companion = others[rng.randrange(len(others))]
                draw = rng.random()
                partners = {
                    "with_economic_office": draw < 0.16,
                    "with_community_centre": 0.12 < draw < 0.24,
                    "other_partners": "镇人社所" if 0.9 < draw < 0.94 else "",
                }
                visits.append((leader, company, on, companion, partners))
    return visits


def seed_visits(seed):
    """The liaison table, twelve months of visits and the problems heard on them."""
    term = seed.terms["current"]
    leadership_titles = set(Position.LEADERSHIP_TITLES)
    leaders = [seed.people[seat.person] for seat in data.SEATS if seat.title in leadership_titles]
    # No visit, problem or liaison to a company the article names: the article reports none.
    companies = sorted(
        (c for c in seed.companies.values() if c.is_active and not data.named_in_article(c)),
        key=lambda c: c.name,
    )
    plan = seed_assignments(seed, leaders, companies)
    users = {user.person_id: user for user in seed.users.values()}
    planned = plan_visits(seed, leaders, plan, companies)

    existing = {
        (visit.leader_id, visit.company_id, visit.visited_on): visit
        for visit in Visit.objects.filter(
            leader__in=leaders, visited_on__gte=_months(seed.today)[0]
        )
    }
    new_visits, companions = [], {}
    for leader, company, on, companion, partners in planned:
        key = (leader.pk, company.pk, on)
        if key in existing:
            continue
        rng = _rng("visit", *key)
        visit = Visit(
            company=company,
            visited_on=on,
            leader=leader,
            summary="",
            created_by=users.get(leader.pk),
            **partners,
        )
        visit.problem_count = 0 if rng.random() < 0.66 else (1 if rng.random() < 0.8 else 2)
        if leader.name == LEADER_LOGIN and on >= month_start(seed.today):
            visit.problem_count = 1
        need = WITH_NEED if visit.problem_count else NO_NEED
        visit.summary = rng.choice(SUMMARIES).format(need=need)
        existing[key] = visit
        new_visits.append(visit)
        if companion is not None:
            companions[key] = companion
    bulk_create_with_history(new_visits, Visit)
    seed.count(Visit, "created", len(new_visits))
    seed.count(Visit, "unchanged", len(planned) - len(new_visits))
    Through = Visit.companions.through
    Through.objects.bulk_create(
        [
            Through(visit_id=existing[key].pk, person_id=person.pk)
            for key, person in companions.items()
        ]
    )
    # Bulk writes send no signals: the roll-ups are refreshed for the people and months
    # written, and for the companies visited.
    refresh_visit_months(
        [(visit.leader_id, visit.visited_on) for visit in new_visits]
        + [(person.pk, on) for (_leader, _company, on), person in companions.items()]
    )
    refresh_last_visits(visit.company_id for visit in new_visits)
    seed_problems(seed, term, new_visits, users)


def _problem_texts(rng, count):
    categories = list(PROBLEMS)
    picked = []
    while len(picked) < count:
        category = categories[rng.randrange(len(categories))]
        text = PROBLEMS[category][rng.randrange(len(PROBLEMS[category]))]
        if (category, text) not in picked:
            picked.append((category, text))
    return picked


def seed_problems(seed, term, new_visits, users):
    today = seed.today
    secretary = seed.users.get("secretary")
    member_user = seed.users.get("member")
    leader_login = seed.people[LEADER_LOGIN]
    proposal = seed.upsert(
        Proposal,
        {"title": PROPOSAL_TITLE},
        {
            "kind": Proposal.Kind.PROPOSAL,
            "session": PROPOSAL_SESSION,
            "carrier": leader_login,
            "status": Proposal.Status.SUBMITTED,
            "submitted_on": add_months(today, -2),
            "body": (
                "近年来徐泾镇中小企业引进的青年人才较多，在办理居住证积分、人才引进落户等"
                "事项时普遍反映材料繁琐、咨询渠道少。建议：一、在镇社区事务受理中心设立"
                "企业人才服务专窗；二、定期组织人社部门进园区、进企业开展政策辅导；三、"
                "推行材料清单一次告知、线上预审。"
            ),
        },
    )
    problems, events = [], []
    proposal_slots = 3
    for visit in new_visits:
        rng = _rng("problems", visit.leader_id, visit.company_id, visit.visited_on)
        for category, text in _problem_texts(rng, visit.problem_count):
            problem = Problem(
                visit=visit,
                company=visit.company,
                category=category,
                description=text,
                raised_on=visit.visited_on,
                raised_by=users.get(visit.leader_id),
                owner=visit.leader,
                due_on=visit.visited_on + datetime.timedelta(days=30),
            )
            age = (today - visit.visited_on).days
            # The leader login's visits to the member login's company: this month's problem is
            # the one solved and awaiting the company's confirmation; older ones are confirmed
            # or still in hand, so that it is the only one waiting.
            member_pair = visit.leader_id == leader_login.pk and visit.company.name == (
                data.MEMBER_LOGIN_COMPANY
            )
            if member_pair and visit.visited_on >= month_start(today):
                outcome = "solved_waiting"
            elif category == Category.STAFFING and proposal_slots and 45 < age < 200:
                proposal_slots -= 1
                outcome = "proposal"
            else:
                draw = rng.random()
                if age > 60:
                    outcome = (
                        "solved" if draw < 0.84 else "declined" if draw < 0.9 else "in_progress"
                    )
                elif age > 30:
                    outcome = "solved" if draw < 0.6 else "in_progress" if draw < 0.9 else "open"
                else:
                    outcome = "solved" if draw < 0.2 else "in_progress" if draw < 0.55 else "open"
                if member_pair and outcome == "solved" and age <= 41:
                    outcome = "in_progress"  # solved at most 40 days on: maybe not yet confirmed
            actor = users.get(visit.leader_id) or secretary
            events.append(
                (
                    problem,
                    ProblemEvent.Kind.RAISED,
                    "",
                    Status.OPEN,
                    visit.visited_on,
                    actor,
                    "",
                    "",
                )
            )
            if outcome in ("in_progress", "solved", "solved_waiting", "declined"):
                started = min(visit.visited_on + datetime.timedelta(days=rng.randint(1, 6)), today)
                problem.status = Status.IN_PROGRESS
                events.append(
                    (
                        problem,
                        ProblemEvent.Kind.STATUS,
                        Status.OPEN,
                        Status.IN_PROGRESS,
                        started,
                        actor,
                        "已与企业和相关部门联系，正在协调。",
                        "",
                    )
                )
            if outcome in ("solved", "solved_waiting"):
                resolved = min(
                    visit.visited_on + datetime.timedelta(days=rng.randint(8, 40)), today
                )
                problem.status = Status.SOLVED
                problem.resolution = RESOLUTIONS[category]
                problem.resolved_on = resolved
                events.append(
                    (
                        problem,
                        ProblemEvent.Kind.STATUS,
                        Status.IN_PROGRESS,
                        Status.SOLVED,
                        resolved,
                        actor,
                        problem.resolution,
                        "",
                    )
                )
                if (
                    outcome == "solved"
                    and (rng.random() < 0.88 or member_pair)
                    and resolved < today
                ):
                    problem.satisfaction = (
                        Problem.Satisfaction.SATISFIED
                        if rng.random() < 0.8
                        else Problem.Satisfaction.FAIRLY_SATISFIED
                    )
                    confirmed = min(resolved + datetime.timedelta(days=rng.randint(1, 7)), today)
                    problem.confirmed_at = _at(confirmed, 15)
                    events.append(
                        (
                            problem,
                            ProblemEvent.Kind.CONFIRMED,
                            "",
                            "",
                            confirmed,
                            None,
                            "",
                            problem.satisfaction,
                        )
                    )
            elif outcome == "declined":
                declined = min(
                    visit.visited_on + datetime.timedelta(days=rng.randint(8, 20)), today
                )
                problem.status = Status.DECLINED
                problem.decline_reason = DECLINE_REASON
                events.append(
                    (
                        problem,
                        ProblemEvent.Kind.STATUS,
                        Status.IN_PROGRESS,
                        Status.DECLINED,
                        declined,
                        secretary,
                        DECLINE_REASON,
                        "",
                    )
                )
            elif outcome == "proposal":
                problem.status = Status.PROPOSAL
                problem.proposal = proposal
                events.append(
                    (
                        problem,
                        ProblemEvent.Kind.STATUS,
                        Status.OPEN,
                        Status.PROPOSAL,
                        min(visit.visited_on + datetime.timedelta(days=20), today),
                        users.get(leader_login.pk),
                        f"转为提案《{PROPOSAL_TITLE}》（{PROPOSAL_SESSION}）。",
                        "",
                    )
                )
            problems.append(problem)

    # The member login's company raised a problem itself last week (企业诉求直通车).
    member_company = seed.companies[data.MEMBER_LOGIN_COMPANY]
    raised_on = today - datetime.timedelta(days=6)
    direct_text = "公司计划明年在徐泾新建冷链仓库，希望商会协助了解用地政策和审批流程。"
    if not Problem.objects.filter(
        company=member_company, visit=None, description=direct_text
    ).exists():
        direct = Problem(
            company=member_company,
            category=Category.APPROVALS,
            description=direct_text,
            raised_on=raised_on,
            raised_by=member_user,
            owner=leader_login,
            due_on=raised_on + datetime.timedelta(days=30),
        )
        problems.append(direct)
        events.append(
            (direct, ProblemEvent.Kind.RAISED, "", Status.OPEN, raised_on, member_user, "", "")
        )

    bulk_create_with_history(problems, Problem)
    seed.count(Problem, "created", len(problems))
    ProblemEvent.objects.bulk_create(
        [
            ProblemEvent(
                problem=problem,
                kind=kind,
                from_status=from_status,
                to_status=to_status,
                at=_at(on, 11 if kind == ProblemEvent.Kind.RAISED else 16),
                by=by,
                note=note,
                satisfaction=satisfaction,
            )
            for problem, kind, from_status, to_status, on, by, note, satisfaction in events
        ]
    )
    seed.count(ProblemEvent, "created", len(events))
    if not problems:
        seed.count(Problem, "unchanged", Problem.objects.count())
