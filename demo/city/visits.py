"""The city's leadership seats and liaison table, two years of visits, the problems heard on
them or raised directly, and the proposals made of them."""

import datetime
from collections import Counter, defaultdict

from django.db.models import Max

from activities.models import Assignment, Problem, ProblemEvent, Proposal, Visit
from chamber.models import Position
from demo import activities as demo_visits

from .base import LoaderBase, at

DIRECT_PROBLEM_SHARE = 0.1  # raised by the company itself (企业诉求直通车)
PROPOSAL_TOPICS = (
    "优化中小企业融资服务 加强园区人才公寓供给 简化新建厂房审批流程 完善居住证积分政策咨询渠道 "
    "支持专精特新企业研发投入 缓解产业园区停车难"
).split()
# How problems end, by age in days: the older, the likelier settled. (age over, [(share up
# to, status)]); what is left over stays as it is.
Settled = Problem.Status
OUTCOMES = [
    (180, [(0.92, Settled.SOLVED), (0.96, Settled.DECLINED), (1, Settled.IN_PROGRESS)]),
    (60, [(0.80, Settled.SOLVED), (0.85, Settled.DECLINED), (1, Settled.IN_PROGRESS)]),
    (30, [(0.60, Settled.SOLVED), (0.90, Settled.IN_PROGRESS), (1, Settled.OPEN)]),
    (-1, [(0.20, Settled.SOLVED), (0.55, Settled.IN_PROGRESS), (1, Settled.OPEN)]),
]


class VisitStages(LoaderBase):
    """The leadership's work: seats, the liaison table, visits, problems, proposals."""

    def load_leadership(self):
        """Seats in the current term for the new leaders, and the liaison table: every active
        company to one leader, the ``leader`` login taking its share."""
        rng = self.rng("leadership")
        Title = Position.Title
        orders = Counter(
            dict(
                Position.objects.filter(term=self.term)
                .values_list("title")
                .annotate(top=Max("order"))
                .values_list("title", "top")
            )
        )
        rows = []
        with self.timing(Position):
            ids = self.ids(Position, len(self.leaders))
            for index, (pk, person) in enumerate(zip(ids, self.leaders, strict=True)):
                if index < max(1, len(self.leaders) // 20):
                    title = Title.EXECUTIVE_VICE_PRESIDENT
                elif index < len(self.leaders) // 2:
                    title = Title.VICE_PRESIDENT
                else:
                    title = Title.EXECUTIVE
                orders[title] += 1
                rows.append((pk, person, self.term.pk, title, orders[title], ""))
            self.write(
                Position, ["id", "person_id", "term_id", "title", "order", "portfolio"], rows
            )
        self.visitors = [self.leader_login.pk, *self.leaders]
        pool = list(self.active)
        rng.shuffle(pool)
        self.assigned = defaultdict(list)  # leader → companies
        self.responsible = {}  # company → leader
        for index, company in enumerate(pool):
            leader = self.visitors[index % len(self.visitors)]
            self.assigned[leader].append(company)
            self.responsible[company] = leader
        self.responsible[self.member_company.pk] = self.leader_login.pk
        with self.timing(Assignment):
            ids = self.ids(Assignment, len(pool))
            rows = [
                (pk, self.term.pk, self.responsible[company], company, self.now)
                for pk, company in zip(ids, pool, strict=True)
            ]
            self.write(Assignment, ["id", "term_id", "leader_id", "company_id", "created_at"], rows)

    def load_visits(self):
        """Two years of visits: mostly to the leader's own companies, some elsewhere; the
        ``leader`` login also calls on the ``member`` login's company now and then."""
        rng = self.rng("visits")
        weights = [1.0] + [rng.uniform(0.6, 1.4) for _ in self.leaders]
        leaders = rng.choices(self.visitors, weights, k=self.n["visits"])
        days = (self.today - self.window_start).days
        # The problems heard: each lands on a visit, so some visits bring several and most
        # one or none.
        heard = self.n["problems"] - self.direct_problem_count()
        per_visit = Counter(rng.randrange(len(leaders)) for _ in range(heard))
        users = {self.leader_login.pk: self.leader_user.pk}
        columns = [
            "id", "company_id", "visited_on", "leader_id", "with_economic_office",
            "with_community_centre", "other_partners", "summary", "created_by_id",
            "created_at", "updated_at",
        ]  # fmt: skip
        rows, companions, self.visits = [], [], []
        with self.timing(Visit):
            ids = self.ids(Visit, len(leaders))
            for index, (pk, leader) in enumerate(zip(ids, leaders, strict=True)):
                on = self.window_start + datetime.timedelta(days=rng.randint(0, days))
                mine = self.assigned[leader]
                if leader == self.leader_login.pk and rng.random() < 0.1:
                    company = self.member_company.pk
                elif mine and rng.random() < 0.88:
                    company = mine[rng.randrange(len(mine))]
                else:
                    company = self.active[rng.randrange(len(self.active))]
                draw = rng.random()
                need = demo_visits.WITH_NEED if per_visit[index] else demo_visits.NO_NEED
                logged = at(on, 18)
                rows.append((
                    pk, company, on, leader, draw < 0.16, 0.12 < draw < 0.24,
                    "区人社局" if 0.9 < draw < 0.94 else "",
                    rng.choice(demo_visits.SUMMARIES).format(need=need),
                    users.get(leader), logged, logged,
                ))  # fmt: skip
                self.visits.append((pk, company, on, leader, per_visit[index]))
                if rng.random() < 0.15:
                    other = self.visitors[rng.randrange(len(self.visitors))]
                    if other != leader:
                        companions.append((pk, other))
            self.write(Visit, columns, rows)
        Through = Visit.companions.through
        with self.timing(Through):
            ids = self.ids(Through, len(companions))
            self.write(Through, ["id", "visit_id", "person_id"],
                       [(pk, *row) for pk, row in zip(ids, companions, strict=True)])  # fmt: skip

    def direct_problem_count(self) -> int:
        return max(self.n["member_problems"], round(self.n["problems"] * DIRECT_PROBLEM_SHARE))

    def load_problems(self):
        """The problems heard on the visits and those the companies raised themselves, settled
        or not according to their age, with the two main entries of each one's timeline."""
        rng = self.rng("problems")
        proposals = self.load_proposals(rng)
        users = {self.leader_login.pk: self.leader_user.pk}
        plan = []  # (visit, company, raised on, raised by, owner)
        for visit, company, on, leader, count in self.visits:
            plan += [(visit, company, on, users.get(leader), leader)] * count
        direct = self.direct_problem_count()
        days = (self.today - self.window_start).days
        for index in range(direct):
            on = self.window_start + datetime.timedelta(days=rng.randint(0, days))
            if index < self.n["member_problems"]:
                company, by = self.member_company.pk, self.seed.users["member"].pk
            else:
                company, by = self.active[rng.randrange(len(self.active))], None
            plan.append((None, company, on, by, self.responsible.get(company)))
        categories = list(demo_visits.PROBLEMS)
        RAISED, STATUS = ProblemEvent.Kind.RAISED, ProblemEvent.Kind.STATUS
        columns = [
            "id", "visit_id", "company_id", "category", "description", "attachment",
            "raised_on", "raised_by_id", "owner_id", "due_on", "status", "resolution",
            "resolved_on", "decline_reason", "proposal_id", "internal_notes", "confirmed_at",
            "satisfaction", "created_at", "updated_at",
        ]  # fmt: skip
        rows, timeline = [], []
        with self.timing(Problem):
            ids = self.ids(Problem, len(plan))
            for pk, (visit, company, on, by, owner) in zip(ids, plan, strict=True):
                category = categories[rng.randrange(len(categories))]
                texts = demo_visits.PROBLEMS[category]
                due = on + datetime.timedelta(days=rng.choice([15, 30, 30, 30, 60]))
                outcome = self.outcome(rng, category, (self.today - on).days, proposals)
                status, resolution, resolved, reason, proposal, confirmed, mark = outcome
                entered = at(on, 11)
                rows.append((
                    pk, visit, company, category, texts[rng.randrange(len(texts))], "", on, by,
                    owner, due, status, resolution, resolved, reason, proposal, "", confirmed,
                    mark, entered, entered,
                ))  # fmt: skip
                timeline.append((pk, RAISED, entered, by, "", Settled.OPEN, ""))
                if status != Settled.OPEN:
                    later = min(on + datetime.timedelta(days=rng.randint(2, 20)), self.today)
                    note = resolution or reason
                    by_owner = users.get(owner, self.secretary.pk)
                    timeline.append((pk, STATUS, at(resolved or later, 16), by_owner,
                                     Settled.OPEN, status, note))  # fmt: skip
            self.write(Problem, columns, rows)
        with self.timing(ProblemEvent):
            ids = self.ids(ProblemEvent, len(timeline))
            self.write(
                ProblemEvent,
                ["id", "problem_id", "kind", "at", "by_id", "from_status", "to_status", "note",
                 "satisfaction", "is_internal"],
                [(pk, *row, "", False) for pk, row in zip(ids, timeline, strict=True)],
            )  # fmt: skip

    def outcome(self, rng, category, age: int, proposals):
        """(status, resolution, resolved on, decline reason, proposal, confirmed at,
        satisfaction) of a problem raised ``age`` days ago."""
        draw = rng.random()
        if category == Problem.Category.STAFFING and 45 < age < 400 and draw < 0.01:
            return Settled.PROPOSAL, "", None, "", rng.choice(proposals), None, ""
        shares = next(shares for over, shares in OUTCOMES if age > over)
        status = next(status for upto, status in shares if draw < upto)
        if status == Settled.DECLINED:
            return status, "", None, demo_visits.DECLINE_REASON, None, None, ""
        if status != Settled.SOLVED:
            return status, "", None, "", None, None, ""
        raised = self.today - datetime.timedelta(days=age)
        resolved = min(raised + datetime.timedelta(days=rng.randint(5, 45)), self.today)
        confirmed, mark = None, ""
        if resolved < self.today and rng.random() < 0.85:
            Mark = Problem.Satisfaction
            mark = rng.choice([Mark.SATISFIED] * 4 + [Mark.FAIRLY_SATISFIED])
            confirmed_on = min(resolved + datetime.timedelta(days=rng.randint(1, 7)), self.today)
            confirmed = at(confirmed_on, 15)
        return status, demo_visits.RESOLUTIONS[category], resolved, "", None, confirmed, mark

    def load_proposals(self, rng) -> list[int]:
        """Proposals and motions carried by the new leaders who sit in the CPPCC or the
        People's Congress (the ``leader`` login when none does)."""
        carriers = self.carriers or [(self.leader_login.pk, True)]
        Status = Proposal.Status
        rows = []
        with self.timing(Proposal):
            ids = self.ids(Proposal, self.n["proposals"])
            for pk in ids:
                carrier, cppcc = carriers[rng.randrange(len(carriers))]
                topic = rng.choice(PROPOSAL_TOPICS)
                status = rng.choice([Status.SUBMITTED, Status.ACCEPTED, Status.ANSWERED])
                submitted = self.random_day(rng, self.window_start, self.today)
                response = (
                    "相关部门已答复，将结合实际逐步推进。" if status == Status.ANSWERED else ""
                )
                created = at(submitted, 9)
                rows.append((
                    pk, f"关于{topic}的建议",
                    Proposal.Kind.PROPOSAL if cppcc else Proposal.Kind.MOTION,
                    f"{submitted.year}年{'市政协全体会议' if cppcc else '区人民代表大会'}",
                    f"会员企业走访中反映，{topic}仍有不少困难。建议有关部门研究出台针对性措施。",
                    carrier, status, submitted, response, None, created, created,
                ))  # fmt: skip
            self.write(
                Proposal,
                ["id", "title", "kind", "session", "body", "carrier_id", "status",
                 "submitted_on", "response", "created_by_id", "created_at", "updated_at"],
                rows,
            )  # fmt: skip
        return list(ids)
