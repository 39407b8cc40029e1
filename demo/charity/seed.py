"""Writes the demo charity: the campaigns here, then the pairings, donations and photos."""

import datetime

from charity.models import Campaign
from members.models import Company

from .donations import _donations, _listings
from .pairings import _group_pairings, _student_pairings, _village_pairings
from .photos import _photos
from .tables import CAMPAIGN_2017, COVID, GREENING, YUNNAN, D, chongyang


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
    """Active invented companies, leadership first, in a fixed order. The companies the
    article names give nothing here: the article reports no company's gift."""
    order = {
        Company.Tier.PRESIDENT: 0,
        Company.Tier.VICE_PRESIDENT: 1,
        Company.Tier.EXECUTIVE: 2,
        Company.Tier.MEMBER: 3,
    }
    specs = [
        spec
        for spec in seed.company_specs
        if spec.status == Company.Status.ACTIVE and not spec.from_article
    ]
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
