"""The city's member companies, with their tags, and their people: a main contact each, the
leaders, and more staff."""

import datetime

from pypinyin import lazy_pinyin
from stdnum.cn import uscc

from demo import data
from members.models import Company, Person, pinyin_initials, pinyin_sort_key

from .base import DISTRICT_WEIGHTS, DISTRICTS, LoaderBase

EMAIL_DOMAIN = "city-demo.example"  # reserved (RFC 2606): never a real mailbox
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


class CompanyStages(LoaderBase):
    """Companies first: every later stage picks from them."""

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
