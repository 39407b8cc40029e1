"""The companies the article names, and the invented ones of the leadership and the working
groups, with the tags and the addresses they may have."""

import datetime
from dataclasses import dataclass

from members.models import Company, Industry

Tier = Company.Tier
Status = Company.Status
Party = Company.PartyOrganisation


@dataclass(frozen=True)
class CompanySpec:
    name: str
    industry: str
    profile: str
    tier: str = Tier.MEMBER
    member_since: datetime.date | None = None
    address: str = ""
    tags: tuple[str, ...] = ()
    party: str = Party.NONE
    party_members: int = 0
    status: str = Status.ACTIVE
    from_article: bool = False


TAGS = ["上市企业", "亿元楼", "高新技术企业", "专精特新", "知名企业"]

# The building whose companies each pay over 100 million yuan in tax (亿元楼).
YIYUAN_BUILDING = "上海市青浦区徐泾镇崧泽大道6066号"
ROADS = [
    "诸光路",
    "徐民路",
    "崧泽大道",
    "华徐公路",
    "涞港路",
    "徐乐路",
    "徐祥路",
    "明珠路",
    "高泾路",
    "沪青平公路",
    "盈港东路",
    "龙联路",
    "双联路",
    "蟠龙路",
    "振泾路",
]


def spec(name, industry, profile, since, tier=Tier.MEMBER, tags=(), party=Party.NONE, members=0):
    return CompanySpec(
        name=name,
        industry=industry,
        profile=profile,
        tier=tier,
        member_since=datetime.date.fromisoformat(since),
        tags=tuple(tags),
        party=party,
        party_members=members,
    )


# The companies the article names, by the names it gives them and in its order, with what it
# says of each and nothing more: no invented seat, person, date, address, credit code, party
# branch, donation or deed (tests/demo/test_honesty.py holds every demo table to this). The
# article gives two of them a seat: 会长 连国旺's 虹泾投资 and 副会长企业 灿辉国际.
PRESIDENT_COMPANY = "虹泾投资"
ARTICLE = "（见通讯报道《全国“四好商会”上海青浦区徐泾镇商会工作巡礼》）"


def article_company(name, profile, *, industry=Industry.OTHER, tier=Tier.MEMBER, tags=()):
    return CompanySpec(
        name=name,
        industry=industry,
        profile=f"{profile}{ARTICLE}",
        tier=tier,
        tags=tuple(tags),
        from_article=True,
    )


NAMED_COMPANIES = [
    article_company(
        PRESIDENT_COMPANY,
        "为“亿元村”做贡献的平台型企业。商会会长率先垂范，其所在的虹泾投资遇到政府动迁，"
        "在短短两个月内就克服自身困难，实现企业搬离腾地。",
        industry=Industry.BUSINESS_SERVICES,
        tier=Tier.PRESIDENT,
    ),
    article_company("麦迪睿", "“亿元楼”企业。", tags=["亿元楼"]),
    article_company("E通世界", "“亿元楼”企业。", tags=["亿元楼"]),
    article_company("微格", "“亿元楼”企业。", tags=["亿元楼"]),
    article_company("上好佳", "知名企业。", tags=["知名企业"]),
    article_company("周黑鸭", "知名企业。", tags=["知名企业"]),
    article_company("中昊针织", "知名企业。", tags=["知名企业"]),
    article_company("德邦物流", "上市物流企业。", industry=Industry.LOGISTICS, tags=["上市企业"]),
    article_company(
        "灿辉国际",
        "副会长企业灿辉国际参与老集镇“城中村”改造，积极推动城镇更新。",
        tier=Tier.VICE_PRESIDENT,
    ),
]
ARTICLE_COMPANY_NAMES = frozenset(spec.name for spec in NAMED_COMPANIES)
# The made-up registered names earlier demos gave them, with invented seats and deeds: a
# database that has them holds the old demo, which seed_demo cannot turn into this one.
RETIRED_NAMES = frozenset(
    {
        "上海虹泾投资发展有限公司",
        "上海麦迪睿医疗科技有限公司",
        "上海E通世界网络科技有限公司",
        "上海微格信息技术有限公司",
        "上好佳（中国）有限公司",
        "上海周黑鸭食品有限公司",
        "上海中昊针织有限公司",
        "德邦物流股份有限公司",
        "上海灿辉国际实业发展有限公司",
    }
)
# The one person the article names: the president, with the titles it gives him.
ARTICLE_PEOPLE = {"连国旺": PRESIDENT_COMPANY}


def named_in_article(company) -> bool:
    """Whether a company (a Company, a CompanySpec or a name) is one the article names: the
    demo attaches no invented person, seat, donation or deed to it."""
    return getattr(company, "name", company) in ARTICLE_COMPANY_NAMES


# Invented companies of the leadership and the 监事会.
LEADERSHIP_COMPANIES = [
    spec(
        "上海泾纶纺织科技有限公司",
        Industry.MANUFACTURING,
        "专业从事针织面料和针织服装的研发、生产与出口，是徐泾历史较久的制造企业之一。",
        "1998-05-20",
        Tier.VICE_PRESIDENT,
        party=Party.BRANCH,
        members=26,
    ),
    spec(
        "上海泾康医疗科技有限公司",
        Industry.RESEARCH,
        "从事医疗器械和体外诊断产品的研发与销售。",
        "2018-04-16",
        Tier.VICE_PRESIDENT,
        tags=["高新技术企业"],
        party=Party.JOINT_BRANCH,
        members=3,
    ),
    spec(
        "上海泾城置业发展有限公司",
        Industry.REAL_ESTATE,
        "从事房地产开发和旧区改造，参与多个老旧小区的更新项目。",
        "2005-08-08",
        Tier.VICE_PRESIDENT,
        party=Party.BRANCH,
        members=9,
    ),
    spec(
        "上海泾味食品有限公司",
        Industry.MANUFACTURING,
        "生产和研发休闲食品，在徐泾设有生产基地，产品销往华东各地。",
        "2001-06-01",
        Tier.VICE_PRESIDENT,
        party=Party.BRANCH,
        members=21,
    ),
    spec(
        "上海泾运物流有限公司",
        Industry.LOGISTICS,
        "提供零担快运、整车运输和仓储服务的综合物流企业。",
        "2010-09-01",
        Tier.VICE_PRESIDENT,
        party=Party.BRANCH,
        members=14,
    ),
    spec(
        "上海泾讯网络科技有限公司",
        Industry.IT,
        "互联网企业，提供跨境电商平台和数字营销服务。",
        "2019-03-20",
        Tier.VICE_PRESIDENT,
        tags=["高新技术企业"],
        party=Party.JOINT_BRANCH,
        members=2,
    ),
    spec(
        "上海泾鲜食品贸易有限公司",
        Industry.TRADE,
        "经营熟食门店和冷链配送，服务华东地区的连锁门店。",
        "2016-08-18",
        Tier.EXECUTIVE,
        party=Party.BRANCH,
        members=7,
    ),
    spec(
        "上海泾软信息技术有限公司",
        Industry.IT,
        "软件企业，为商贸和物流企业提供SaaS管理系统。",
        "2019-05-09",
        Tier.EXECUTIVE,
        tags=["高新技术企业"],
    ),
    spec(
        "上海泾华建设工程有限公司",
        Industry.CONSTRUCTION,
        "具有建筑工程施工总承包资质，长期承接徐泾镇市政道路、河道整治和美丽乡村建设工程。",
        "1999-03-12",
        Tier.VICE_PRESIDENT,
        party=Party.BRANCH,
        members=15,
    ),
    spec(
        "上海泾誉会展服务有限公司",
        Industry.BUSINESS_SERVICES,
        "为国家会展中心的展会提供展台设计搭建和主场服务，连续多年参与进博会服务保障。",
        "2015-11-05",
        Tier.VICE_PRESIDENT,
        party=Party.BRANCH,
        members=5,
    ),
    spec(
        "上海崧源供应链管理有限公司",
        Industry.LOGISTICS,
        "在徐泾设有区域分拨中心，为长三角快消品牌提供仓储、冷链和城市配送服务。",
        "2012-07-18",
        Tier.VICE_PRESIDENT,
        party=Party.JOINT_BRANCH,
        members=4,
    ),
    spec(
        "上海瑞泾置业有限公司",
        Industry.REAL_ESTATE,
        "开发运营虹桥商务区西片区的商务办公楼宇，为入驻企业提供一站式服务。",
        "2008-04-22",
        Tier.VICE_PRESIDENT,
        party=Party.BRANCH,
        members=6,
    ),
    spec(
        "上海华徐智能装备有限公司",
        Industry.MANUFACTURING,
        "研发生产物流分拣和仓储自动化设备，客户包括多家快递物流企业。",
        "2011-10-10",
        Tier.VICE_PRESIDENT,
        tags=["高新技术企业", "专精特新"],
        party=Party.BRANCH,
        members=8,
    ),
    spec(
        "上海诸光餐饮管理有限公司",
        Industry.HOSPITALITY,
        "在虹桥商务区和国家会展中心周边经营多家餐厅，展会期间承接团餐保障。",
        "2009-06-06",
        Tier.VICE_PRESIDENT,
    ),
    spec(
        "上海泾东电子科技有限公司",
        Industry.MANUFACTURING,
        "研发生产汽车电子和工业控制元器件，拥有多项发明专利。",
        "2004-02-26",
        Tier.VICE_PRESIDENT,
        tags=["高新技术企业", "专精特新"],
        party=Party.BRANCH,
        members=12,
    ),
    spec(
        "上海恒泾融资租赁有限公司",
        Industry.FINANCE,
        "为中小企业提供设备融资租赁和供应链金融服务，常年参与商会的政策宣讲和融资对接。",
        "2016-05-12",
        Tier.VICE_PRESIDENT,
    ),
    spec(
        "上海泾西建筑装饰工程有限公司",
        Industry.CONSTRUCTION,
        "承接商业综合体和办公楼宇的装饰装修工程，参与“乡村桃花源”小区绿化改造。",
        "2006-09-15",
        Tier.VICE_PRESIDENT,
        party=Party.BRANCH,
        members=4,
    ),
    spec(
        "上海联泾人力资源有限公司",
        Industry.BUSINESS_SERVICES,
        "提供招聘、人事代理和居住证积分咨询服务，协助商会开展人才专题讲座。",
        "2013-03-08",
        Tier.VICE_PRESIDENT,
    ),
    spec(
        "上海泾凯国际物流有限公司",
        Industry.LOGISTICS,
        "主营国际货运代理和报关报检，服务国家会展中心进口展品通关。",
        "2014-04-01",
        Tier.EXECUTIVE,
    ),
    spec(
        "上海泾桥软件技术有限公司",
        Industry.IT,
        "开发政务和企业服务软件，服务长三角中小企业数字化转型。",
        "2017-10-20",
        Tier.EXECUTIVE,
        tags=["高新技术企业"],
    ),
    spec(
        "上海会博广告有限公司",
        Industry.BUSINESS_SERVICES,
        "从事展会广告、品牌活动策划和户外媒体运营。",
        "2015-12-01",
        Tier.EXECUTIVE,
    ),
    spec(
        "上海龙联精密机械有限公司",
        Industry.MANUFACTURING,
        "生产精密零部件和非标自动化设备，为长三角汽车和电子企业配套。",
        "2003-07-07",
        Tier.EXECUTIVE,
        tags=["专精特新"],
        party=Party.BRANCH,
        members=6,
    ),
    spec(
        "上海泾润物业管理有限公司",
        Industry.REAL_ESTATE,
        "负责徐泾镇多个商务楼宇和住宅小区的物业服务。",
        "2007-01-15",
        Tier.EXECUTIVE,
        party=Party.BRANCH,
        members=5,
    ),
    spec(
        "上海泾和会计师事务所有限公司",
        Industry.BUSINESS_SERVICES,
        "为会员企业提供审计、验资和财税咨询服务。",
        "2002-05-01",
    ),
    spec(
        "上海泾衡税务师事务所有限公司",
        Industry.BUSINESS_SERVICES,
        "提供税务代理、税务筹划和涉税鉴证服务。",
        "2010-03-01",
    ),
    spec(
        "上海泾源环保科技有限公司",
        Industry.RESEARCH,
        "提供工业污水处理设备和环保技术咨询，参与徐泾生态模范镇共建。",
        "2012-06-01",
        tags=["高新技术企业"],
    ),
]

# The town's four investment promotion companies (四大招商公司): their general managers are
# the 会员发展工作小组.
INVESTMENT_COMPANIES = [
    spec(
        "上海徐泾蟠龙投资发展有限公司",
        Industry.BUSINESS_SERVICES,
        "徐泾镇四大招商公司之一，负责蟠龙片区的招商引资和落户企业服务。",
        "2004-03-18",
        party=Party.BRANCH,
        members=11,
    ),
    spec(
        "上海徐泾西虹投资发展有限公司",
        Industry.BUSINESS_SERVICES,
        "徐泾镇四大招商公司之一，负责西虹桥片区的招商引资和楼宇企业服务。",
        "2009-05-26",
        party=Party.BRANCH,
        members=9,
    ),
    spec(
        "上海徐泾会展投资发展有限公司",
        Industry.BUSINESS_SERVICES,
        "徐泾镇四大招商公司之一，负责国家会展中心周边的招商引资，承接进博会溢出效应。",
        "2014-11-06",
        party=Party.BRANCH,
        members=7,
    ),
    spec(
        "上海徐泾明珠投资发展有限公司",
        Industry.BUSINESS_SERVICES,
        "徐泾镇四大招商公司之一，负责明珠路沿线产业园区的招商引资。",
        "2011-08-15",
        party=Party.BRANCH,
        members=8,
    ),
]

# The company the 会员发展工作小组 brought in this year (see PROSPECTS).
CONVERTED_COMPANY = "上海泾禾智能科技有限公司"
RECRUITED_COMPANIES = [
    spec(
        CONVERTED_COMPANY,
        Industry.IT,
        "研发仓储机器人调度软件，经会员发展工作小组引荐入会。",
        "2026-09-15",
        tags=["高新技术企业"],
    ),
]
