"""The rest of the membership, and every demo company with its address and credit code."""

import datetime
import hashlib

from stdnum.cn import uscc

from members.models import Company

from .chamber import CHAMBER_FOUNDED, _rng
from .companies import (
    INVESTMENT_COMPANIES,
    LEADERSHIP_COMPANIES,
    NAMED_COMPANIES,
    RECRUITED_COMPANIES,
    ROADS,
    TAGS,
    YIYUAN_BUILDING,
    CompanySpec,
)
from .kinds import KINDS

Status = Company.Status
Party = Company.PartyOrganisation

OTHER_COMPANIES = """
远航 freight
通联 freight
捷泰 freight
恒运 freight
迅邦 freight
海程 freight
安达 supply_chain
汇隆 supply_chain
万顺 supply_chain
鼎泰 supply_chain
协通 supply_chain
优链 supply_chain
速腾 express
驰远 express
青运 express
捷达通 express
博展 exhibition
会通 exhibition
展艺 exhibition
鸿展 exhibition
盛会 exhibition
汇展 exhibition
锦展 exhibition
展联 exhibition
金点 advertising
创意方 advertising
蓝鲸 advertising
新视 advertising
才聚 hr
英才汇 hr
睿和 consulting
信衡 consulting
知行 consulting
明策 consulting
泾安 property
嘉苑 property
虹盛 property
西郊 realty
泾晖 realty
恒瑞 realty
建泾 construction
宏筑 construction
鼎力 construction
美筑 decoration suspended
雅居 decoration
锦绣 decoration
锦程 software 亿元楼 高新技术企业
云帆 software 亿元楼 高新技术企业
数衡 software 高新技术企业
智泾 software 高新技术企业
易联 software
跨通 network
星网 network
泾彩 network
云泾 info 高新技术企业
数安 info 高新技术企业 专精特新
联讯 info
启航 info
华芯 electronics 高新技术企业 专精特新
精微 electronics 高新技术企业
恒芯 electronics 高新技术企业
光联 electronics 高新技术企业 专精特新
精工 machinery 高新技术企业 专精特新
博力 machinery 高新技术企业
联成 machinery
佳禾 food
麦香 food
味邦 food
织美 garment
锦衣 garment
绿源 packaging
盛包 packaging
环宇 packaging
祥泰 trading
丰汇 trading
鑫源 trading
百川 trading
通商 trading left
环球优选 import_export
澳丰 import_export
康泾 pharma
益寿 pharma
阿婆 catering
渔家 catering
食尚 catering
会悦 hotel
泾庭 hotel
云栖 hotel
诚测 testing 高新技术企业
华检 testing
筑境 design
景园 design
康源 biotech 高新技术企业
泾生 biotech 高新技术企业
融通 leasing
安信 insurance
启智 education
书香 education
福寿 eldercare
光影 culture left
墨香 culture
泾动 sports
好帮手 housekeeping
洁美 housekeeping
驰骋 auto
泾驰 auto
碧水 environment 高新技术企业
清源 environment
田园 agriculture
"""

# The ordinary member company whose contact is the demo ``member`` login.
MEMBER_LOGIN_COMPANY = "上海佳禾食品有限公司"


def _other_company_specs() -> list[CompanySpec]:
    specs = []
    for line in OTHER_COMPANIES.strip().splitlines():
        brand, kind, *extra = line.split()
        suffix, industry, profiles = KINDS[kind]
        name = f"上海{brand}{suffix}"
        rng = _rng("company", name)
        status = Status.ACTIVE
        if "left" in extra or "suspended" in extra:
            status = Status.LEFT if "left" in extra else Status.SUSPENDED
        tags = tuple(word for word in extra if word in TAGS)
        profile = rng.choice(profiles)
        if status == Status.LEFT:
            profile += "已迁出徐泾，办理退会。"
        elif status == Status.SUSPENDED:
            profile += "因经营调整，暂停会员资格。"
        party, party_members = Party.NONE, 0
        draw = rng.random()
        if draw < 0.22:
            party, party_members = Party.BRANCH, rng.randint(3, 25)
        elif draw < 0.37:
            party, party_members = Party.JOINT_BRANCH, rng.randint(1, 4)
        # Membership grew with the town: later years weigh more.
        year = CHAMBER_FOUNDED.year + 1 + int(rng.random() ** 0.8 * 28)
        since = datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))
        specs.append(
            CompanySpec(
                name=name,
                industry=industry,
                profile=profile,
                member_since=since,
                tags=tags,
                party=party,
                party_members=party_members,
                status=status,
            )
        )
    return specs


def _address(company: CompanySpec) -> str:
    rng = _rng("address", company.name)
    if "亿元楼" in company.tags:
        return f"{YIYUAN_BUILDING}{rng.randint(5, 28)}层"
    address = f"上海市青浦区徐泾镇{rng.choice(ROADS)}{rng.randint(1, 320) * 8 + 1}号"
    if rng.random() < 0.4:
        address += f"{rng.randint(1, 12)}幢{rng.randint(1, 6)}{rng.randint(1, 20):02d}室"
    return address


def credit_code(name: str) -> str:
    """A valid 统一社会信用代码 for a demo company: 91 (a company) 310118 (Qingpu) + 10 chars.

    The ninth character is always 0 here (never in test factories' codes, which use 6).
    """
    digits = int(hashlib.sha256(name.encode()).hexdigest(), 16) % 10**8
    body = f"913101180{digits:08d}"
    return body + uscc.calc_check_digit(body)


def companies() -> list[CompanySpec]:
    """Every demo company, with its address filled in."""
    specs = [
        *NAMED_COMPANIES,
        *LEADERSHIP_COMPANIES,
        *INVESTMENT_COMPANIES,
        *RECRUITED_COMPANIES,
        *_other_company_specs(),
    ]
    # The article gives no address for the companies it names: none is made up.
    return [
        CompanySpec(
            **{
                **spec.__dict__,
                "address": spec.address or ("" if spec.from_article else _address(spec)),
            }
        )
        for spec in specs
    ]
