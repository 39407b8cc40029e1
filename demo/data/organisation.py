"""The leadership and supervisory seats, the working groups, and the chamber's honors."""

from dataclasses import dataclass

from .companies import PRESIDENT_COMPANY


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

# The current term's seats, in order within each title. All names but the president's are
# invented, and so are their companies: the article names no other seat holder.
SEATS = [
    # The president is the article's: 连国旺 of 虹泾投资, with the titles it gives him (his job
    # title at the company is not in the article).
    SeatSpec(
        "连国旺",
        PRESIDENT_COMPANY,
        "",
        P,
        "主持商会全面工作",
        P,
        "上海市青浦区政协委员、青浦区工商联副主席",
    ),
    SeatSpec("朱建平", "上海泾纶纺织科技有限公司", "董事长", EVP, "协助会长处理日常工作", EVP),
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
        "上海泾康医疗科技有限公司",
        "总经理",
        VP,
        "分管会员发展",
        EX,
        "青浦区政协委员",
    ),
    SeatSpec("陈立新", "上海泾城置业发展有限公司", "董事长", VP, "分管城镇更新", VP),
    SeatSpec("林志伟", "上海泾味食品有限公司", "副总经理", VP, "分管对外联络", VP),
    SeatSpec("黄卫国", "上海泾运物流有限公司", "总经理", VP, "分管物流行业服务", VP),
    SeatSpec("张晓东", "上海泾讯网络科技有限公司", "总经理", VP, "分管新媒体和《缘聚》", EX),
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
    SeatSpec("汪海燕", "上海泾鲜食品贸易有限公司", "总经理", EX),
    SeatSpec("刘俊", "上海泾软信息技术有限公司", "总经理", EX),
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

SHANGHAI_ACFIC = "上海市工商业联合会"
ACFIC = "中华全国工商业联合会"
HONORS = [
    (2015, None, "上海市工商联优秀基层商会", SHANGHAI_ACFIC),
    (2017, None, "上海市工商联基层组织十佳工作案例", SHANGHAI_ACFIC),
    (2017, None, "上海市工商联“四好”商会", SHANGHAI_ACFIC),
    (2018, 2019, "全国工商联“四好”商会", ACFIC),
]
FOUR_GOODS = "凭借班子建设好、团结教育好、服务发展好、自律规范好获评。"
