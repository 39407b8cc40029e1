"""Demo notices, the journal 《缘聚》, two enterprise spotlights and a draft rule out for comment.

Drawn from the article: the chamber runs a WeChat account and its journal 《缘聚》, publicising
policies and exemplary member companies (the president's 虹泾投资 moving out within two months
when the government needed its land; 灿辉国际 taking part in the old town's 城中村 renewal): those
two spotlights say what the article says and no more; the journal's issues feature invented
companies.
The notices are what a town chamber's secretariat sends in a late-autumn month: the quarterly
meeting, a call to serve the 进博会 held in Xujing, an explainer on residence-permit points.

Dates are counted from the day the demo is loaded; rows are found by their natural keys
(title, issue number, label, person), so a second run creates nothing. Covers are drawn with
Pillow and written only when an issue has none.
"""

import datetime
import io

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

from activities.models import Event
from chamber.models import Document, DocumentComment, DocumentVersion, WorkingGroup
from core.time import SHANGHAI
from demo import data
from notices.html import clean_html
from notices.models import JournalIssue, Notice, NoticeAttachment, NoticeRead, Spotlight
from notices.share import font

Audience = Notice.Audience

FEE_RULES = "上海市青浦区徐泾镇商会会费管理办法"


def at(day: datetime.date, hour: int = 9, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=SHANGHAI)


def quarter_of(day: datetime.date) -> int:
    return (day.month - 1) // 3 + 1


def quarterly_meeting(today: datetime.date):
    """This quarter's sharing meeting from the demo calendar, if it is still to come."""
    return (
        Event.objects.filter(
            kind=Event.Kind.SHARING, is_cancelled=False, starts_at__gte=at(today, 0)
        )
        .order_by("starts_at")
        .first()
    )


def short_name(name: str) -> str:
    """上海泾华建设工程有限公司 → 泾华建设工程, as people say it."""
    for suffix in ("股份有限公司", "有限公司"):
        name = name.removesuffix(suffix)
    return name.removeprefix("上海")


def notices(today: datetime.date, meeting=None) -> list[dict]:
    """The notices, newest first; ``days`` is how long ago each was published."""
    year, quarter = today.year, quarter_of(today)
    if meeting is not None:
        start = meeting.starts_at.astimezone(SHANGHAI)
        when = f"{start.month}月{start.day}日{'上午' if start.hour < 12 else '下午'}{start:%H:%M}"
        venue = meeting.venue or "徐泾镇商会会议室"
        sign_up = f'<a href="{meeting.get_absolute_url()}">活动日历</a>'
        speakers = "、".join(short_name(talk.company.name) for talk in meeting.talks.all())
        year, quarter = start.year, quarter_of(start.date())
        meeting_in = (start.date() - today).days
    else:
        day = today + datetime.timedelta(days=20)
        when, venue, sign_up = f"{day.month}月{day.day}日下午14:00", "徐泾镇商会会议室", "活动日历"
        meeting_in = 20
        speakers = "泾华建设、泾软信息"
    ciie = year - 2017  # the first 进博会 was in 2018
    month = today.month
    return [
        {
            "title": f"关于召开{year}年第{'一二三四'[quarter - 1]}季度例会暨经验分享会的通知",
            "audience": Audience.MEMBERS,
            "pinned": True,
            "days": 3,
            "expires_in": meeting_in + 1,
            "body": (
                "<p>各会员企业：</p>"
                f"<p>经商会研究决定，定于<strong>{when}</strong>在{venue}召开本季度例会暨"
                "经验分享会。现将有关事项通知如下：</p>"
                "<h3>一、会议内容</h3>"
                "<ol><li>通报本季度商会工作和班子成员走访会员企业情况；</li>"
                f"<li>会员企业家经验分享（{speakers or '待定'}）；</li>"
                "<li>镇经发办解读近期惠企政策。</li></ol>"
                "<h3>二、参会人员</h3>"
                "<p>各会员企业主要负责人，每家企业限一人。</p>"
                "<h3>三、其他事项</h3>"
                f"<p>请于会前三天将参会回执发送至秘书处，或直接在工作台{sign_up}中报名。</p>"
                "<p>徐泾镇商会秘书处</p>"
            ),
            "attachment": ("参会回执.pdf", "receipt"),
        },
        {
            "title": f"关于做好第{_chinese_number(ciie)}届中国国际进口博览会服务保障工作的倡议书",
            "audience": Audience.MEMBERS,
            "pinned": False,
            "days": 26,
            "expires_in": None,
            "body": (
                "<p>各会员企业、广大企业家：</p>"
                "<p>进博会在我镇国家会展中心（上海）举办，服务保障进博会是徐泾人义不容辞的"
                "责任。商会倡议：</p>"
                "<ul><li>主动配合交通管控和安全检查，合理安排物流和员工出行；</li>"
                "<li>积极报名“小叶子”志愿服务，展现徐泾企业家风采；</li>"
                "<li>做好门前环境整治，共同营造整洁有序的城市环境；</li>"
                "<li>用好进博会溢出效应，对接采购商和展商资源。</li></ul>"
                "<blockquote>越是开放，越要服务好；越是服务好，越能赢得机遇。</blockquote>"
                "<p>徐泾镇商会</p>"
            ),
        },
        {
            "title": f"上海市居住证积分政策解读（{year}年版）",
            "audience": Audience.MEMBERS,
            "pinned": False,
            "days": 11,
            "expires_in": None,
            "body": (
                "<p>为帮助会员企业做好人才引进和员工服务，秘书处整理了居住证积分的主要政策，"
                "供企业人事部门参考。</p>"
                "<h3>主要积分指标</h3>"
                "<table><thead><tr><th>指标</th><th>积分</th></tr></thead><tbody>"
                "<tr><td>年龄（56周岁以下）</td><td>最高30分</td></tr>"
                "<tr><td>教育背景（本科及以上）</td><td>60–110分</td></tr>"
                "<tr><td>专业技术职称、技能等级</td><td>15–140分</td></tr>"
                "<tr><td>在沪缴纳职工社会保险</td><td>每满1年积3分</td></tr>"
                "</tbody></table>"
                "<p>标准分值为120分。具体以上海市人力资源和社会保障局公布的办法为准，"
                "可咨询镇社区事务受理服务中心。</p>"
            ),
        },
        {
            "title": f"关于做好{month}月份班子成员走访会员企业工作的提示",
            "audience": Audience.LEADERSHIP,
            "pinned": False,
            "days": 1,
            "expires_in": 30,
            "body": (
                "各位班子成员：\n\n"
                "按照联系走访制度，每位班子成员每月至少走访两家联系企业。请在月底前完成本月走访，"
                "并在工作台“我的走访”中记录走访情况和企业反映的问题。\n\n"
                "走访中了解到的融资、用工、审批等问题，请及时转秘书处跟进。"
            ),
        },
        {
            "title": "会员发展工作小组：新落户企业走访名单",
            "audience": Audience.GROUP,
            "group": "membership",
            "pinned": False,
            "days": 6,
            "expires_in": None,
            "body": (
                "各位小组成员：\n\n"
                "四大招商公司本季度新引进企业的名单已整理完毕，请各位按分工上门介绍商会服务，"
                "做好入会引荐，走访情况请在小组例会上通报。"
            ),
        },
        {
            "title": f"关于征求《{FEE_RULES}（修订稿）》意见的通知",
            "audience": Audience.MEMBERS,
            "pinned": False,
            "days": 5,
            "expires_in": 11,
            "body": (
                "<p>各会员企业：</p>"
                "<p>为规范会费收缴和使用管理，秘书处起草了会费管理办法修订稿，现向全体会员征求"
                "意见。请登录工作台，在“商会制度”中打开修订稿，在征求意见期内提出意见和建议。</p>"
            ),
        },
        {
            "title": f"关于缴纳{year}年度会费的通知",
            "audience": Audience.MEMBERS,
            "pinned": False,
            "days": 150,
            "expires_in": -90,
            "body": "各会员企业：\n\n请于本年度6月30日前按会员类别缴纳年度会费。",
        },
        {
            "title": f"关于评选{year}年度优秀会员企业的通知",
            "audience": Audience.MEMBERS,
            "pinned": False,
            "days": None,  # a draft
            "expires_in": None,
            "body": "（草稿）评选条件和推荐程序待班子会议讨论后发布。",
        },
    ]


def _chinese_number(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")


def small_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with a few lines of Chinese, drawn with Pillow (no PDF library)."""
    page = Image.new("RGB", (1240, 1754), "white")
    draw = ImageDraw.Draw(page)
    y = 160
    for index, line in enumerate(lines):
        size = 56 if index == 0 else 36
        draw.text((140, y), line, font=font(size, bold=index == 0), fill=(20, 20, 20))
        y += size * 2
    out = io.BytesIO()
    page.save(out, format="PDF", resolution=150)
    return out.getvalue()


def cover_png(number: int, title: str, published_on: datetime.date) -> bytes:
    """A journal cover: the red of the chamber, 《缘聚》 in large type, the issue and theme."""
    width, height = 840, 1188
    cover = Image.new("RGB", (width, height), (166, 29, 23))
    draw = ImageDraw.Draw(cover)
    draw.rectangle([0, height - 360, width, height], fill=(251, 242, 241))
    draw.rectangle([0, height - 372, width, height - 360], fill=(243, 217, 160))
    draw.text((80, 120), "缘聚", font=font(220, bold=True), fill=(243, 217, 160))
    draw.text((88, 400), "徐泾镇商会会刊", font=font(44), fill=(255, 255, 255))
    draw.text(
        (88, 470),
        f"{published_on.year}年 · 总第{number}期",
        font=font(36),
        fill=(255, 255, 255),
    )
    theme = title.split("·", 1)[-1].strip()
    theme_font = font(52, bold=True)
    y = height - 300
    line = ""
    for ch in theme:
        if theme_font.getlength(line + ch) > width - 160:
            draw.text((80, y), line, font=theme_font, fill=(31, 35, 41))
            y += 72
            line = ""
        line += ch
    draw.text((80, y), line, font=theme_font, fill=(31, 35, 41))
    out = io.BytesIO()
    cover.save(out, format="PNG", optimize=True)
    return out.getvalue()


def journal_issues(today: datetime.date) -> list[dict]:
    """Six quarterly issues, the newest in the month before last."""
    themes = [
        # The issues are invented, and so are the companies they feature.
        ("商会“四好”建设专刊", ["上海泾华建设工程有限公司", "上海泾纶纺织科技有限公司"]),
        ("缘聚徐练 商续慈善", ["上海崧源供应链管理有限公司", "上海泾运物流有限公司"]),
        ("缘聚徐泾 · 政治筑魂：红色课堂进企业", ["上海泾软信息技术有限公司"]),
        ("服务进博 徐泾企业在行动", ["上海泾誉会展服务有限公司", "上海泾讯网络科技有限公司"]),
        ("城镇更新中的商会力量", ["上海泾城置业发展有限公司", "上海瑞泾置业有限公司"]),
        ("年轻一代企业家成长记", ["上海泾味食品有限公司", "上海泾康医疗科技有限公司"]),
    ]
    first = today.replace(day=1) - datetime.timedelta(days=1)  # last month
    first = first.replace(day=1) - datetime.timedelta(days=1)  # the month before
    issues = []
    number = 41
    day = first.replace(day=15)
    for theme, companies in reversed(themes):
        quarter_no = quarter_of(day)
        issues.append(
            {
                "number": number,
                "title": f"{day.year}年第{quarter_no}期 · {theme}",
                "published_on": day,
                "companies": companies,
                "summary": f"本期聚焦“{theme}”，刊登会员企业先进典型、商会工作动态和惠企政策汇编。",
            }
        )
        number -= 1
        month_index = day.year * 12 + day.month - 1 - 3
        day = datetime.date(month_index // 12, month_index % 12 + 1, 15)
    return issues


# The two spotlights tell what the article tells of two member companies, in its words and
# nothing more; they appeared in no issue the article names.
SOURCE = "<p>（摘自通讯报道《全国“四好商会”上海青浦区徐泾镇商会工作巡礼》）</p>"
SPOTLIGHTS = [
    {
        "company": data.PRESIDENT_COMPANY,
        "title": "两个月内搬离腾地：虹泾投资支持政府动迁",
        "summary": (
            "商会会长率先垂范，其所在的虹泾投资遇到政府动迁，在短短两个月内就克服自身困难，"
            "实现企业搬离腾地。"
        ),
        "issue_theme": None,
        "story": (
            "<p>会员企业中有为“亿元村”做贡献的平台型企业虹泾投资。</p>"
            "<p>商会会长率先垂范，其所在的虹泾投资遇到政府动迁，<strong>在短短两个月内</strong>"
            "就克服自身困难，实现企业搬离腾地。</p>" + SOURCE
        ),
    },
    {
        "company": "灿辉国际",
        "title": "参与老集镇“城中村”改造，灿辉国际推动城镇更新",
        "summary": "副会长企业灿辉国际参与老集镇“城中村”改造，积极推动城镇更新。",
        "issue_theme": None,
        "story": ("<p>副会长企业灿辉国际参与老集镇“城中村”改造，积极推动城镇更新。</p>" + SOURCE),
    },
]

FEE_RULES_DRAFT = "\n\n".join(
    [
        "第一条　为规范本会会费的收缴、使用和管理，根据本会章程，制定本办法。",
        "第二条　会员按会员类别缴纳年度会费：会长单位、副会长单位、执委单位和会员单位的"
        "会费标准由会员大会确定。",
        "第三条　会费每年6月30日前缴纳，由秘书处开具社会团体会费票据。",
        "第四条　会费用于商会开展活动、会员服务和日常运转，专款专用，不得用于与商会宗旨"
        "无关的支出。",
        "第五条　会费收支情况每年向会员大会报告，接受监事会监督。",
        "第六条　本办法自会员大会通过之日起施行。",
    ]
)

COMMENTS = [
    ("王振华", "建议第三条增加分期缴纳的安排，方便新入会的小微企业。"),
    (None, "第五条能否同时在工作台公布会费收支情况？这样会员看得更清楚。"),
]


def seed_notices(seed):
    """Notices with read receipts, 《缘聚》 issues and spotlights, and a rule out for comment."""
    today = seed.today
    secretary = seed.users.get("secretary")
    groups = {group.kind: group for group in WorkingGroup.objects.all()}
    member_person = seed.users["member"].person if "member" in seed.users else None

    by_title = {}
    for spec in notices(today, quarterly_meeting(today)):
        publish_at = at(today - datetime.timedelta(days=spec["days"])) if spec["days"] else None
        expires_at = (
            at(today + datetime.timedelta(days=spec["expires_in"]), 18)
            if spec["expires_in"] is not None
            else None
        )
        notice = seed.upsert(
            Notice,
            {"title": spec["title"]},
            {
                "body": clean_html(spec["body"]),
                "audience": spec["audience"],
                "group": groups.get(spec.get("group")) if spec.get("group") else None,
                "is_pinned": spec["pinned"],
                "publish_at": publish_at,
                "expires_at": expires_at,
                "created_by": secretary,
            },
        )
        by_title[spec["title"]] = notice
        if spec.get("attachment"):
            name, _ = spec["attachment"]
            attachment = NoticeAttachment.objects.filter(notice=notice, name=name).first()
            if attachment is None:
                attachment = NoticeAttachment(notice=notice, name=name)
                attachment.file.save(
                    "receipt.pdf",
                    ContentFile(
                        small_pdf(
                            [
                                "参会回执",
                                "企业名称：",
                                "参会人员：",
                                "职务：",
                                "手机：",
                                "请于会前三天交商会秘书处。",
                            ]
                        )
                    ),
                    save=True,
                )
                seed.count(NoticeAttachment, "created")
            else:
                seed.count(NoticeAttachment, "unchanged")

    # Read receipts: the president and the leader read the meeting notice; the member login has
    # read the points explainer and the 进博会 call, but not the meeting notice.
    titles = list(by_title)
    meeting, ciie, points = titles[0], titles[1], titles[2]
    readers = [
        ("president", meeting, 2),
        ("leader", meeting, 1),
        ("supervisor", ciie, 20),
        ("president", ciie, 25),
        ("member", points, 10),
        ("member", ciie, 24),
        ("leader", titles[3], 0),
    ]
    for username, title, days_ago in readers:
        user = seed.users.get(username)
        if user is None or user.person is None:
            continue
        seed.upsert(
            NoticeRead,
            {"notice": by_title[title], "person": user.person},
            {"read_at": at(today - datetime.timedelta(days=days_ago), 10, 30)},
        )

    # The journal, with covers drawn here and the newest issue as a PDF.
    issues_by_theme = {}
    for spec in journal_issues(today):
        issue = seed.upsert(
            JournalIssue,
            {"number": spec["number"]},
            {
                "title": spec["title"],
                "published_on": spec["published_on"],
                "summary": spec["summary"],
                "is_published": True,
            },
        )
        if not issue.cover:
            png = cover_png(issue.number, issue.title, issue.published_on)
            issue.cover.save(f"yuanju-{issue.number}.png", ContentFile(png), save=True)
        if spec["number"] == 41 and not issue.pdf:
            pdf = small_pdf(
                [f"《缘聚》总第{issue.number}期", issue.title, "徐泾镇商会 编印", "（演示文件）"]
            )
            issue.pdf.save(f"yuanju-{issue.number}.pdf", ContentFile(pdf), save=True)
        companies = [seed.companies[name] for name in spec["companies"] if name in seed.companies]
        if set(issue.featured_companies.values_list("pk", flat=True)) != {c.pk for c in companies}:
            issue.featured_companies.set(companies)
        issues_by_theme[spec["title"].split("·", 1)[-1].strip()] = issue

    for spec in SPOTLIGHTS:
        company = seed.companies.get(spec["company"])
        if company is None:
            continue
        issue = issues_by_theme.get(spec["issue_theme"])
        seed.upsert(
            Spotlight,
            {"company": company, "title": spec["title"]},
            {
                "summary": spec["summary"],
                "story": clean_html(spec["story"]),
                "published_on": issue.published_on if issue else today,
                "journal_issue": issue,
                "is_published": True,
                # Told as the article tells it: the secretariat shares these publicly.
                "public_share": True,
            },
        )

    seed_rule_consultation(seed, member_person)


def seed_rule_consultation(seed, member_person):
    """The fee rules, new and out for comment with two comments; and the charter's versions."""
    today = seed.today
    document = seed.upsert(
        Document,
        {"title": FEE_RULES},
        {"kind": Document.Kind.FINANCE, "order": 10},
    )
    draft = seed.upsert(
        DocumentVersion,
        {"document": document, "label": "征求意见稿"},
        {
            "body": FEE_RULES_DRAFT,
            "change_note": (
                "新制定。明确会费标准由会员大会确定、缴纳时间和使用范围，收支接受监事会监督。"
            ),
            "comment_starts_on": today - datetime.timedelta(days=5),
            "comment_ends_on": today + datetime.timedelta(days=10),
        },
    )
    for name, body in COMMENTS:
        person = seed.people.get(name) if name else member_person
        if person is None:
            continue
        seed.upsert(
            DocumentComment,
            {"version": draft, "person": person},
            {"body": body, "author": getattr(person, "user", None)},
        )

    charter = Document.objects.filter(kind=Document.Kind.CHARTER, is_published=True).first()
    if charter is not None:
        for label, published, effective, note in [
            (
                "2019年版",
                datetime.date(2019, 1, 10),
                datetime.date(2019, 1, 1),
                "第七届会员大会通过。",
            ),
            (
                "2024年修订版",
                datetime.date(2023, 12, 28),
                charter.effective_on or datetime.date(2024, 1, 1),
                "第八届会员大会修订：增加党建工作和“四好”商会建设的条款，调整理事会为执行委员会。",
            ),
        ]:
            seed.upsert(
                DocumentVersion,
                {"document": charter, "label": label},
                {
                    "body": charter.body,
                    "change_note": note,
                    "published_at": at(published, 10),
                    "effective_on": effective,
                },
            )
