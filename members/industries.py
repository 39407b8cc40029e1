"""Where a company's industry, as a secretary writes it, goes among the sections the app counts.

Secretaries write 行业 in everyday words (物流, 食品, 信息技术, 餐饮 …) or as the national
classification names its divisions (纺织业, 道路运输业 …); statistics need one of the sections of
``Industry``. ``place()`` finds the section, and the word itself is kept as written
(``Company.industry_text``).

Source: GB/T 4754-2017《国民经济行业分类》(National Bureau of Statistics, with its 2019
amendment No. 1, which changes no division): its 20 sections (门类 A–T) and all 97 divisions
(大类 01–97) under their official names, each placed under its section; the everyday words are
the chamber's own table, each placed where the standard classes the activity it names (e.g.
货代 → 58 多式联运和运输代理业 → G; 环保 → 7516 环保技术推广服务 → M; 医药 → 27 医药制造业 → C;
投资 is read as finance, as the chambers do).

The app counts all 20 sections, and 其他 for the words that cannot be placed.
"""

import unicodedata
from collections import namedtuple

from django.utils.translation import gettext

from core.spreadsheets import ChoiceLabelWidget, cell_value

from .models import Industry

A = Industry.AGRICULTURE
C = Industry.MANUFACTURING
E = Industry.CONSTRUCTION
F = Industry.TRADE
G = Industry.LOGISTICS
H = Industry.HOSPITALITY
IT = Industry.IT
J = Industry.FINANCE
K = Industry.REAL_ESTATE
L = Industry.BUSINESS_SERVICES
M = Industry.RESEARCH
O = Industry.RESIDENT_SERVICES  # noqa: E741 (the standard's letter)
P = Industry.EDUCATION
Q = Industry.HEALTH
R = Industry.CULTURE
B = Industry.MINING
D = Industry.UTILITIES
N = Industry.PUBLIC_FACILITIES
S = Industry.PUBLIC_ADMINISTRATION
T = Industry.INTERNATIONAL
X = Industry.OTHER

# GB/T 4754-2017, the 20 sections (门类) by their names.
SECTIONS = {
    "农、林、牧、渔业": A,
    "采矿业": B,
    "制造业": C,
    "电力、热力、燃气及水生产和供应业": D,
    "建筑业": E,
    "批发和零售业": F,
    "交通运输、仓储和邮政业": G,
    "住宿和餐饮业": H,
    "信息传输、软件和信息技术服务业": IT,
    "金融业": J,
    "房地产业": K,
    "租赁和商务服务业": L,
    "科学研究和技术服务业": M,
    "水利、环境和公共设施管理业": N,
    "居民服务、修理和其他服务业": O,
    "教育": P,
    "卫生和社会工作": Q,
    "文化、体育和娱乐业": R,
    "公共管理、社会保障和社会组织": S,
    "国际组织": T,
}

# GB/T 4754-2017, the 97 divisions (大类), in the order of their codes 01–97.
DIVISIONS = {
    "农业": A,  # 01
    "林业": A,
    "畜牧业": A,
    "渔业": A,
    "农、林、牧、渔专业及辅助性活动": A,
    "煤炭开采和洗选业": B,  # 06
    "石油和天然气开采业": B,
    "黑色金属矿采选业": B,
    "有色金属矿采选业": B,
    "非金属矿采选业": B,
    "开采专业及辅助性活动": B,
    "其他采矿业": B,
    "农副食品加工业": C,  # 13
    "食品制造业": C,
    "酒、饮料和精制茶制造业": C,
    "烟草制品业": C,
    "纺织业": C,
    "纺织服装、服饰业": C,
    "皮革、毛皮、羽毛及其制品和制鞋业": C,
    "木材加工和木、竹、藤、棕、草制品业": C,
    "家具制造业": C,
    "造纸和纸制品业": C,
    "印刷和记录媒介复制业": C,
    "文教、工美、体育和娱乐用品制造业": C,
    "石油、煤炭及其他燃料加工业": C,
    "化学原料和化学制品制造业": C,
    "医药制造业": C,
    "化学纤维制造业": C,
    "橡胶和塑料制品业": C,
    "非金属矿物制品业": C,
    "黑色金属冶炼和压延加工业": C,
    "有色金属冶炼和压延加工业": C,
    "金属制品业": C,
    "通用设备制造业": C,
    "专用设备制造业": C,
    "汽车制造业": C,
    "铁路、船舶、航空航天和其他运输设备制造业": C,
    "电气机械和器材制造业": C,
    "计算机、通信和其他电子设备制造业": C,
    "仪器仪表制造业": C,
    "其他制造业": C,
    "废弃资源综合利用业": C,
    "金属制品、机械和设备修理业": C,
    "电力、热力生产和供应业": D,  # 44
    "燃气生产和供应业": D,
    "水的生产和供应业": D,
    "房屋建筑业": E,  # 47
    "土木工程建筑业": E,
    "建筑安装业": E,
    "建筑装饰、装修和其他建筑业": E,
    "批发业": F,  # 51
    "零售业": F,
    "铁路运输业": G,  # 53
    "道路运输业": G,
    "水上运输业": G,
    "航空运输业": G,
    "管道运输业": G,
    "多式联运和运输代理业": G,
    "装卸搬运和仓储业": G,
    "邮政业": G,
    "住宿业": H,  # 61
    "餐饮业": H,
    "电信、广播电视和卫星传输服务": IT,  # 63
    "互联网和相关服务": IT,
    "软件和信息技术服务业": IT,
    "货币金融服务": J,  # 66
    "资本市场服务": J,
    "保险业": J,
    "其他金融业": J,
    "房地产业": K,  # 70
    "租赁业": L,  # 71
    "商务服务业": L,
    "研究和试验发展": M,  # 73
    "专业技术服务业": M,
    "科技推广和应用服务业": M,
    "水利管理业": N,  # 76
    "生态保护和环境治理业": N,
    "公共设施管理业": N,
    "土地管理业": N,
    "居民服务业": O,  # 80
    "机动车、电子产品和日用产品修理业": O,
    "其他服务业": O,
    "教育": P,  # 83
    "卫生": Q,  # 84
    "社会工作": Q,
    "新闻和出版业": R,  # 86
    "广播、电视、电影和录音制作业": R,
    "文化艺术业": R,
    "体育": R,
    "娱乐业": R,
    "中国共产党机关": S,  # 91
    "国家机构": S,
    "人民政协、民主党派": S,
    "社会保障": S,
    "群众团体、社会团体和其他成员组织": S,
    "基层群众自治组织及其他组织": S,
    "国际组织": T,  # 97
}

# Everyday words, by the section the standard puts the activity in.
EVERYDAY = {
    A: """农林 种植 种植业 养殖 养殖业 畜牧 水产 水产养殖 园艺 花卉 苗木 蔬菜 果蔬 茶园
        农场 生态农业 农产品 农业合作社 合作社 家庭农场""",
    C: """制造 生产 加工 工厂 实业 工业 食品 食品加工 饮料 酒业 酿酒 烟草 乳制品 烘焙 调味品
        保健品 饲料 粮油加工 纺织 纺织品 服装 服饰 鞋业 制鞋 皮革 箱包 家具 木业 造纸 纸品
        包装 包装材料 印刷 文具 玩具 工艺品 化工 化学 涂料 油漆 日化 化妆品 医药 制药
        生物医药 医疗器械 塑料 塑胶 橡胶 塑料制品 建材 建筑材料 玻璃 陶瓷 水泥 钢铁 冶金
        有色金属 五金 金属制品 钣金 铸造 锻造 模具 紧固件 轴承 阀门 泵业 机械 机械设备
        机械制造 设备制造 通用设备 专用设备 精密机械 汽车 汽配 汽车配件 汽车零部件 汽车制造
        船舶 航空航天 电气 电机 电器 电缆 电线电缆 照明 灯具 家电 电子 电子元器件 半导体
        集成电路 芯片 通信设备 光电 仪器 仪表 仪器仪表 自动化 智能制造 机器人 新能源 光伏
        锂电 电池 新材料 材料 环保设备""",
    E: """建筑 建设 施工 建筑施工 工程 建筑工程 土建 土木工程 市政 市政工程 路桥 装修 装饰
        装潢 建筑装饰 装饰工程 室内装修 安装 机电安装 水电安装 幕墙 钢结构 园林 园林绿化 绿化
        防水 消防工程 智能化工程 建筑劳务""",
    F: """贸易 商贸 外贸 进出口 国际贸易 批发 零售 销售 经销 电商 电子商务 网店 超市 便利店
        商场 百货 商业 日用百货 药店 药房 医药销售 汽车销售 4S店 钢贸 钢材贸易 珠宝 黄金珠宝
        烟酒 酒类 粮油 水果 生鲜 农贸 茶叶 加油站 母婴 书店 图书""",
    G: """物流 运输 货运 货物运输 物流运输 快递 快运 仓储 仓库 仓储物流 冷链 冷链物流 货代 国际货代
        货运代理 航运 海运 船运 公交 客运 出租车 搬家 搬运 装卸 邮政 配送""",
    H: """餐饮 餐饮服务 餐饮管理 饭店 酒店 酒店管理 宾馆 旅馆 民宿 住宿 餐厅 饭馆 快餐 团餐
        食堂 咖啡 茶饮 奶茶 火锅 小吃 酒楼 农家乐""",
    IT: """信息技术 IT 软件 软件开发 互联网 网络 网络科技 信息 信息服务 计算机 通信 电信
        大数据 云计算 人工智能 物联网 数字 数字化 系统集成 网络安全 游戏 动漫 直播 电子信息
        信息科技 数字科技 智能科技 信息技术服务 软件服务 软件和信息技术服务""",
    J: """金融 银行 保险 证券 投资 基金 担保 小额贷款 小贷 典当 融资租赁 期货 信托 股权投资
        金融服务""",
    K: """房产 房地产 地产 房地产开发 物业 物业管理 物业服务 房产中介 房屋中介 置业 房屋租赁
        商业地产""",
    L: """商务服务 咨询 管理咨询 企业管理 商务咨询 信息咨询 投资管理 资产管理 投资咨询 广告
        会展 展览 会务 人力资源 劳务派遣 猎头 招聘 法律 法律服务 律师 律师事务所 会计
        会计师事务所 财务 代理记账 财税 税务 审计 知识产权 租赁 设备租赁 汽车租赁 旅行社
        旅游 安保 保安 品牌策划 策划 营销 市场营销 公关 翻译 供应链 供应链管理 外包
        服务外包 园区 园区管理""",
    M: """科技 科研 研发 技术服务 技术开发 检测 检验检测 认证 设计 工业设计 工程设计
        建筑设计 规划设计 测绘 环境监测 高新技术 生物技术 生物科技 技术推广 环保 环保科技
        节能 节能环保""",
    O: """家政 保洁 清洁 美容 美发 美容美发 理发 洗浴 足浴 洗衣 干洗 摄影 婚庆 婚纱摄影
        维修 修理 汽车维修 汽修 家电维修 殡葬 宠物 宠物服务 托育 开锁""",
    P: "教育 培训 教育培训 职业培训 技能培训 幼儿园 早教 学校 驾校",
    Q: "医疗 医院 诊所 门诊 健康 体检 康复 护理 养老 养老院 口腔 牙科 中医 医美",
    R: """文化 传媒 文化传媒 广告传媒 影视 影视制作 出版 新闻 演出 文艺 艺术 健身 娱乐 KTV
        电影 电影院 游乐 文创 文化创意 音乐 新媒体""",
    B: "采矿 矿业 开采 采石 砂石",
    D: "电力 供电 发电 光伏发电 燃气 天然气 供水 自来水 水务 热力 供热",
    N: "环卫 环境治理 市政设施 公共设施 水利 污水处理 垃圾处理",
    S: "社会组织 社团 协会 商会 公益 基金会 民办非企业",
    X: "其他",
}

# What is taken off the end of a word before looking it up again (物流公司, 餐饮行业).
ENDINGS = ("有限公司", "公司", "行业", "业")


def normalize(word: str) -> str:
    """A word as looked up: full-width letters and digits as half-width (NFKC), without spaces
    or the 、，,· between the parts of a name, Latin letters in lower case."""
    text = unicodedata.normalize("NFKC", str(word or ""))
    return "".join(ch for ch in text if not ch.isspace() and ch not in "、，,·.。/").lower()


def bare(key: str) -> str:
    """A normalised word without the endings that say nothing of the industry."""
    changed = True
    while changed:
        changed = False
        for ending in ENDINGS:
            if key.endswith(ending) and len(key) > len(ending) + 1:
                key, changed = key[: -len(ending)], True
    return key


def build_table() -> dict[str, str]:
    """Every word that places a company, normalised, with the words without their endings."""
    words = dict(SECTIONS)
    words.update(DIVISIONS)
    for section, text in EVERYDAY.items():
        for word in text.split():
            if word in words and words[word] != section:
                raise ValueError(f"{word} is placed twice")
            words[word] = section
    table = {}
    for word, section in words.items():
        table.setdefault(normalize(word), section)
    for key, section in list(table.items()):
        table.setdefault(bare(key), section)
    return table


TABLE = build_table()
# How many words the table places as written (before their variants without endings).
WORD_COUNT = len(
    {normalize(word) for word in [*SECTIONS, *DIVISIONS, *" ".join(EVERYDAY.values()).split()]}
)


def place(word: str) -> str | None:
    """The section of ``word`` (an ``Industry`` value), or None when it cannot be placed.

    Looked up as written, then without an ending (物流公司 → 物流, 物流服务 → 物流), then by
    its longest ending that is a word of the table (食品贸易 → 贸易, 汽车零部件制造 → 制造):
    a Chinese name says last what the business does.
    """
    written = normalize(word)
    key = bare(written)
    candidates = [written, key]
    if key.endswith("服务") and len(key) > 3:
        candidates.append(bare(key[:-2]))
    for candidate in candidates:
        if candidate in TABLE:
            return TABLE[candidate]
    for start in range(1, len(key) - 1):
        if key[start:] in TABLE:
            return TABLE[key[start:]]
    return None


# A 行业 cell as read: the section, the word as written ("" when it is a section's name),
# and whether the word could be placed.
IndustryCell = namedtuple("IndustryCell", ["section", "text", "placed"])


class IndustryWidget(ChoiceLabelWidget):
    """The 行业 column: a section's name (制造业), or any word (物流, 纺织业, 火星贸易), which is
    kept as written and placed with ``place()``, under 其他 when it cannot be."""

    max_length = 50  # Company.industry_text

    def __init__(self, labels):
        super().__init__(labels)
        self.sections = {normalize(key): value for key, value in self.lookup.items()}

    def clean(self, value, row=None, **kwargs):
        text = str(cell_value(value))
        if not text:
            return None
        if normalize(text) in self.sections:
            return IndustryCell(self.sections[normalize(text)], "", True)
        if len(text) > self.max_length:
            raise ValueError(
                gettext("Write the industry in at most %(limit)s characters.")
                % {"limit": self.max_length}
            )
        section = place(text)
        return IndustryCell(section or Industry.OTHER, text, section is not None)

    def render(self, value, obj=None, **kwargs):
        """The section's name; a pair (section, word), as the check's preview holds a row,
        as the word and where it goes: 物流（交通运输、仓储和邮政业）."""
        if isinstance(value, tuple):
            section, text = value
            label = super().render(section)
            return f"{text}（{label}）" if text else label
        return super().render(value)


def not_placed(text) -> str:
    """The note on a row whose word cannot be placed."""
    return gettext(
        "“%(word)s” is not an industry the table knows: the company is counted under "
        "“%(other)s” and the word is kept as written. Choose its industry in the back office "
        "if you know it."
    ) % {"word": text, "other": "其他"}
