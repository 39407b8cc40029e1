"""The districts' charity campaigns, beneficiaries paired with companies (with consents and
projects), donations, and the donors' listing preferences."""

import datetime
from decimal import Decimal

from charity.models import (
    Beneficiary,
    Campaign,
    Consent,
    ContributorPreference,
    Donation,
    Pairing,
    Project,
)
from demo import data
from demo.charity import RENEWED_NOTICE

from .base import DISTRICTS, LoaderBase, at

CAMPAIGN_THEMES = [
    ("“万企兴万村”行动", Campaign.Kind.POVERTY),
    ("助学圆梦", Campaign.Kind.FUNDRAISER),
    ("夏季送清凉", Campaign.Kind.VISIT),
    ("重阳敬老慰问", Campaign.Kind.VISIT),
    ("新春送温暖", Campaign.Kind.VISIT),
    ("防汛救灾捐赠", Campaign.Kind.EPIDEMIC),
    ("对口帮扶云南", Campaign.Kind.POVERTY),
    ("对口帮扶贵州遵义", Campaign.Kind.POVERTY),
    ("慈善一日捐", Campaign.Kind.FUNDRAISER),
    ("关爱环卫工人", Campaign.Kind.OTHER),
    ("爱心助残", Campaign.Kind.FUNDRAISER),
]
AID_AREAS = (
    "练塘镇 金泽镇 朱家角镇 庄行镇 廊下镇 新场镇 港西镇 云南省普洱市 云南省文山州 贵州省遵义市"
).split()
VILLAGE_CHARS = "东西南北新金银高桥浜泾港塘湾庄田林泉石山溪河湖莲荷桃李"
GROUPS = "阳光之家 青少年工作站 助老服务站 困难家庭互助组".split()
PAIRING_GOALS = {
    Beneficiary.Kind.VILLAGE: "道路整修、河道治理和公共设施安装",
    Beneficiary.Kind.SCHOOL: "改善办学条件，资助家庭困难学生",
    Beneficiary.Kind.STUDENT: "资助完成学业",
    Beneficiary.Kind.GROUP: "认领微心愿，定期走访慰问",
}
PROJECTS = {
    Project.Kind.ROAD: "村道整修",
    Project.Kind.RIVER: "河道清淤",
    Project.Kind.FACILITIES: "公共设施改造",
    Project.Kind.BOOKS: "图书捐赠",
    Project.Kind.STIPEND: "困难学生生活补助",
}
CASH = [1000, 2000, 3000, 5000, 5000, 8000, 10000, 10000, 20000, 30000, 50000, 100000]
LUCKY = ["6666.66", "8888.88", "18888.88"]
GOODS = [
    ("矿泉水200箱", "4800.00"),
    ("防暑药品100份", "3600.00"),
    ("重阳糕200盒", "6400.00"),
    ("食用油200桶", "8500.00"),
    ("图书500册", "15000.00"),
    ("医用口罩20000只", "26800.00"),
]


class CharityStages(LoaderBase):
    """Campaigns, pairings, donations and listing preferences."""

    def load_charity(self):
        rng = self.rng("charity")
        campaigns = self.load_campaigns(rng)
        pairings = self.load_pairings(rng)
        self.load_donations(rng, campaigns, pairings)
        listed = rng.sample(self.active, len(self.active) // 10)
        with self.timing(ContributorPreference):
            ids = self.ids(ContributorPreference, len(listed))
            self.write(
                ContributorPreference,
                ["id", "company_id", "listed", "updated_at", "updated_by_id"],
                [(pk, company, rng.random() < 0.85, self.now, None)
                 for pk, company in zip(ids, listed, strict=True)],
            )  # fmt: skip

    def load_campaigns(self, rng) -> list[tuple[int, datetime.date, datetime.date]]:
        """The districts' drives of this year and the last: (pk, first day, last day so far)."""
        latest = self.today - datetime.timedelta(days=7)
        names = [
            (year, district, theme, kind)
            for year in (latest.year - 1, latest.year)
            for _, district in DISTRICTS
            for theme, kind in CAMPAIGN_THEMES
        ]
        rows, campaigns = [], []
        with self.timing(Campaign):
            ids = self.ids(Campaign, self.n["campaigns"])
            for pk, (year, district, theme, kind) in zip(
                ids, rng.sample(names, len(ids)), strict=True
            ):
                starts = self.random_day(
                    rng, datetime.date(year, 1, 1), min(latest, datetime.date(year, 12, 31))
                )
                ends = starts + datetime.timedelta(days=rng.randint(0, 90))
                goal = Decimal(rng.choice([200_000, 500_000, 1_000_000, 3_000_000]))
                rows.append((pk, f"{year}年{district}{theme}", kind, starts, ends,
                             goal if rng.random() < 0.6 else None,
                             f"{district}工商联组织会员企业开展{theme}活动。"))  # fmt: skip
                campaigns.append((pk, starts, min(ends, self.today)))
            columns = ["id", "name", "kind", "starts_on", "ends_on", "goal", "description"]
            self.write(Campaign, columns, rows)
        return campaigns

    def load_pairings(self, rng) -> list[tuple[int, datetime.date, list[int]]]:
        """Beneficiaries (villages, schools, students, groups), each paired with one to three
        companies, with consents for the sensitive ones and projects for villages and schools:
        (pairing pk, start, companies)."""
        Kind = Beneficiary.Kind
        kinds = rng.choices(
            [Kind.VILLAGE, Kind.SCHOOL, Kind.STUDENT, Kind.GROUP], [50, 15, 25, 10],
            k=self.n["beneficiaries"],
        )  # fmt: skip
        people, consents, pairings, members, projects = [], [], [], [], []
        with self.timing(Beneficiary):
            ids = self.ids(Beneficiary, len(kinds))
            for pk, kind in zip(ids, kinds, strict=True):
                area = rng.choice(AID_AREAS)
                organisation, sensitive, child = "", False, False
                if kind == Kind.VILLAGE:
                    name = rng.choice(VILLAGE_CHARS) + rng.choice(VILLAGE_CHARS) + "村"
                elif kind == Kind.SCHOOL:
                    name = f"{area[-3:-1]}第{rng.randint(1, 6)}小学"
                elif kind == Kind.STUDENT:
                    name = rng.choice(data.SURNAMES) + "同学"
                    organisation = f"{area[-3:-1]}中学"
                    sensitive, child = True, rng.random() < 0.5
                else:
                    name = rng.choice(GROUPS)
                    organisation = f"{area}{name}"
                people.append((pk, kind, name, area, organisation, sensitive, child, "",
                               self.now, self.now))  # fmt: skip
                starts = self.random_day(
                    rng, datetime.date(2019, 1, 1), self.today - datetime.timedelta(days=60)
                )
                if sensitive:
                    consents.append((pk, name[0] + "某某" if child else name,
                                     Consent.Relation.PARENT if child else Consent.Relation.SELF,
                                     starts, RENEWED_NOTICE, False, None))  # fmt: skip
                companies = rng.sample(self.active, rng.choice([1, 1, 1, 2, 3]))
                pairings.append((pk, starts, companies, kind))
            self.write(
                Beneficiary,
                ["id", "kind", "name", "area", "organisation", "is_sensitive", "is_under_14",
                 "details", "created_at", "updated_at"],
                people,
            )  # fmt: skip
        with self.timing(Consent):
            ids = self.ids(Consent, len(consents))
            self.write(
                Consent,
                ["id", "beneficiary_id", "given_by", "relation", "given_on", "notice_version",
                 "publish_name", "withdrawn_on"],
                [(pk, *row) for pk, row in zip(ids, consents, strict=True)],
            )  # fmt: skip
        result = []
        with self.timing(Pairing):
            ids = self.ids(Pairing, len(pairings))
            rows = []
            for pk, (beneficiary, starts, companies, kind) in zip(ids, pairings, strict=True):
                rows.append((pk, beneficiary, None, starts, None, PAIRING_GOALS[kind], ""))
                members += [(pk, company) for company in companies]
                result.append((pk, starts, companies))
                if kind in (Kind.VILLAGE, Kind.SCHOOL):
                    projects.append((pk, kind, starts))
            self.write(
                Pairing,
                ["id", "beneficiary_id", "campaign_id", "starts_on", "ends_on", "goal", "notes"],
                rows,
            )
        Through = Pairing.companies.through
        with self.timing(Through):
            ids = self.ids(Through, len(members))
            self.write(Through, ["id", "pairing_id", "company_id"],
                       [(pk, *row) for pk, row in zip(ids, members, strict=True)])  # fmt: skip
        self.load_projects(rng, projects)
        return result

    def load_projects(self, rng, pairings):
        Kind, Status = Project.Kind, Project.Status
        rows = []
        with self.timing(Project):
            ids = iter(self.ids(Project, 2 * len(pairings)))
            for pairing, beneficiary_kind, starts in pairings:
                kinds = [Kind.ROAD, Kind.RIVER, Kind.FACILITIES]
                if beneficiary_kind == Beneficiary.Kind.SCHOOL:
                    kinds = [Kind.FACILITIES, Kind.BOOKS, Kind.STIPEND]
                for kind in rng.sample(kinds, rng.randint(1, 2)):
                    status = rng.choice(
                        [Status.DONE, Status.DONE, Status.IN_PROGRESS, Status.PLANNED]
                    )
                    done = (
                        self.random_day(rng, starts, self.today) if status == Status.DONE else None
                    )
                    budget = Decimal(rng.choice([50_000, 80_000, 120_000, 200_000]))
                    rows.append(
                        (next(ids), pairing, kind, PROJECTS[kind], budget, status, done, "")
                    )
            self.write(
                Project,
                ["id", "pairing_id", "kind", "title", "budget", "status", "completed_on",
                 "description"],
                rows,
            )  # fmt: skip

    def load_donations(self, rng, campaigns, pairings):
        """Gifts to the campaigns (by any company) and to the pairings (by their companies),
        mostly money, some in kind, a few pledges not yet received; the ``member`` login's
        company among the givers."""
        Form, Status = Donation.Form, Donation.Status
        columns = [
            "id", "company_id", "campaign_id", "pairing_id", "form", "amount", "goods",
            "status", "donated_on", "receipt_number", "notes", "created_at", "updated_at",
        ]  # fmt: skip
        rows = []
        with self.timing(Donation):
            ids = self.ids(Donation, self.n["donations"])
            for index, pk in enumerate(ids):
                if index < self.n["member_donations"] or rng.random() < 0.6:
                    campaign, first, last = campaigns[rng.randrange(len(campaigns))]
                    pairing = None
                    company = self.active[rng.randrange(len(self.active))]
                    if index < self.n["member_donations"]:
                        company = self.member_company.pk
                else:
                    pairing, starts, companies = pairings[rng.randrange(len(pairings))]
                    campaign = None
                    first, last = max(starts, self.window_start), self.today
                    company = companies[rng.randrange(len(companies))]
                on = self.random_day(rng, first, last)
                form, goods = Form.CASH, ""
                if rng.random() < 0.15:
                    goods, amount = rng.choice(GOODS)
                    form, amount = Form.IN_KIND, Decimal(amount)
                elif rng.random() < 0.03:
                    amount = Decimal(rng.choice(LUCKY))
                else:
                    amount = Decimal(rng.choice(CASH))
                status, receipt, notes = Status.RECEIVED, f"SH{on.year}{pk:08d}", ""
                if (self.today - on).days < 30 and rng.random() < 0.3:
                    status, receipt, notes = Status.PLEDGED, "", "认捐，待到账"
                entered = at(on, 10)
                rows.append((pk, company, campaign, pairing, form, amount, goods, status, on,
                             receipt, notes, entered, entered))  # fmt: skip
            self.write(Donation, columns, rows)
