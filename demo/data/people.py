"""Everyone in the demo: seat holders, secretariat staff, and each company's contacts. Every
name, mobile and email is invented, and handed out deterministically, but the president's: the
article names him (``ARTICLE_PEOPLE``), and he has no made-up mobile. The companies the article
names have no invented contact."""

from dataclasses import dataclass, replace

from pypinyin import lazy_pinyin

from members.models import Company

from .chamber import EMAIL_DOMAIN, _rng
from .companies import ARTICLE_PEOPLE, CompanySpec
from .organisation import CPPCC, INVESTMENT_MANAGERS, NPC, SEATS, SECRETARIAT_STAFF

Party = Company.PartyOrganisation


@dataclass(frozen=True)
class PersonSpec:
    name: str
    company: str | None
    title: str
    mobile: str = ""
    email: str = ""
    is_main_contact: bool = False
    is_cppcc_member: bool = False
    is_npc_deputy: bool = False
    political_title: str = ""


SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾田董袁潘蒋蔡余杜叶程苏"
    "魏吕丁任沈姚卢姜钟谭陆汪范金石廖贾夏方邹孟熊秦邱江尹薛雷侯史陶贺顾毛龚邵钱严戴孔汤俞倪施殷庄"
    # Shanghai's commonest surnames, once more for weight.
    "沈陆顾钱朱徐张王陈周"
)
GIVEN_NAMES = (
    "建华 志强 国平 卫东 海峰 俊杰 浩然 宇航 家豪 明辉 志刚 建军 晓峰 国强 振宇 一鸣 嘉伟 "
    "思远 博文 晨阳 宏伟 德明 永康 志明 文龙 子豪 天宇 正阳 伟 磊 涛 斌 鹏 勇 超 翔 辉 凯 亮 "
    "峰 杰 毅 洋 彬 锋 雪梅 海燕 晓燕 丽娟 静怡 雨婷 思琪 欣怡 佳琪 梦瑶 晓雯 慧敏 婷婷 秀英 "
    "桂芳 玉兰 春燕 文静 晓丽 佳慧 雅琴 秀兰 海霞 凤英 晓敏 诗涵 欣然 雨欣 晓晴 嘉怡 静雯 "
    "梦洁 倩 颖 敏 静 丹 艳 芳 燕 玲 霞 娟 蕾 洁 琳 萍"
).split()
MOBILE_PREFIXES = (
    "130 131 132 133 135 136 137 138 139 150 151 152 155 156 158 159 166 "
    "176 177 180 181 186 187 188 189 199"
).split()
CONTACT_TITLES = (
    ["总经理"] * 5
    + ["董事长"] * 2
    + ["行政经理"] * 4
    + ["办公室主任"] * 3
    + ["行政主管"] * 2
    + ["副总经理"] * 2
    + ["综合部经理", "人事行政经理"]
)
LEADER_COMPANY_CONTACT_TITLES = ["办公室主任", "行政经理", "董事长助理", "总经理助理"]
SECOND_PERSON_TITLES = ["副总经理", "财务经理", "人事经理", "行政专员", "市场总监"]


class _People:
    """Hands out unique invented names, mobiles and emails, deterministically."""

    def __init__(self, reserved):
        self.names = set(reserved)
        self.mobiles = set()
        self.emails = set()

    def name(self, rng) -> str:
        while True:
            name = rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES)
            if name not in self.names:
                self.names.add(name)
                return name

    def mobile(self, rng) -> str:
        while True:
            mobile = rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
            if mobile not in self.mobiles:
                self.mobiles.add(mobile)
                return mobile

    def email(self, name: str) -> str:
        local = "".join(lazy_pinyin(name))
        candidate, n = local, 1
        while candidate in self.emails:
            n += 1
            candidate = f"{local}{n}"
        self.emails.add(candidate)
        return f"{candidate}@{EMAIL_DOMAIN}"

    def person(self, name, company, title, rng, **flags) -> PersonSpec:
        return PersonSpec(
            name=name,
            company=company,
            title=title,
            mobile=self.mobile(rng),
            email=self.email(name),
            **flags,
        )


def people(company_specs: list[CompanySpec]) -> list[PersonSpec]:
    """The roster: seat holders, secretariat staff, and every company's contacts."""
    reserved = [seat.person for seat in SEATS]
    reserved += INVESTMENT_MANAGERS.values()
    reserved += [name for name, _title in SECRETARIAT_STAFF]
    pool = _People(reserved)
    roster = []
    heads = {seat.company for seat in SEATS if seat.company}
    for seat in SEATS:
        political = seat.political_title
        person = pool.person(
            seat.person,
            seat.company,
            seat.job_title,
            _rng("person", seat.person),
            is_cppcc_member=CPPCC in political,
            is_npc_deputy=NPC in political,
            political_title=political,
        )
        if seat.person in ARTICLE_PEOPLE:
            # A real person: no made-up mobile (the login needs the demo domain's email).
            person = replace(person, mobile="")
        roster.append(person)
    for name, title in SECRETARIAT_STAFF:
        roster.append(pool.person(name, None, title, _rng("person", name)))
    for company in company_specs:
        if company.from_article:
            continue  # the article names no contact of these companies: none is made up
        rng = _rng("people", company.name)
        if company.name in INVESTMENT_MANAGERS:
            name, title = INVESTMENT_MANAGERS[company.name], "总经理"
        elif company.name in heads:
            name, title = pool.name(rng), rng.choice(LEADER_COMPANY_CONTACT_TITLES)
        else:
            name, title = pool.name(rng), rng.choice(CONTACT_TITLES)
        roster.append(pool.person(name, company.name, title, rng, is_main_contact=True))
        if company.name not in heads and rng.random() < 0.4:
            titles = list(SECOND_PERSON_TITLES)
            if company.party != Party.NONE:
                titles.append("党支部书记")
            titles = [t for t in titles if t != title]
            roster.append(pool.person(pool.name(rng), company.name, rng.choice(titles), rng))
    return roster
