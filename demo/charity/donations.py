"""The donations: the 2017 fundraiser's exact 4,250,000.00 元, the villages', Yunnan's,
greening's and COVID's gifts, every year's visits in kind, student aid, and the donors' listing."""

import datetime
from decimal import Decimal

from simple_history.utils import bulk_create_with_history

from charity.models import Campaign, ContributorPreference, Donation
from demo import data
from members.models import Company

from .tables import CAMPAIGN_2017, CAMPAIGN_2017_TOTAL, COVID, GREENING, YUNNAN, D, rng


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
    # The first leadership company rounds the sum off to the 4.25 million the article reports.
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
