"""The kinds of business of the rest of the membership (and of the city's companies)."""

from members.models import Industry

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
