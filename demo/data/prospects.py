"""The membership development group's pipeline: the companies it is courting, one already in."""

from dataclasses import dataclass

from .companies import CONVERTED_COMPANY


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
        "由副会长单位泾运物流引荐，尚未联系。",
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
