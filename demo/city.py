"""City-scale demo data (``seed_demo --scale city``): a city chamber's load on top of the demo.

The pages must stay fast when a chamber is the size of a city's 工商联, not a town's: 20,000
member companies, 40,000 people, 400 leaders each responsible for about 50 companies, two years
of visits (200,000) and the problems heard on them (300,000), 20,000 events from two years back
to half a year ahead with 500,000 sign-ups, and 100,000 donations to campaigns and pairings.
This module writes that on top of the normal demo, so that the demo logins carry the load: the
``leader`` login is responsible for about 50 of the new companies and has led hundreds of
visits, the ``member`` login's company has many problems and its contact many sign-ups, and the
president sees all of it.

Rows are written in bulk with their primary keys chosen here (PostgreSQL: ``COPY``; other
databases: ``bulk_create``), the sequences reset afterwards, and the tables analysed. The
derived search keys (``Company.name_initials`` and ``name_pinyin``) are computed by the same
functions ``Company.save()`` uses. The bulk rows get no history rows: nobody edited them.

Everything comes from generators seeded by the stage's name, so two loads of the same size
are identical (but for the events' check-in codes, which are secrets). A second load finds the
first company already there and writes nothing. ``factor`` scales every count, so that a test
can load a small city in seconds.
"""

import csv
import datetime
import io
import random
import secrets
import time
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from pypinyin import lazy_pinyin
from stdnum.cn import uscc

from activities.models import (
    Assignment,
    Event,
    Problem,
    ProblemEvent,
    Proposal,
    Registration,
    Talk,
    Visit,
    month_end,
    month_start,
)
from chamber.models import Position
from charity.models import (
    Beneficiary,
    Campaign,
    Consent,
    ContributorPreference,
    Donation,
    Pairing,
    Project,
)
from core.counts import bump
from core.time import SHANGHAI, add_months
from demo import activities as demo_visits
from demo import data
from demo import events as demo_events
from demo.charity import RENEWED_NOTICE
from members.models import Company, Person, pinyin_initials, pinyin_sort_key

EMAIL_DOMAIN = "city-demo.example"  # reserved (RFC 2606): never a real mailbox
KEYS = "indexes and foreign keys put back"
COMMIT = "commit"
ANALYZE = "ANALYZE"

# Every table the load writes to.
WRITTEN = [
    Company,
    Company.tags.through,
    Person,
    Position,
    Assignment,
    Visit,
    Visit.companions.through,
    Proposal,
    Problem,
    ProblemEvent,
    Event,
    Talk,
    Registration,
    Campaign,
    Beneficiary,
    Consent,
    Pairing,
    Pairing.companies.through,
    Project,
    Donation,
    ContributorPreference,
]
# Sizes at factor 1.
FULL = {
    "companies": 20_000,
    "people": 40_000,
    "leaders": 400,
    "visits": 200_000,
    "problems": 300_000,
    "events": 20_000,
    "registrations": 500_000,
    "donations": 100_000,
    "campaigns": 60,
    "beneficiaries": 1_000,
    "proposals": 40,
    "member_problems": 60,
    "member_registrations": 150,
    "member_donations": 30,
}
# The least of each, however small the factor, so that every page has something to show.
LEAST = {
    "companies": 20,
    "people": 40,
    "leaders": 2,
    "visits": 40,
    "problems": 60,
    "events": 20,
    "registrations": 200,
    "donations": 40,
    "campaigns": 2,
    "beneficiaries": 4,
    "proposals": 1,
    "member_problems": 2,
    "member_registrations": 3,
    "member_donations": 2,
}
VISIT_MONTHS = 24  # visits: this month and the 23 before it
EVENT_DAYS_AHEAD = 183
DIRECT_PROBLEM_SHARE = 0.1  # raised by the company itself (企业诉求直通车)

# Shanghai's districts: (administrative division code, name).
DISTRICTS = [
    tuple(pair.split(":"))
    for pair in (
        "310101:黄浦区 310104:徐汇区 310105:长宁区 310106:静安区 310107:普陀区 310109:虹口区 "
        "310110:杨浦区 310112:闵行区 310113:宝山区 310114:嘉定区 310115:浦东新区 310116:金山区 "
        "310117:松江区 310118:青浦区 310120:奉贤区 310151:崇明区"
    ).split()
]
# Pudong, Minhang and the other large districts hold more of the companies.
DISTRICT_WEIGHTS = [4, 5, 4, 5, 4, 3, 4, 8, 6, 6, 14, 3, 7, 6, 4, 2]
ROADS = (
    "南京西路 淮海中路 漕溪北路 中山南路 长寿路 四平路 虹桥路 延安西路 世纪大道 张杨路 沪闵路 "
    "七莘路 沪太路 共和新路 嘉松北路 曹安公路 人民北路 沪松公路 华徐公路 沪青平公路 南桥路 "
    "金山大道 陈海公路 宁国路 江场路 武宁路 天山路 古北路 龙华中路 浦东南路"
).split()
# Characters of trade names (字号): two of them and a kind (data.KINDS) make a company name.
BRAND_CHARS = (
    "华鑫瑞恒盛宏达信诚嘉德润泰丰源隆兴顺通汇锦博优创新智联合安康和美佳金天海东方中星辰宇正"
    "明光远航腾飞凯旭昊晨卓越致富昌荣泓浩川岳峰森林蓝青"
)
VENUES = (
    "工商联会议室 商会活动中心多功能厅 社区文化活动中心 企业服务中心报告厅 党群服务中心".split()
)
MINUTES = "活动按计划进行，参加人员反响良好。秘书处已整理活动照片和签到表，存入活动档案。"
PROPOSAL_TOPICS = (
    "优化中小企业融资服务 加强园区人才公寓供给 简化新建厂房审批流程 完善居住证积分政策咨询渠道 "
    "支持专精特新企业研发投入 缓解产业园区停车难"
).split()
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
# How problems end, by age in days: the older, the likelier settled. (age over, [(share up
# to, status)]); what is left over stays as it is.
Settled = Problem.Status
OUTCOMES = [
    (180, [(0.92, Settled.SOLVED), (0.96, Settled.DECLINED), (1, Settled.IN_PROGRESS)]),
    (60, [(0.80, Settled.SOLVED), (0.85, Settled.DECLINED), (1, Settled.IN_PROGRESS)]),
    (30, [(0.60, Settled.SOLVED), (0.90, Settled.IN_PROGRESS), (1, Settled.OPEN)]),
    (-1, [(0.20, Settled.SOLVED), (0.55, Settled.IN_PROGRESS), (1, Settled.OPEN)]),
]


def scaled_sizes(factor: float) -> dict[str, int]:
    """Every count at a scale (1: the city; 0.002: a few hundred rows for a test)."""
    sizes = {name: max(LEAST[name], round(full * factor)) for name, full in FULL.items()}
    # Each company has its main contact and each leader is a person of their own.
    sizes["leaders"] = min(sizes["leaders"], sizes["companies"] // 2)
    sizes["people"] = max(sizes["people"], sizes["companies"] + sizes["leaders"])
    return sizes


@dataclass
class Report:
    """What the load wrote: rows and seconds per model."""

    rows: Counter = field(default_factory=Counter)
    seconds: Counter = field(default_factory=Counter)
    total_seconds: float = 0.0
    already_loaded: int = 0

    def lines(self) -> list[str]:
        if self.already_loaded:
            return [
                f"City data is already loaded ({self.already_loaded} member companies): nothing "
                "written. Recreate the database for a fresh load."
            ]
        lines = [
            f"  {label:<36} {self.rows[label]:>9,} rows {secs:7.1f} s"
            if label in self.rows
            else f"  {label:<51} {secs:7.1f} s"
            for label, secs in self.seconds.items()
        ]
        lines.append(
            f"  {'total':<36} {sum(self.rows.values()):>9,} rows {self.total_seconds:7.1f} s"
        )
        return lines


class Writer:
    """Writes rows (tuples in the order of ``columns``, primary key first) in bulk.

    PostgreSQL gets ``COPY … FROM STDIN`` in CSV (written by the ``csv`` module, in C), several
    times faster than INSERT; other databases get ``bulk_create``. Primary keys are chosen by
    the caller from ``next_id``, so that rows can point at each other before they are written;
    ``reset_sequences`` puts the database's own counters past them.
    """

    CHUNK = 100_000

    def __init__(self):
        self.copy = connection.vendor == "postgresql"
        self.models = []

    @staticmethod
    def next_id(model) -> int:
        return (model._default_manager.aggregate(top=Max("pk"))["top"] or 0) + 1

    def write(self, model, columns: list[str], rows: list[tuple]):
        if model not in self.models:
            self.models.append(model)
        if not self.copy:
            model._default_manager.bulk_create(
                [model(**dict(zip(columns, row, strict=True))) for row in rows], batch_size=2000
            )
            return
        fields = {field.attname: field for field in model._meta.concrete_fields}
        names = ", ".join(f'"{fields[name].column}"' for name in columns)
        # Strings are quoted and None is written as "": FORCE_NULL reads "" as NULL in the
        # nullable columns (dates, numbers, keys), where an empty string cannot be meant.
        nullable = ", ".join(f'"{fields[name].column}"' for name in columns if fields[name].null)
        options = f"FORMAT csv, FORCE_NULL ({nullable})" if nullable else "FORMAT csv"
        sql = f'COPY "{model._meta.db_table}" ({names}) FROM STDIN WITH ({options})'
        with connection.cursor() as cursor:
            for start in range(0, len(rows), self.CHUNK):
                buffer = io.StringIO()
                csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n").writerows(
                    rows[start : start + self.CHUNK]
                )
                buffer.seek(0)
                cursor.cursor.copy_expert(sql, buffer)

    @contextmanager
    def keys_and_indexes_built_once(self, models):
        """On PostgreSQL, drop the tables' foreign keys and plain indexes (on columns: not
        unique, partial or on expressions, whose re-created text could differ) for the load,
        and put them back after it, as pg_restore does: each key is then checked, and each
        index built, once over the whole table rather than row by row (the row-by-row foreign
        key checks at the commit were the slowest part of the load). All within the load's
        transaction, so nobody sees the tables without them; other sessions wait."""
        if not self.copy:
            yield
            return
        tables = [model._meta.db_table for model in models]
        with connection.cursor() as cursor:
            # Checks still pending (rows written earlier in this transaction) run now: a
            # table with pending checks cannot be altered.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
                "FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY(%s::regclass[])",
                [tables],
            )
            keys = cursor.fetchall()
            for table, name, _ in keys:
                cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            cursor.execute(
                "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
                "WHERE indrelid = ANY(%s::regclass[]) AND NOT indisunique "
                "AND indexprs IS NULL AND indpred IS NULL",
                [tables],
            )
            indexes = cursor.fetchall()
            for name, _ in indexes:
                cursor.execute(f"DROP INDEX {name}")
        yield
        with connection.cursor() as cursor:
            for _, definition in indexes:
                cursor.execute(definition)
            for table, name, definition in keys:
                cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")

    def reset_sequences(self):
        statements = connection.ops.sequence_reset_sql(no_style(), self.models)
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=SHANGHAI)


def credit_code(index: int, division: str) -> str:
    """A valid 统一社会信用代码 of a company registered in ``division``: 91 + the division +
    an organisation code in the newer MA… form + the check digit. The index makes it unique."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    number = (index * 7919 + 104_729) % 31**6  # scattered, yet one per index
    serial = ""
    for _ in range(6):
        number, digit = divmod(number, 31)
        serial = alphabet[digit] + serial
    body = f"91{division}MA1{serial}"
    return body + uscc.calc_check_digit(body)


class CityLoader:
    """Writes the city on top of a ``Seed`` of the demo, one stage after another."""

    def __init__(self, seed, sizes: dict[str, int]):
        self.seed = seed
        self.n = sizes
        self.today = seed.today
        self.now = timezone.now()
        self.writer = Writer()
        self.report = Report()
        self.term = seed.terms["current"]
        self.secretary = seed.users["secretary"]
        self.leader_user = seed.users["leader"]
        self.leader_login = self.leader_user.person
        self.member = seed.users["member"].person
        self.member_company = self.member.company
        self.window_start = add_months(month_start(self.today), -(VISIT_MONTHS - 1))

    def rng(self, *key) -> random.Random:
        return random.Random(":".join([data.SEED, "city", *map(str, key)]))

    @contextmanager
    def timing(self, what):
        label = what if isinstance(what, str) else what._meta.label
        start = time.perf_counter()
        yield
        self.report.seconds[label] += time.perf_counter() - start

    def write(self, model, columns, rows):
        self.writer.write(model, columns, rows)
        self.report.rows[model._meta.label] += len(rows)

    def ids(self, model, count: int) -> range:
        first = self.writer.next_id(model)
        return range(first, first + count)

    def random_day(self, rng, first: datetime.date, last: datetime.date) -> datetime.date:
        return first + datetime.timedelta(days=rng.randint(0, max((last - first).days, 0)))

    # --- The load ---------------------------------------------------------------------------

    def run(self) -> Report:
        started = time.perf_counter()
        self.names = self.company_names()
        found = Company.objects.filter(name=self.names[0][0]).exists()
        if found:
            self.report.already_loaded = Company.objects.count()
            return self.report
        with transaction.atomic():
            with self.writer.keys_and_indexes_built_once(WRITTEN):
                for step in (
                    self.load_companies,
                    self.load_people,
                    self.load_leadership,
                    self.load_visits,
                    self.load_problems,
                    self.load_events,
                    self.load_registrations,
                    self.load_charity,
                ):
                    step()
                checking = time.perf_counter()
            self.report.seconds[KEYS] = time.perf_counter() - checking
            self.writer.reset_sequences()
            committing = time.perf_counter()
        self.report.seconds[COMMIT] = time.perf_counter() - committing
        with self.timing(ANALYZE):
            self.analyze()
        self.report.total_seconds = time.perf_counter() - started
        return self.report

    def analyze(self):
        """Let the query planner see the new sizes now rather than after autovacuum."""
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                tables = ", ".join(f'"{model._meta.db_table}"' for model in WRITTEN)
                cursor.execute(f"ANALYZE {tables}")
            else:
                cursor.execute("ANALYZE")

    # --- Companies and people ---------------------------------------------------------------

    def company_names(self) -> list[tuple[str, str]]:
        """(name, kind) of every new company: unique, and none of the demo's. The same
        whatever is in the database, so that the first one tells whether the city is loaded."""
        rng = self.rng("names")
        taken = {spec.name for spec in self.seed.company_specs}
        kinds = list(data.KINDS)
        names = []
        while len(names) < self.n["companies"]:
            brand = rng.choice(BRAND_CHARS) + rng.choice(BRAND_CHARS)
            kind = rng.choice(kinds)
            suffix = data.KINDS[kind][0]
            if rng.random() < 0.08:
                name = f"{brand}（上海）{suffix}"
            else:
                name = f"上海{brand}{suffix}"
            if brand[0] != brand[1] and name not in taken:
                taken.add(name)
                names.append((name, kind))
        return names

    def load_companies(self):
        rng = self.rng("companies")
        leaders = self.n["leaders"]
        columns = [
            "id", "name", "credit_code", "industry", "industry_text", "tier", "status",
            "member_since", "address", "profile", "logo", "party_organisation", "party_members",
            "name_initials", "name_pinyin", "created_at", "updated_at",
        ]  # fmt: skip
        Party, Tier, Status = Company.PartyOrganisation, Company.Tier, Company.Status
        tags = [(self.seed.tags[name].pk, share) for name, share in (
            ("高新技术企业", 0.06), ("专精特新", 0.03), ("知名企业", 0.01),
            ("上市企业", 0.005), ("亿元楼", 0.005),
        )]  # fmt: skip
        rows, tag_rows, self.companies = [], [], []
        with self.timing(Company):
            ids = self.ids(Company, len(self.names))
            for index, (pk, (name, kind)) in enumerate(zip(ids, self.names, strict=True)):
                division, district = rng.choices(DISTRICTS, DISTRICT_WEIGHTS)[0]
                suffix, industry, profiles = data.KINDS[kind]
                status = Status.ACTIVE
                draw = rng.random()
                if index >= leaders and draw < 0.02:
                    status = Status.LEFT
                elif index >= leaders and draw < 0.06:
                    status = Status.SUSPENDED
                if index < leaders:
                    tier = Tier.VICE_PRESIDENT if index < leaders // 2 else Tier.EXECUTIVE
                else:
                    tier = Tier.MEMBER
                party, party_members = Party.NONE, 0
                draw = rng.random()
                if draw < 0.2:
                    party, party_members = Party.BRANCH, rng.randint(3, 40)
                elif draw < 0.35:
                    party, party_members = Party.JOINT_BRANCH, rng.randint(1, 4)
                profile = rng.choice(profiles)
                for place in ("徐泾镇", "徐泾", "青浦区"):
                    profile = profile.replace(place, district)
                year = 1998 + int(rng.random() ** 0.7 * (self.today.year - 1998))
                since = min(datetime.date(year, rng.randint(1, 12), rng.randint(1, 28)), self.today)
                address = f"上海市{district}{rng.choice(ROADS)}{rng.randint(1, 2000)}号"
                if rng.random() < 0.4:
                    address += f"{rng.randint(1, 30)}楼{rng.randint(1, 20):02d}室"
                code = credit_code(index, division) if rng.random() > 0.03 else ""
                rows.append((
                    pk, name, code, industry, "", tier, status, since, address, profile, "", party,
                    party_members, pinyin_initials(name), pinyin_sort_key(name), self.now,
                    self.now,
                ))  # fmt: skip
                self.companies.append((pk, status == Status.ACTIVE))
                for tag, share in tags:
                    if rng.random() < share:
                        tag_rows.append((pk, tag))
            self.write(Company, columns, rows)
        Through = Company.tags.through
        with self.timing(Through):
            ids = self.ids(Through, len(tag_rows))
            self.write(Through, ["id", "company_id", "tag_id"],
                       [(pk, *row) for pk, row in zip(ids, tag_rows, strict=True)])  # fmt: skip
        self.active = [pk for pk, active in self.companies if active]

    def load_people(self):
        """Each company's main contact, the leaders (heads of the first companies), and more
        staff spread over the companies."""
        rng = self.rng("people")
        surnames = {ch: "".join(lazy_pinyin(ch)) for ch in set(data.SURNAMES)}
        given = {name: "".join(lazy_pinyin(name)) for name in data.GIVEN_NAMES}
        surname_list, given_list = list(data.SURNAMES), list(data.GIVEN_NAMES)
        companies = [pk for pk, _ in self.companies]
        leaders = self.n["leaders"]
        extras = self.n["people"] - len(companies) - leaders
        plan = [(pk, "main") for pk in companies]
        plan += [(pk, "leader") for pk in companies[:leaders]]
        plan += [(companies[rng.randrange(len(companies))], "staff") for _ in range(extras)]
        columns = [
            "id", "name", "company_id", "title", "mobile", "email", "is_main_contact",
            "is_cppcc_member", "is_npc_deputy", "political_title", "notes", "created_at",
            "updated_at",
        ]  # fmt: skip
        rows, self.leaders, self.contacts = [], [], {}
        with self.timing(Person):
            ids = self.ids(Person, len(plan))
            for pk, (company, role) in zip(ids, plan, strict=True):
                surname, first = rng.choice(surname_list), rng.choice(given_list)
                mobile = rng.choice(data.MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
                email = f"{surnames[surname]}{given[first]}{pk}@{EMAIL_DOMAIN}"
                cppcc = npc = False
                political = ""
                if role == "leader":
                    title = rng.choice(["董事长", "董事长", "总经理"])
                    draw = rng.random()
                    if draw < 0.08:
                        cppcc, political = True, "上海市政协委员"
                    elif draw < 0.14:
                        npc, political = True, "区人大代表"
                    self.leaders.append(pk)
                elif role == "main":
                    title = rng.choice(data.CONTACT_TITLES)
                    self.contacts[company] = pk
                else:
                    title = rng.choice(data.SECOND_PERSON_TITLES)
                rows.append((
                    pk, surname + first, company, title, mobile, email, role == "main", cppcc,
                    npc, political, "", self.now, self.now,
                ))  # fmt: skip
            self.write(Person, columns, rows)
        self.people = [row[0] for row in rows]
        self.carriers = [(row[0], row[7]) for row in rows if row[7] or row[8]]

    # --- Leadership, liaison table, visits and problems ------------------------------------

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

    # --- Events and sign-ups ----------------------------------------------------------------

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
            "recurrence", "copied_from_id", "minutes", "sequence", "check_in_code",
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
                    plan.description, not past, cancelled, "", None, minutes, 0,
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

    # --- Charity ----------------------------------------------------------------------------

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


def load_city(seed, *, factor: float = 1.0) -> Report:
    """Write the city on top of the demo ``seed`` (see the module's docstring)."""
    report = CityLoader(seed, scaled_sizes(factor)).run()
    # Bulk writes send no signals: counts cached for the pages must be recomputed.
    for model in (Company, Assignment, Visit, Visit.companions.through, Problem):
        bump(model)
    return report
