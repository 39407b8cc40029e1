"""The demo chamber, drawn from the seed article about 徐泾镇商会 (Xujing town, Qingpu).

Companies the article names keep their names; every person is invented. Nothing here touches
the database: these are the tables and the deterministic rules that fill in the rest (addresses,
dates, contacts, credit codes), so that every run produces exactly the same chamber. The
``seed_demo`` command writes them.
"""

import datetime
import hashlib
import random
from dataclasses import dataclass

from pypinyin import lazy_pinyin
from stdnum.cn import uscc

from members.models import Company, Industry

SEED = "xujing-chamber-demo"
DEMO_PASSWORD = "chamber-demo"
# A reserved top-level domain (RFC 2606): demo mail can never reach a real mailbox.
EMAIL_DOMAIN = "xujing-demo.example"

# The article (2020) says the chamber was founded 23 years earlier.
CHAMBER_FOUNDED = datetime.date(1997, 12, 18)
# Terms last five years; the eighth began on 1 January 2024.
TERM_YEARS = 5
ANCHOR_TERM = 8
ANCHOR_TERM_START_YEAR = 2024

Tier = Company.Tier
Status = Company.Status
Party = Company.PartyOrganisation


def term_for(on: datetime.date) -> tuple[int, datetime.date, datetime.date]:
    """(number, start, end) of the term in force on a day, so the demo never runs out of term."""
    offset = (on.year - ANCHOR_TERM_START_YEAR) // TERM_YEARS
    start_year = ANCHOR_TERM_START_YEAR + offset * TERM_YEARS
    return (
        ANCHOR_TERM + offset,
        datetime.date(start_year, 1, 1),
        datetime.date(start_year + TERM_YEARS - 1, 12, 31),
    )


# --- Companies ------------------------------------------------------------------------------


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


# The companies the article names, in the order it names them.
PRESIDENT_COMPANY = "上海虹泾投资发展有限公司"
NAMED_COMPANIES = [
    spec(
        PRESIDENT_COMPANY,
        Industry.BUSINESS_SERVICES,
        "徐泾镇村级集体经济的平台型企业，负责“亿元村”物业资产的投资、招商和运营。"
        "遇政府动迁时，两个月内克服困难完成企业搬离腾地。",
        "1997-12-18",
        Tier.PRESIDENT,
        party=Party.BRANCH,
        members=18,
    ),
    spec(
        "上海麦迪睿医疗科技有限公司",
        Industry.RESEARCH,
        "从事医疗器械和体外诊断产品的研发与销售，入驻徐泾“亿元楼”，年纳税额居全镇前列。",
        "2018-04-16",
        Tier.VICE_PRESIDENT,
        tags=["亿元楼", "高新技术企业"],
        party=Party.JOINT_BRANCH,
        members=3,
    ),
    spec(
        "上海E通世界网络科技有限公司",
        Industry.IT,
        "入驻徐泾“亿元楼”的互联网企业，提供跨境电商平台和数字营销服务。",
        "2019-03-20",
        Tier.VICE_PRESIDENT,
        tags=["亿元楼", "高新技术企业"],
        party=Party.JOINT_BRANCH,
        members=2,
    ),
    spec(
        "上海微格信息技术有限公司",
        Industry.IT,
        "入驻徐泾“亿元楼”的软件企业，为商贸和物流企业提供SaaS管理系统。",
        "2019-05-09",
        Tier.EXECUTIVE,
        tags=["亿元楼", "高新技术企业"],
    ),
    spec(
        "上好佳（中国）有限公司",
        Industry.MANUFACTURING,
        "知名休闲食品企业，在徐泾设有生产基地和研发中心，产品行销全国。",
        "2001-06-01",
        Tier.VICE_PRESIDENT,
        tags=["知名企业"],
        party=Party.BRANCH,
        members=35,
    ),
    spec(
        "上海周黑鸭食品有限公司",
        Industry.TRADE,
        "知名卤制品品牌在上海的运营主体，负责华东地区门店经营和冷链配送。",
        "2016-08-18",
        Tier.EXECUTIVE,
        tags=["知名企业"],
        party=Party.BRANCH,
        members=7,
    ),
    spec(
        "上海中昊针织有限公司",
        Industry.MANUFACTURING,
        "专业从事针织面料和针织服装的研发、生产与出口，是徐泾历史最久的制造企业之一。",
        "1998-05-20",
        Tier.VICE_PRESIDENT,
        tags=["知名企业"],
        party=Party.BRANCH,
        members=26,
    ),
    spec(
        "德邦物流股份有限公司",
        Industry.LOGISTICS,
        "总部位于徐泾的上市综合物流企业，提供快运、快递、整车和仓储供应链服务。",
        "2010-09-01",
        Tier.VICE_PRESIDENT,
        tags=["上市企业"],
        party=Party.BRANCH,
        members=48,
    ),
    spec(
        "上海灿辉国际实业发展有限公司",
        Industry.REAL_ESTATE,
        "从事房地产开发和城市更新，参与徐泾老集镇“城中村”改造，积极推动城镇更新。",
        "2005-08-08",
        Tier.VICE_PRESIDENT,
        party=Party.BRANCH,
        members=9,
    ),
]

# Invented companies of the leadership and the 监事会.
LEADERSHIP_COMPANIES = [
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

# The rest of the membership: brand (字号) and kind, then tags or a status.
# Each kind gives the name's ending, the industry and a choice of profiles.
KINDS = {
    "freight": (
        "国际物流有限公司",
        Industry.LOGISTICS,
        (
            "主营国际货运代理和报关报检，常年服务国家会展中心进口展品通关。",
            "依托虹桥综合交通枢纽，提供空运、陆运联运和跨境物流服务。",
        ),
    ),
    "supply_chain": (
        "供应链管理有限公司",
        Industry.LOGISTICS,
        (
            "在徐泾设有仓储分拨中心，为长三角品牌商提供仓储和城市配送。",
            "专注快消品供应链，服务虹桥商务区的商超和餐饮门店。",
        ),
    ),
    "express": (
        "快运有限公司",
        Industry.LOGISTICS,
        (
            "经营零担快运和同城即时配送，自有车队百余辆。",
            "为电商企业提供仓配一体化快运服务。",
        ),
    ),
    "exhibition": (
        "会展服务有限公司",
        Industry.BUSINESS_SERVICES,
        (
            "承接国家会展中心的展台设计搭建，参与进博会服务保障。",
            "提供展会策划、主场搭建和会务服务。",
        ),
    ),
    "advertising": (
        "广告有限公司",
        Industry.BUSINESS_SERVICES,
        (
            "从事户外广告和品牌活动策划，服务虹桥商务区多家企业总部。",
            "提供展会视觉设计、广告制作和新媒体运营服务。",
        ),
    ),
    "hr": (
        "人力资源有限公司",
        Industry.BUSINESS_SERVICES,
        (
            "提供人才招聘、劳务派遣和居住证积分政策咨询。",
            "为物流和会展企业提供灵活用工和员工培训服务。",
        ),
    ),
    "consulting": (
        "企业管理咨询有限公司",
        Industry.BUSINESS_SERVICES,
        (
            "为中小企业提供财税筹划、工商代理和管理咨询服务。",
            "协助企业申报高新技术企业、专精特新等资质和扶持政策。",
        ),
    ),
    "property": (
        "物业管理有限公司",
        Industry.REAL_ESTATE,
        (
            "为徐泾镇的商务楼宇和产业园区提供物业服务。",
            "负责多个住宅小区的物业管理，参与社区共治。",
        ),
    ),
    "realty": (
        "置业有限公司",
        Industry.REAL_ESTATE,
        (
            "开发运营虹桥商务区西片区的商办项目。",
            "经营徐泾镇的产业园区和标准厂房租赁。",
        ),
    ),
    "construction": (
        "建设工程有限公司",
        Industry.CONSTRUCTION,
        (
            "具有市政公用工程施工资质，参与徐泾镇道路和河道整治工程。",
            "承接厂房、仓库和商业楼宇的土建施工。",
        ),
    ),
    "decoration": (
        "建筑装饰工程有限公司",
        Industry.CONSTRUCTION,
        (
            "承接商业空间和办公楼宇的室内装饰工程。",
            "从事住宅精装修和园林景观施工。",
        ),
    ),
    "software": (
        "软件技术有限公司",
        Industry.IT,
        (
            "开发企业管理软件和小程序，服务长三角中小企业数字化转型。",
            "为物流和会展企业开发业务管理系统。",
        ),
    ),
    "network": (
        "网络科技有限公司",
        Industry.IT,
        (
            "运营跨境电商平台，借助进博会溢出效应引进海外商品。",
            "提供直播电商和数字营销服务。",
        ),
    ),
    "info": (
        "信息技术有限公司",
        Industry.IT,
        (
            "提供云计算运维、数据中心和信息安全服务。",
            "从事智慧园区和物联网系统集成。",
        ),
    ),
    "electronics": (
        "电子科技有限公司",
        Industry.MANUFACTURING,
        (
            "研发生产工业传感器和电子元器件，产品销往长三角制造企业。",
            "生产LED显示屏和智能照明产品。",
        ),
    ),
    "machinery": (
        "精密机械有限公司",
        Industry.MANUFACTURING,
        (
            "生产精密零部件和非标自动化设备。",
            "从事模具设计制造和精密加工。",
        ),
    ),
    "food": (
        "食品有限公司",
        Industry.MANUFACTURING,
        (
            "生产烘焙食品和休闲食品，在徐泾设有生产基地。",
            "生产速冻食品和中央厨房半成品，供应长三角餐饮门店。",
        ),
    ),
    "garment": (
        "服饰有限公司",
        Industry.MANUFACTURING,
        (
            "从事针织服装设计和生产，产品出口欧美市场。",
            "经营自有服装品牌，在徐泾设有设计中心和样衣工厂。",
        ),
    ),
    "packaging": (
        "包装材料有限公司",
        Industry.MANUFACTURING,
        (
            "生产环保纸箱和物流包装材料，主要服务快递物流企业。",
            "生产食品级塑料包装和标签。",
        ),
    ),
    "trading": (
        "贸易有限公司",
        Industry.TRADE,
        (
            "经营进口食品和日用消费品，借助进博会溢出效应拓展渠道。",
            "从事建材和五金批发。",
        ),
    ),
    "import_export": (
        "进出口有限公司",
        Industry.TRADE,
        (
            "从事进口葡萄酒、乳制品等商品的贸易和分销。",
            "经营机电产品进出口，是进博会常年展示交易平台的入驻企业。",
        ),
    ),
    "pharma": (
        "医药有限公司",
        Industry.TRADE,
        (
            "经营药品和医疗器械批发零售，在徐泾设有连锁药房。",
            "从事医疗器械配送，服务青浦区多家医疗机构。",
        ),
    ),
    "catering": (
        "餐饮管理有限公司",
        Industry.HOSPITALITY,
        (
            "在虹桥商务区经营多家中餐门店，并承接展会团餐。",
            "为园区企业提供员工食堂托管和团餐配送。",
        ),
    ),
    "hotel": (
        "酒店管理有限公司",
        Industry.HOSPITALITY,
        (
            "管理国家会展中心周边的商务酒店，展会期间接待参展商住宿。",
            "经营精品酒店和会议中心。",
        ),
    ),
    "testing": (
        "检测技术有限公司",
        Industry.RESEARCH,
        (
            "提供环境检测和产品质量检测服务，具备CMA资质。",
            "从事建设工程质量检测。",
        ),
    ),
    "design": (
        "工程设计有限公司",
        Industry.RESEARCH,
        (
            "从事建筑和景观设计，参与徐泾美丽乡村改造设计。",
            "提供市政道路和桥梁设计服务。",
        ),
    ),
    "biotech": (
        "生物科技有限公司",
        Industry.RESEARCH,
        (
            "研发诊断试剂和生物材料。",
            "从事功能性食品原料的研发和检测。",
        ),
    ),
    "leasing": (
        "融资租赁有限公司",
        Industry.FINANCE,
        ("为物流企业提供车辆融资租赁服务。", "为中小企业提供设备融资租赁服务。"),
    ),
    "insurance": (
        "保险代理有限公司",
        Industry.FINANCE,
        ("为会员企业提供财产险、货运险和团体保险方案。", "代理企业财产保险和员工团体保险。"),
    ),
    "education": (
        "教育科技有限公司",
        Industry.EDUCATION,
        ("开展职业技能培训和企业内训。", "提供青少年素质教育和课后托管服务。"),
    ),
    "clinic": (
        "门诊部有限公司",
        Industry.HEALTH,
        ("经营综合门诊部，为周边企业提供员工体检服务。", "提供中医诊疗和健康管理服务。"),
    ),
    "eldercare": (
        "养老服务有限公司",
        Industry.HEALTH,
        ("运营社区长者照护之家和助餐点。", "提供居家养老上门服务。"),
    ),
    "culture": (
        "文化传播有限公司",
        Industry.CULTURE,
        ("从事文化活动策划和影视制作。", "承办企业年会、文艺演出和品牌发布会。"),
    ),
    "sports": (
        "体育发展有限公司",
        Industry.CULTURE,
        ("运营体育场馆，开展青少年体育培训。", "承办企业运动会和职工健身活动。"),
    ),
    "housekeeping": (
        "家政服务有限公司",
        Industry.RESIDENT_SERVICES,
        ("提供家政保洁和企业保洁外包服务。", "提供母婴护理和家庭保洁服务。"),
    ),
    "auto": (
        "汽车服务有限公司",
        Industry.RESIDENT_SERVICES,
        ("经营汽车维修保养和新能源汽车充电服务。", "提供商务用车租赁和车辆维修服务。"),
    ),
    "environment": (
        "环保科技有限公司",
        Industry.RESEARCH,
        ("提供污水处理设备和环保技术服务。", "从事垃圾分类和固体废物资源化利用。"),
    ),
    "agriculture": (
        "农业科技发展有限公司",
        Industry.AGRICULTURE,
        ("经营都市现代农业基地，开展农事体验活动。", "种植和配送绿色蔬果，供应企业食堂。"),
    ),
}

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
泾城 construction
美筑 decoration suspended
雅居 decoration
锦绣 decoration
锦程 software 亿元楼 高新技术企业
云帆 software 亿元楼 高新技术企业
数衡 software 高新技术企业
智泾 software 高新技术企业
易联 software
码上 software
跨通 network
星网 network
优购 network
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
锐力 machinery
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
欧泰 import_export
澳丰 import_export
康泾 pharma
益寿 pharma
泾味 catering
阿婆 catering
渔家 catering
品鲜 catering
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
泾康 clinic
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


def _rng(*key) -> random.Random:
    # Seeded by the row's own key, so adding a row never changes the others.
    return random.Random(":".join([SEED, *map(str, key)]))


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
    return [
        CompanySpec(**{**spec.__dict__, "address": spec.address or _address(spec)})
        for spec in specs
    ]


# --- People ---------------------------------------------------------------------------------


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


@dataclass(frozen=True)
class SeatSpec:
    """A leadership or supervisory seat, and the seat held in the previous term (if any)."""

    person: str
    company: str | None
    job_title: str
    title: str
    portfolio: str = ""
    previous_title: str = ""
    political_title: str = ""


CPPCC = "政协委员"
NPC = "人大代表"
P = "president"
EVP = "executive_vice_president"
VP = "vice_president"
EX = "executive"
SG = "secretary_general"
CS = "chief_supervisor"
SU = "supervisor"

# The current term's seats, in order within each title. All names are invented.
SEATS = [
    SeatSpec(
        "沈建明",
        PRESIDENT_COMPANY,
        "董事长",
        P,
        "主持商会全面工作",
        P,
        "青浦区政协委员、青浦区工商联副主席",
    ),
    SeatSpec("朱建平", "上海中昊针织有限公司", "董事长", EVP, "协助会长处理日常工作", EVP),
    SeatSpec(
        "钱伟民",
        "上海泾华建设工程有限公司",
        "董事长",
        EVP,
        "分管美丽乡村与社区共治",
        VP,
        "青浦区人大代表",
    ),
    SeatSpec(
        "王振华",
        "上海麦迪睿医疗科技有限公司",
        "总经理",
        VP,
        "分管会员发展",
        EX,
        "青浦区政协委员",
    ),
    SeatSpec("陈立新", "上海灿辉国际实业发展有限公司", "董事长", VP, "分管城镇更新", VP),
    SeatSpec("林志伟", "上好佳（中国）有限公司", "副总裁", VP, "分管对外联络", VP),
    SeatSpec("黄卫国", "德邦物流股份有限公司", "副总裁", VP, "分管物流行业服务", VP),
    SeatSpec("张晓东", "上海E通世界网络科技有限公司", "总经理", VP, "分管新媒体和《缘聚》", EX),
    SeatSpec("沈丽华", "上海泾誉会展服务有限公司", "董事长", VP, "分管进博会服务保障", VP),
    SeatSpec("顾文斌", "上海崧源供应链管理有限公司", "总经理", VP, "分管公益慈善", VP),
    SeatSpec("周志强", "上海瑞泾置业有限公司", "董事长", VP, "分管楼宇经济", VP, "徐泾镇人大代表"),
    SeatSpec(
        "陆雪梅",
        "上海华徐智能装备有限公司",
        "董事长",
        VP,
        "分管青年企业家工作",
        VP,
        "青浦区政协委员",
    ),
    SeatSpec("吴国平", "上海诸光餐饮管理有限公司", "总经理", VP, "分管联谊活动", VP),
    SeatSpec("蒋立军", "上海泾东电子科技有限公司", "董事长", VP, "分管科技创新", VP),
    SeatSpec("孙建英", "上海恒泾融资租赁有限公司", "总经理", VP, "分管金融服务", EX),
    SeatSpec("杨海涛", "上海泾西建筑装饰工程有限公司", "董事长", VP, "分管环境志愿活动", VP),
    SeatSpec("许文杰", "上海联泾人力资源有限公司", "总经理", VP, "分管人才服务", EX),
    SeatSpec("汪海燕", "上海周黑鸭食品有限公司", "总经理", EX),
    SeatSpec("刘俊", "上海微格信息技术有限公司", "总经理", EX),
    SeatSpec("潘振宇", "上海泾凯国际物流有限公司", "总经理", EX, previous_title=EX),
    SeatSpec("马晓峰", "上海泾桥软件技术有限公司", "总经理", EX),
    SeatSpec("邵立群", "上海会博广告有限公司", "总经理", EX, previous_title=EX),
    SeatSpec("金伟", "上海龙联精密机械有限公司", "董事长", EX, previous_title=EX),
    SeatSpec("姚建新", "上海泾润物业管理有限公司", "总经理", EX),
    SeatSpec("郁惠芳", None, "秘书长", SG, "主持秘书处日常工作", SG),
    SeatSpec("戴明华", "上海泾和会计师事务所有限公司", "主任会计师", CS, previous_title=CS),
    SeatSpec("顾美琴", "上海泾衡税务师事务所有限公司", "所长", SU),
    SeatSpec("邱永康", "上海泾源环保科技有限公司", "总经理", SU),
]

# The general managers of the four investment promotion companies; each is the company's contact.
INVESTMENT_MANAGERS = {
    "上海徐泾蟠龙投资发展有限公司": "何建刚",
    "上海徐泾西虹投资发展有限公司": "赵永明",
    "上海徐泾会展投资发展有限公司": "唐晓燕",
    "上海徐泾明珠投资发展有限公司": "冯立伟",
}
MEMBERSHIP_GROUP_LEAD = "王振华"
SECRETARIAT_STAFF = [("曹佳怡", "秘书处干事")]

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
        roster.append(
            pool.person(
                seat.person,
                seat.company,
                seat.job_title,
                _rng("person", seat.person),
                is_cppcc_member=CPPCC in political,
                is_npc_deputy=NPC in political,
                political_title=political,
            )
        )
    for name, title in SECRETARIAT_STAFF:
        roster.append(pool.person(name, None, title, _rng("person", name)))
    for company in company_specs:
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


# --- Working groups, rules, honors ----------------------------------------------------------

WORKING_GROUPS = [
    (
        "商会工作领导小组",
        "leadership",
        "在会长领导下统筹商会全局工作：具体协调、制定全年工作基调和下年度工作重点，"
        "推进基本队伍、基本阵地、基本制度“三个基本”联动建设；组织班子成员按联系服务表"
        "每月走访会员企业，研究解决企业反映的问题。会长任组长，副会长任副组长，执委为成员。",
    ),
    (
        "会员发展工作小组",
        "membership",
        "以镇四大招商公司总经理为主要成员，由分管会员发展的副会长牵头，着力发现和发展新会员："
        "跟踪新落户企业和重点招商项目，上门介绍商会服务，做好入会引荐和新会员的首次走访，"
        "不断壮大商会队伍。",
    ),
    (
        "监事会",
        "supervisory",
        "监督商会的各项日常工作：检查章程和各项制度的执行情况，审核会费和公益资金的收支使用，"
        "列席执行委员会会议和季度例会，每年向会员大会报告监督情况，确保商会健康发展。",
    ),
]


def _articles(*paragraphs: str) -> str:
    """A rule's text: one paragraph per chapter heading or article, blank lines between."""
    return "\n\n".join(paragraphs)


RULES = [
    (
        "上海市青浦区徐泾镇商会章程",
        "charter",
        datetime.date(2024, 1, 1),
        _articles(
            "第一章　总则",
            "第一条　本会名称为上海市青浦区徐泾镇商会（以下简称本会）。",
            "第二条　本会是在中共上海市青浦区徐泾镇委员会领导下，由徐泾镇域内的非公有制企业和"
            "非公有制经济人士自愿组成的地方性、非营利性社会组织，是青浦区工商业联合会的基层组织。",
            "第三条　本会坚持中国共产党的全面领导，遵守宪法、法律、法规和国家政策，践行社会主义"
            "核心价值观。本会以“发展企业、回馈社会”为宗旨，在政府与企业之间、企业与企业之间当好"
            "桥梁和纽带，促进非公有制经济健康发展和非公有制经济人士健康成长。",
            "第四条　本会接受青浦区工商业联合会的业务指导和徐泾镇人民政府的工作指导。",
            "第五条　本会会址设在上海市青浦区徐泾镇。",
            "第二章　业务范围",
            "第六条　本会的业务范围：（一）宣传党和国家的路线方针政策，组织会员开展理想信念教育；"
            "（二）了解和反映会员企业的意见和诉求，协助政府部门解决企业发展中的困难；"
            "（三）为会员企业提供政策宣讲、融资对接、法律咨询、人才服务等服务；"
            "（四）组织会员企业开展交流合作和经验分享，开拓市场；"
            "（五）引导会员企业参与社区共治、光彩事业和社会公益事业；"
            "（六）加强会员自律，维护会员合法权益；"
            "（七）承办区工商联和镇人民政府委托的其他事项。",
            "第三章　会员",
            "第七条　在徐泾镇域内依法登记、承认本章程、有加入意愿的企业，可以申请成为本会会员。",
            "第八条　会员入会的程序：（一）提交入会申请书；（二）经会员发展工作小组推荐、"
            "秘书处审核；（三）经执行委员会讨论通过；（四）由秘书处发给会员证。",
            "第九条　会员享有下列权利：（一）本会的选举权、被选举权和表决权；（二）参加本会"
            "组织的活动；（三）获得本会服务的优先权；（四）对本会工作的批评建议权和监督权；"
            "（五）入会自愿、退会自由。",
            "第十条　会员履行下列义务：（一）遵守本会章程，执行本会决议；（二）维护本会合法"
            "权益；（三）完成本会交办的工作；（四）按规定交纳会费；（五）向本会反映情况，提供"
            "有关资料；（六）守法经营、诚信经营。",
            "第十一条　会员退会应书面通知本会。会员一年以上不交纳会费或不参加本会活动的，"
            "视为自动退会。会员严重违反本章程的，经执行委员会表决通过，予以除名。",
            "第四章　组织机构和负责人",
            "第十二条　本会的最高权力机构是会员大会。会员大会的职权是：制定和修改章程；"
            "选举和罢免会长、副会长、执行委员和监事；审议执行委员会的工作报告和财务报告；"
            "决定其他重大事宜。",
            "第十三条　执行委员会是会员大会的执行机构，在会员大会闭会期间领导本会开展日常工作，"
            "对会员大会负责。执行委员会由会长、副会长和执行委员组成。",
            "第十四条　本会设会长一名，由非公有制企业家担任；设常务副会长、副会长、执行委员"
            "若干名；专设秘书长一名。会长为本会第一责任人。秘书长主持秘书处日常工作。",
            "第十五条　会长、副会长、执行委员和监事每届任期五年，可以连选连任。",
            "第十六条　本会设监事会，由监事长一名、监事若干名组成，监督本会章程和各项制度的"
            "执行及本会财务。监事不得兼任会长、副会长、执行委员和秘书长。",
            "第五章　党的建设",
            "第十七条　本会建立党的组织，开展党的活动，为党组织的活动提供必要条件；引导会员"
            "企业建立党组织，支持企业党支部开展组织生活和红色课堂。",
            "第六章　资产管理",
            "第十八条　本会经费来源：（一）会费；（二）捐赠；（三）政府资助；（四）在核准的"
            "业务范围内开展活动或服务的收入；（五）其他合法收入。",
            "第十九条　本会经费必须用于本章程规定的业务范围和事业的发展，不得在会员中分配。"
            "本会执行《民间非营利组织会计制度》，接受监事会和有关部门的监督。",
            "第七章　附则",
            "第二十条　本章程经2023年12月26日第八届会员大会第一次会议表决通过，"
            "自2024年1月1日起施行。本章程的解释权属本会执行委员会。",
        ),
    ),
    (
        "徐泾镇商会工作制度",
        "work",
        datetime.date(2024, 3, 1),
        _articles(
            "第一条　为规范本会日常工作，提高工作效能，根据《上海市青浦区徐泾镇商会章程》，"
            "制定本制度。",
            "第二条　本会实行以会长为第一责任人的运行机制。会长主持全面工作，常务副会长协助"
            "会长处理日常事务，副会长按分工负责相关工作，执行委员参与重大事项的讨论和决策。",
            "第三条　本会按照“稳定可靠的队伍、标准规范的阵地、可行管用的制度”的要求，开展"
            "基本队伍、基本阵地、基本制度“三个基本”联动机制建设，使商会规范化运作。",
            "第四条　本会设立三个工作机构：（一）商会工作领导小组，以会长为组长、副会长为"
            "副组长、执委为成员，具体协调、制定全年工作基调和下年度工作重点；（二）会员发展"
            "工作小组，以镇四大招商公司总经理为主要成员，着力发现和发展新会员；（三）监事会，"
            "监督本会的各项日常工作。",
            "第五条　秘书处在秘书长领导下负责本会日常事务：会员档案管理、会议组织、活动策划、"
            "信息报送、财务管理和联络服务。",
            "第六条　本会每年一月制定年度工作计划，经商会工作领导小组讨论后实施；每年十二月"
            "形成年度工作总结，报青浦区工商联和徐泾镇人民政府。",
            "第七条　本会各项制度向会员企业公开，接受会员企业监督执行。在建的制度在施行前"
            "征求会员企业意见。",
            "第八条　本会通过微信新媒体平台和商会刊物《缘聚》，宣传党的政策、企业先进典型和"
            "本会工作动态。",
            "第九条　秘书处建立会员档案，会员企业名称、联系人等信息发生变化的，及时更新。"
            "会员的个人信息仅用于本会工作，不得对外提供。",
            "第十条　本制度由秘书处负责解释，自2024年3月1日起施行。",
        ),
    ),
    (
        "徐泾镇商会会议制度",
        "meeting",
        datetime.date(2024, 3, 1),
        _articles(
            "第一条　为规范本会会议，提高议事效率，根据本会章程，制定本制度。",
            "第二条　会员大会每五年召开一次，进行换届选举；必要时可以召开临时会员大会。"
            "会员大会须有三分之二以上的会员出席方能召开，其决议须经到会会员半数以上表决通过。",
            "第三条　执行委员会会议每半年召开一次，由会长召集和主持；遇有重大事项，可以临时召开。",
            "第四条　商会工作领导小组会议每年年初、年末各召开一次，研究确定全年工作基调和"
            "下年度工作重点。",
            "第五条　本会每季度召开一次例会暨经验分享会。例会通报上季度工作、班子成员走访"
            "企业情况和企业反映问题的办理情况，部署下季度工作；分享会邀请会员企业家诠释做强"
            "做精的经营理念，通过“走出去、学进来、广推开”的方式，让企业学习成熟经验，开拓"
            "经营思路。",
            "第六条　季度例会暨经验分享会原则上在每季度的第二个月召开，由秘书处提前一周发出"
            "通知，并确定分享企业和主题。",
            "第七条　班子成员应当按时参加会议，因故不能参加的，应向秘书长请假。监事会成员"
            "列席执行委员会会议和季度例会。",
            "第八条　秘书处负责会议记录，形成会议纪要，会后五个工作日内分送与会人员并归档。",
            "第九条　本制度自2024年3月1日起施行。",
        ),
    ),
    (
        "徐泾镇商会联系制度",
        "liaison",
        datetime.date(2024, 3, 1),
        _articles(
            "第一条　为密切本会与会员企业的联系，及时了解和帮助解决企业发展中遇到的困难，"
            "根据本会章程，建立班子成员联系走访企业制度。",
            "第二条　本制度所称班子成员，是指本会会长、常务副会长、副会长和执行委员。",
            "第三条　秘书处每届编制联系服务表，明确每名班子成员联系的会员企业，经商会工作"
            "领导小组审定后公布。会员企业发生变化的，及时调整。",
            "第四条　班子成员按照联系服务表，每月至少走访2家会员企业。走访可以与镇经发办、"
            "社区事务受理中心等部门组团开展。",
            "第五条　走访采取“上门听问题、班子想办法、合力解难题”的方式，了解企业经营情况"
            "和需求，听取意见建议，宣传政策和商会活动，增强良性互动，扩大朋友圈。",
            "第六条　班子成员在走访后五个工作日内记录走访情况；企业反映的问题按融资、用工"
            "和人才、政策、法律、场地、审批等类别登记。",
            "第七条　秘书处对企业反映的问题建立台账，明确责任人和办理时限，跟踪办理直至解决，"
            "并向企业反馈结果。涉及政府部门职能的，商请有关部门协调解决。",
            "第八条　班子成员中的政协委员、人大代表，结合走访中了解的企业共性问题，积极提交"
            "提案、议案，反映企业呼声。",
            "第九条　秘书处每月统计班子成员走访情况，在季度例会上通报；走访完成情况作为班子"
            "成员年度履职评价和“四好”商会建设的重要依据。",
            "第十条　本制度自2024年3月1日起施行。",
        ),
    ),
]

SHANGHAI_ACFIC = "上海市工商业联合会"
ACFIC = "中华全国工商业联合会"
HONORS = [
    (2015, None, "上海市工商联优秀基层商会", SHANGHAI_ACFIC),
    (2017, None, "上海市工商联基层组织十佳工作案例", SHANGHAI_ACFIC),
    (2017, None, "上海市工商联“四好”商会", SHANGHAI_ACFIC),
    (2018, 2019, "全国工商联“四好”商会", ACFIC),
]
FOUR_GOODS = "凭借班子建设好、团结教育好、服务发展好、自律规范好获评。"


# --- The membership development group's pipeline, and the demo logins -----------------------


@dataclass(frozen=True)
class ProspectSpec:
    company_name: str
    source: str
    owner: str
    stage: str
    contact: str
    notes: str
    converted_company: str | None = None


PROSPECTS = [
    ProspectSpec(
        "上海泾航跨境电子商务有限公司",
        "investment_agency",
        "何建刚",
        "contacted",
        "李女士（行政总监）",
        "新落户蟠龙片区，已上门介绍商会服务，对融资对接活动感兴趣。",
    ),
    ProspectSpec(
        "上海会展通数字科技有限公司",
        "investment_agency",
        "唐晓燕",
        "interested",
        "周先生（总经理）",
        "为国家会展中心提供数字化票务服务，计划参加下季度经验分享会后提交申请。",
    ),
    ProspectSpec(
        "上海虹徐生物医药科技有限公司",
        "government",
        "王振华",
        "applied",
        "陈博士（创始人）",
        "经发办推荐，入会申请已提交，待执行委员会审议。",
    ),
    ProspectSpec(
        "上海泾茂冷链物流有限公司",
        "member_referral",
        "赵永明",
        "lead",
        "",
        "由副会长单位德邦物流引荐，尚未联系。",
    ),
    ProspectSpec(
        "上海睿展文化传播有限公司",
        "visit",
        "冯立伟",
        "declined",
        "孙经理",
        "走访时了解到企业计划迁往市区，暂无入会意向，明年再访。",
    ),
    ProspectSpec(
        "上海诸光新能源科技有限公司",
        "investment_agency",
        "何建刚",
        "interested",
        "吴女士（办公室主任）",
        "关注高新技术企业认定政策，已邀请参加政策宣讲会。",
    ),
    ProspectSpec(
        "上海泾品餐饮连锁有限公司",
        "self",
        "冯立伟",
        "contacted",
        "郑先生（店长）",
        "通过微信公众号咨询入会，已约定上门走访。",
    ),
    ProspectSpec(
        CONVERTED_COMPANY,
        "investment_agency",
        "赵永明",
        "joined",
        "",
        "经会员发展工作小组引荐，执行委员会审议通过，已正式入会。",
        CONVERTED_COMPANY,
    ),
]


@dataclass(frozen=True)
class LoginSpec:
    username: str
    person: str
    description: str
    is_staff: bool = False
    group: str = ""


def logins(roster: list[PersonSpec]) -> list[LoginSpec]:
    member = next(p.name for p in roster if p.company == MEMBER_LOGIN_COMPANY and p.is_main_contact)
    return [
        LoginSpec("secretary", "郁惠芳", "秘书长 (admin, imports)", True, "secretariat"),
        LoginSpec("president", "沈建明", "会长"),
        LoginSpec("leader", "王振华", "副会长, 青浦区政协委员"),
        LoginSpec("supervisor", "邱永康", "监事", True, "supervisors"),
        LoginSpec("member", member, f"联系人, {MEMBER_LOGIN_COMPANY}"),
    ]
