"""Demo charity, drawn from the seed article's 回报社会 section.

- The 2017 event “缘聚徐练 商续慈善” raised exactly 4,250,000.00 元, which paired member
  companies with the 25 economically weak villages of 练塘镇, one company to a village
  (一企一村) or several (多企一村), for road repair, river works and public facilities.
- Student aid pairings with invented, clearly fictional students (李同学, 王同学 …: no real
  person), each with a consent record given by a parent for those under 14; a school, the
  youth workstation and 阳光之家 (disabled people) helped with books and micro-wishes.
- Yunnan poverty alleviation (2018–2019), the 2020 COVID donations (over 2,000,000 元), the
  Xujing villages' greening, and every year's summer 送清凉 and 重阳节 visits, in kind.
- 2017–2019 donations add up to more than 10,000,000 元.

The village names are real-sounding; several are, to our knowledge, villages of 练塘镇 (东庄村,
徐练村, 芦潼村, 泾珠村, 长河村, 叶港村 …), but the list is not checked against an official
one: treat all of it as demo data. Every row is found by its natural key, so a second run
changes nothing.
"""

import datetime
import io
import random
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from lunardate import LunarDate
from PIL import Image, ImageDraw
from simple_history.utils import bulk_create_with_history

from charity.models import (
    Beneficiary,
    Campaign,
    Consent,
    ContributorPreference,
    Donation,
    Pairing,
    Photo,
    Project,
)
from members.models import Company

from . import data

D = Decimal
AREA = "练塘镇"
XUJING = "徐泾镇"

VILLAGES = [
    "东庄村",
    "徐练村",
    "芦潼村",
    "泾珠村",
    "长河村",
    "叶港村",
    "泖甸村",
    "东淇村",
    "双菱村",
    "浦南村",
    "大新村",
    "北埭村",
    "东厍村",
    "星浜村",
    "太北村",
    "金前村",
    "蒸夏村",
    "联农村",
    "朱庄村",
    "南庄村",
    "莲湖村",
    "洪湖村",
    "东田村",
    "北洪村",
    "东泖村",
]
# Villages paired with several companies (多企一村), and how many.
SHARED_VILLAGES = {"徐练村": 3, "泾珠村": 2, "叶港村": 2, "星浜村": 3, "蒸夏村": 2, "东田村": 2}

PROJECTS = {
    Project.Kind.ROAD: ["村道整修", "田间道路硬化", "宅前路拓宽"],
    Project.Kind.RIVER: ["河道清淤", "河岸护坡整治", "生态河道治理"],
    Project.Kind.FACILITIES: ["健身点安装", "路灯安装", "村民活动室改造", "公共厕所改造"],
}

GOALS = {
    Project.Kind.ROAD: "道路整修",
    Project.Kind.RIVER: "河道治理",
    Project.Kind.FACILITIES: "公共设施安装",
}

CAMPAIGN_2017 = "缘聚徐练 商续慈善"
CAMPAIGN_2017_TOTAL = D("4250000.00")
COVID = "2020年抗击新冠肺炎疫情捐赠"
YUNNAN = "云南扶贫协作捐赠"
GREENING = "美丽乡村“美美与共”绿化改造"


def chongyang(year: int) -> datetime.date:
    """重阳节, the ninth day of the ninth lunar month (2024: 11 October), in any year."""
    return LunarDate(year, 9, 9).to_solar_date()


# Invented students: no real person. (name, school, under 14, guardian, may publish name)
STUDENTS = [
    ("李同学", "徐泾中学", True, "李某某", False),
    ("王同学", "徐泾中学", True, "王某某", True),
    ("张同学", "徐泾第一小学", True, "张某某", False),
    ("陈同学", "徐泾第一小学", True, "陈某某", False),
    ("刘同学", "徐泾中学", False, "刘某某", False),
    ("周同学", "在沪高校（大学生）", False, "", True),
    ("吴同学", "在沪高校（大学生）", False, "", False),
    ("赵同学", "徐泾第二小学", True, "赵某某", False),
]
NOTICE_VERSION = "2017-03"
RENEWED_NOTICE = "2024-01"

GROUPS = [
    ("阳光之家", XUJING, "徐泾镇阳光之家：残障人员日间照料", Project.Kind.WISHES, "微心愿认领"),
    ("青少年工作站", XUJING, "徐泾镇青少年工作站", Project.Kind.BOOKS, "送书进站"),
]


def rng(*key) -> random.Random:
    return random.Random(":".join(["charity", *map(str, key)]))


def seed_charity(seed):
    """Campaigns, beneficiaries and consents, pairings and projects, donations, listings."""
    companies = _donor_companies(seed)
    campaigns = _campaigns(seed)
    villages = _village_pairings(seed, companies, campaigns[CAMPAIGN_2017])
    students = _student_pairings(seed, companies)
    groups = _group_pairings(seed, companies)
    _donations(seed, companies, campaigns, villages, students, groups)
    _listings(seed, companies)
    _photos(seed, campaigns, villages)


def _donor_companies(seed) -> list[Company]:
    """Active companies, leadership first, in a fixed order."""
    order = {
        Company.Tier.PRESIDENT: 0,
        Company.Tier.VICE_PRESIDENT: 1,
        Company.Tier.EXECUTIVE: 2,
        Company.Tier.MEMBER: 3,
    }
    specs = [spec for spec in seed.company_specs if spec.status == Company.Status.ACTIVE]
    specs.sort(key=lambda spec: order[spec.tier])
    return [seed.companies[spec.name] for spec in specs]


def _campaigns(seed) -> dict[str, Campaign]:
    today = seed.today
    rows = [
        (
            CAMPAIGN_2017,
            Campaign.Kind.FUNDRAISER,
            datetime.date(2017, 4, 18),
            datetime.date(2017, 4, 30),
            D("4000000.00"),
            "2017年4月，商会举办“缘聚徐练 商续慈善”公益活动，筹集爱心资金425万元，"
            "通过“一企一村”“多企一村”的结对形式，与练塘镇25个经济薄弱村结对帮扶，"
            "帮助进行道路整修、河道治理、公共设施安装等项目。",
        ),
        (
            YUNNAN,
            Campaign.Kind.POVERTY,
            datetime.date(2018, 3, 1),
            datetime.date(2019, 12, 31),
            D("2500000.00"),
            "响应东西部扶贫协作，会员企业为云南对口地区捐款，用于产业帮扶和助学。",
        ),
        (
            GREENING,
            Campaign.Kind.OTHER,
            datetime.date(2019, 5, 1),
            datetime.date(2019, 11, 30),
            D("800000.00"),
            "结合徐泾镇“美丽乡村”建设，助力金云村、前明村、迮庵村、金联村等开展“乡村桃花源”"
            "小区部分绿化改造。",
        ),
        (
            COVID,
            Campaign.Kind.EPIDEMIC,
            datetime.date(2020, 1, 28),
            datetime.date(2020, 3, 31),
            None,
            "新冠肺炎疫情暴发，商会与全国人民守望相助、共克时艰，会员企业出钱出力，"
            "捐款捐物总计200多万元。",
        ),
    ]
    for year in range(2017, today.year + 1):
        summer = datetime.date(year, 7, 20)
        if summer <= today:
            rows.append(
                (
                    f"{year}年“军民鱼水情”夏季送清凉",
                    Campaign.Kind.VISIT,
                    summer,
                    summer,
                    None,
                    "夏季高温时节，商会组织会员企业慰问驻区部队官兵和一线执勤人员，送去防暑降温物资。",
                )
            )
        double_ninth = chongyang(year)
        if double_ninth <= today:
            rows.append(
                (
                    f"{year}年重阳节慰问老年人",
                    Campaign.Kind.VISIT,
                    double_ninth,
                    double_ninth,
                    None,
                    "重阳节前后，商会走访慰问辖区高龄和困难老人，送上节日慰问品。",
                )
            )
    existing = {c.name: c for c in Campaign.objects.filter(name__in=[row[0] for row in rows])}
    campaigns = {}
    for name, kind, starts_on, ends_on, goal, description in rows:
        campaigns[name] = seed.upsert(
            Campaign,
            {"name": name},
            {
                "kind": kind,
                "starts_on": starts_on,
                "ends_on": ends_on,
                "goal": goal,
                "description": description,
            },
            found=existing.get(name),
        )
    return campaigns


def _pairing(seed, beneficiary, companies, values):
    pairing = seed.upsert(
        Pairing, {"beneficiary": beneficiary, "starts_on": values.pop("starts_on")}, values
    )
    wanted = {company.pk for company in companies}
    have = set(pairing.companies.values_list("pk", flat=True))
    if wanted != have:
        pairing.companies.set(companies)
        seed.count(Pairing.companies.through, "updated" if have else "created")
    return pairing


def _village_pairings(seed, companies, campaign) -> dict[str, Pairing]:
    """The 25 villages of 练塘镇, each with its company or companies and 1–3 projects. The
    member login's company shares 泾珠村, so that its page shows a pairing."""
    member_company = next(c for c in companies if c.name == data.MEMBER_LOGIN_COMPANY)
    pool = iter(c for c in companies[:60] if c != member_company)
    pairings = {}
    for index, name in enumerate(VILLAGES):
        village = seed.upsert(
            Beneficiary,
            {"kind": Beneficiary.Kind.VILLAGE, "name": name, "area": AREA},
            {"details": "经济薄弱村"},
        )
        partners = [next(pool) for _ in range(SHARED_VILLAGES.get(name, 1))]
        if name == "泾珠村":
            partners[-1] = member_company
        r = rng("village", name)
        kinds = r.sample(list(PROJECTS), k=1 + index % 3)
        goal = "、".join(GOALS[kind] for kind in kinds)
        pairing = _pairing(
            seed,
            village,
            partners,
            {
                "starts_on": datetime.date(2017, 4, 18),
                "ends_on": datetime.date(2020, 12, 31),
                "campaign": campaign,
                "goal": goal,
            },
        )
        for number, kind in enumerate(kinds):
            title = f"{name}{r.choice(PROJECTS[kind])}"
            year = 2017 + (index + number) % 3
            month = r.randint(6 if year == 2017 else 3, 11)
            completed = datetime.date(year, month, r.randint(1, 28))
            in_progress = name == "东泖村" and number == len(kinds) - 1
            seed.upsert(
                Project,
                {"pairing": pairing, "title": title},
                {
                    "kind": kind,
                    "budget": D(r.randint(6, 30) * 5000),
                    "status": Project.Status.IN_PROGRESS if in_progress else Project.Status.DONE,
                    "completed_on": None if in_progress else completed,
                    "description": "",
                },
            )
        pairings[name] = pairing
    return pairings


def _student_pairings(seed, companies) -> dict[str, Pairing]:
    """Fictional students, their consents (a parent's for those under 14), one company each."""
    sponsors = companies[3 : 3 + len(STUDENTS)]
    pairings = {}
    for index, (name, school, under_14, guardian, publish) in enumerate(STUDENTS):
        student = seed.upsert(
            Beneficiary,
            {"kind": Beneficiary.Kind.STUDENT, "name": name, "organisation": school},
            {
                "area": XUJING,
                "is_sensitive": True,
                "is_under_14": under_14,
                "details": "家庭经济困难，申请生活补助。（虚构的演示数据）",
            },
        )
        seed.upsert(
            Consent,
            {"beneficiary": student, "notice_version": NOTICE_VERSION},
            {
                "given_by": guardian or name,
                "relation": Consent.Relation.PARENT if guardian else Consent.Relation.SELF,
                "given_on": datetime.date(2017, 3, 20),
                "publish_name": publish,
            },
        )
        pairings[name] = _pairing(
            seed,
            student,
            [sponsors[index]],
            {
                "starts_on": datetime.date(2017, 9, 1),
                "ends_on": None,
                "campaign": None,
                "goal": "每学年生活补助，帮助完成学业",
            },
        )
        seed.upsert(
            Project,
            {"pairing": pairings[name], "title": "学年生活补助"},
            {
                "kind": Project.Kind.STIPEND,
                "budget": D("4000.00"),
                "status": Project.Status.IN_PROGRESS,
                "completed_on": None,
            },
        )
    school = seed.upsert(
        Beneficiary,
        {"kind": Beneficiary.Kind.SCHOOL, "name": "徐泾中学", "area": XUJING},
        {"organisation": ""},
    )
    pairings["徐泾中学"] = _pairing(
        seed,
        school,
        companies[11:13],
        {
            "starts_on": datetime.date(2018, 9, 1),
            "ends_on": None,
            "campaign": None,
            "goal": "送书进校园，资助贫困生",
        },
    )
    seed.upsert(
        Project,
        {"pairing": pairings["徐泾中学"], "title": "图书角建设"},
        {
            "kind": Project.Kind.BOOKS,
            "budget": D("30000.00"),
            "status": Project.Status.DONE,
            "completed_on": datetime.date(2018, 12, 20),
        },
    )
    return pairings


def _group_pairings(seed, companies) -> dict[str, Pairing]:
    pairings = {}
    for index, (name, area, organisation, kind, title) in enumerate(GROUPS):
        group = seed.upsert(
            Beneficiary,
            {"kind": Beneficiary.Kind.GROUP, "name": name, "area": area},
            {"organisation": organisation},
        )
        pairings[name] = _pairing(
            seed,
            group,
            [companies[13 + index]],
            {
                "starts_on": datetime.date(2018, 1, 1),
                "ends_on": None,
                "campaign": None,
                "goal": "帮困扶弱：" + title,
            },
        )
        seed.upsert(
            Project,
            {"pairing": pairings[name], "title": title},
            {
                "kind": kind,
                "budget": D("20000.00"),
                "status": Project.Status.DONE,
                "completed_on": datetime.date(2019, 6, 1),
            },
        )
    return pairings


def _campaign_2017_gifts(companies) -> list[tuple[Company, Decimal]]:
    """Gifts that add up to exactly 4,250,000.00 元: 8,888.88-style lucky amounts included."""
    member_company = next(c for c in companies if c.name == data.MEMBER_LOGIN_COMPANY)
    donors = companies[:45]
    if member_company not in donors:
        donors = [*donors[:44], member_company]
    gifts = []
    for index, company in enumerate(donors[1:], start=1):
        r = rng("2017", company.name)
        if index < 17:
            amount = D(r.choice([100000, 120000, 150000, 200000]))
        elif index % 7 == 0:
            amount = D(r.choice(["8888.88", "18888.88", "6666.66"]))
        else:
            amount = D(r.choice([10000, 20000, 30000, 50000, 60000]))
        gifts.append((company, amount))
    # The president's company rounds the sum off to the 4.25 million the article reports.
    remainder = CAMPAIGN_2017_TOTAL - sum(amount for _, amount in gifts)
    assert remainder > 0, remainder
    gifts.insert(0, (donors[0], remainder))
    return gifts


def _donations(seed, companies, campaigns, villages, students, groups):
    wanted = []  # (lookup, values)

    def gift(company, amount, on, *, receipt, campaign=None, pairing=None, **values):
        values.setdefault("form", Donation.Form.CASH)
        values.setdefault("goods", "")
        values.setdefault("status", Donation.Status.RECEIVED)
        wanted.append(
            (
                {"receipt_number": receipt} if receipt else None,
                {
                    "company": company,
                    "campaign": campaign,
                    "pairing": pairing,
                    "amount": D(amount),
                    "donated_on": on,
                    "notes": "",
                    **values,
                },
            )
        )

    # 2017: the fundraiser, exactly 4,250,000.00.
    for number, (company, amount) in enumerate(_campaign_2017_gifts(companies), start=1):
        gift(
            company,
            amount,
            datetime.date(2017, 4, 18),
            receipt=f"YJ2017-{number:03d}",
            campaign=campaigns[CAMPAIGN_2017],
        )

    # 2018–2019: each village's companies keep giving for its projects.
    number = 0
    for year in (2018, 2019):
        for name, pairing in villages.items():
            partners = sorted(pairing.companies.all(), key=lambda c: c.pk)
            for company in partners:
                number += 1
                r = rng("village-gift", year, name, company.name)
                gift(
                    company,
                    r.choice([30000, 40000, 50000, 60000, 80000]),
                    datetime.date(year, r.randint(3, 6), r.randint(1, 28)),
                    receipt=f"JD{year}-{number:03d}",
                    pairing=pairing,
                )

    # Yunnan poverty alleviation, 2018–2019.
    for index, company in enumerate(companies[:30], start=1):
        r = rng("yunnan", company.name)
        year = 2018 if index % 2 else 2019
        gift(
            company,
            r.choice([50000, 80000, 100000, 120000]),
            datetime.date(year, r.randint(4, 11), r.randint(1, 28)),
            receipt=f"YN{year}-{index:03d}",
            campaign=campaigns[YUNNAN],
        )

    # Xujing's villages, greening, 2019.
    for index, company in enumerate(companies[20:32], start=1):
        r = rng("greening", company.name)
        gift(
            company,
            r.choice([50000, 60000, 80000]),
            datetime.date(2019, r.randint(5, 9), r.randint(1, 28)),
            receipt=f"MX2019-{index:03d}",
            campaign=campaigns[GREENING],
        )

    # 2020: COVID, in money and in kind, over 2,000,000.
    covid_kind = ["医用口罩20000只", "消毒液500箱", "防护服300套", "额温枪100把"]
    for index, company in enumerate(companies[:40], start=1):
        r = rng("covid", company.name)
        on = datetime.date(2020, 2, r.randint(1, 29))
        if index % 5 == 0:
            gift(
                company,
                r.choice(["26800.00", "35500.00", "48000.00"]),
                on,
                receipt=f"KY2020-{index:03d}",
                campaign=campaigns[COVID],
                form=Donation.Form.IN_KIND,
                goods=covid_kind[index // 5 % len(covid_kind)],
            )
        else:
            gift(
                company,
                r.choice([20000, 30000, 50000, 60000, 100000]),
                on,
                receipt=f"KY2020-{index:03d}",
                campaign=campaigns[COVID],
            )

    # Every year: 送清凉 and 重阳节, in kind.
    summer_goods = ["矿泉水200箱", "西瓜100只", "绿豆汤原料50箱", "防暑药品100份", "毛巾300条"]
    elder_goods = ["重阳糕200盒", "食用油200桶", "大米200袋", "保暖内衣100套", "牛奶150箱"]
    for campaign in campaigns.values():
        if campaign.kind != Campaign.Kind.VISIT:
            continue
        summer = "送清凉" in campaign.name
        goods = summer_goods if summer else elder_goods
        prefix = "QL" if summer else "CY"
        givers = companies[:100][campaign.starts_on.year % 7 :: 20]
        for index, company in enumerate(givers, start=1):
            r = rng("visit", campaign.name, company.name)
            gift(
                company,
                r.choice(["3600.00", "4800.00", "6400.00", "8500.00"]),
                campaign.starts_on,
                receipt=f"{prefix}{campaign.starts_on.year}-{index:03d}",
                campaign=campaign,
                form=Donation.Form.IN_KIND,
                goods=goods[(index + campaign.starts_on.year) % len(goods)],
            )

    # Student aid: each school year's living allowance, from 2017 on.
    for number, (name, pairing) in enumerate(students.items(), start=1):
        company = pairing.companies.all()[0]
        amount = D("30000.00") if name == "徐泾中学" else D("4000.00")
        for year in range(pairing.starts_on.year, seed.today.year + 1):
            on = datetime.date(year, 9, 10)
            if on > seed.today:
                break
            gift(
                company,
                amount,
                on,
                receipt=f"ZX{year}-{number:03d}",
                pairing=pairing,
            )
    for number, (name, pairing) in enumerate(groups.items(), start=1):
        company = pairing.companies.all()[0]
        gift(
            company,
            "15000.00",
            datetime.date(2019, 5, 20),
            receipt=f"BK2019-{number:03d}",
            pairing=pairing,
            form=Donation.Form.IN_KIND,
            goods="图书500册" if name == "青少年工作站" else "微心愿礼品60份",
        )

    # The latest visit: a few pledges not yet received, in kind like every visit's gifts.
    pledge_campaign = max(
        (c for c in campaigns.values() if c.kind == Campaign.Kind.VISIT),
        key=lambda c: c.starts_on,
    )
    pledged_goods = summer_goods if "送清凉" in pledge_campaign.name else elder_goods
    for index, company in enumerate(companies[1:4]):
        gift(
            company,
            "10000.00",
            pledge_campaign.starts_on,
            receipt="",
            campaign=pledge_campaign,
            status=Donation.Status.PLEDGED,
            form=Donation.Form.IN_KIND,
            goods=pledged_goods[index],
            notes="认捐物资，待送达",
        )

    existing = {
        d.receipt_number: d
        for d in Donation.objects.exclude(receipt_number="").filter(
            receipt_number__in=[lookup["receipt_number"] for lookup, _ in wanted if lookup]
        )
    }
    # New donations in one insert (with their history rows): hundreds of rows one by one
    # would make every seed_demo noticeably slower.
    new = []
    for lookup, values in wanted:
        if lookup and lookup["receipt_number"] not in existing:
            new.append(Donation(**lookup, **values))
        elif lookup:
            seed.upsert(Donation, lookup, values, found=existing[lookup["receipt_number"]])
        else:
            names = ("company", "campaign", "pairing", "status", "donated_on")
            key = {name: values[name] for name in names}
            rest = {name: value for name, value in values.items() if name not in names}
            seed.upsert(Donation, key, rest)
    if new:
        bulk_create_with_history(new, Donation, batch_size=500)
        seed.count(Donation, "created", len(new))


def _listings(seed, companies):
    """Most leadership companies chose to be listed; the member login's company has not yet."""
    for index, company in enumerate(companies[:60]):
        if company.name == data.MEMBER_LOGIN_COMPANY:
            continue
        seed.upsert(ContributorPreference, {"company": company}, {"listed": index % 4 != 3})


PHOTOS = [
    (Project.Kind.ROAD, "道路整修完工", (88, 96, 104), "road"),
    (Project.Kind.RIVER, "河道整治后的河岸", (52, 120, 170), "river"),
    (Project.Kind.FACILITIES, "新装的公共设施", (110, 150, 90), "facilities"),
    (None, "“缘聚徐练 商续慈善”活动现场", (166, 29, 23), "event"),
]


def _photos(seed, campaigns, villages):
    """A few drawn photos (a project of each kind, and the 2017 event), stored under fixed
    names so that a second run writes nothing."""
    pairings = [pairing.pk for pairing in villages.values()]
    for kind, caption, colour, motif in PHOTOS:
        if kind is None:
            campaign = campaigns[CAMPAIGN_2017]
            owner, taken_on = {"campaign": campaign}, campaign.starts_on
        else:
            project = (
                Project.objects.filter(pairing__in=pairings, kind=kind, status=Project.Status.DONE)
                .order_by("pairing__beneficiary__name", "pk")
                .first()
            )
            if project is None:
                continue
            owner, taken_on = {"project": project}, project.completed_on
        name = f"charity/demo/{motif}.jpg"
        path = Path(settings.MEDIA_ROOT) / name
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(_drawing(colour, motif))
        seed.upsert(Photo, {**owner, "caption": caption}, {"image": name, "taken_on": taken_on})


def _drawing(colour, motif) -> bytes:
    """A simple picture: sky, fields and the motif, as a JPEG."""
    width, height = 800, 600
    image = Image.new("RGB", (width, height), (205, 225, 240))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 330, width, height], fill=(150, 185, 110))
    for x in range(0, width, 90):
        draw.ellipse([x - 30, 280, x + 70, 350], fill=(95, 140, 80))
    if motif == "road":
        draw.polygon([(330, 330), (470, 330), (760, height), (40, height)], fill=colour)
        for y in range(350, height, 50):
            draw.rectangle([395, y, 405, y + 24], fill=(240, 240, 240))
    elif motif == "river":
        for offset in range(0, 160, 20):
            draw.arc([-100, 380 + offset, 900, 520 + offset], 190, 350, fill=colour, width=16)
    elif motif == "facilities":
        for x in (200, 400, 600):
            draw.rectangle([x - 6, 250, x + 6, 430], fill=(80, 80, 80))
            draw.ellipse([x - 40, 220, x + 40, 270], fill=colour)
    else:
        draw.rectangle([120, 140, 680, 330], fill=colour)
        draw.rectangle([160, 180, 640, 290], outline=(243, 217, 160), width=6)
        for x in range(140, 700, 60):
            draw.ellipse([x, 420, x + 40, 460], fill=(60, 60, 70))
            draw.rectangle([x + 5, 460, x + 35, 560], fill=(60, 60, 70))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=82)
    return out.getvalue()
