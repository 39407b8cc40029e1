"""The back office reads as a Chinese secretary would write it: none of the stock phrases of
Django's, simple_history's or import-export's Chinese catalogs that read as a word-for-word
translation (chamber/admin_phrases.py and the admin templates replace them)."""

import re

import pytest
from django.urls import reverse

from members.models import Company
from notices.models import Notice

from ..factories import CompanyFactory, PersonFactory
from ..notices.factories import NoticeFactory

pytestmark = pytest.mark.django_db

# What a page must not say: the literal translations, and English a secretary would meet.
BAD = [
    "选择 ",  # "选择 会员企业 来修改"
    "来修改",
    " 以 ",  # "以 状态"
    "增加 ",  # "增加 会员企业"
    "修改 会员",
    "删除所选的",
    "动作",  # "Action:" → 批量操作
    "条结果",
    "选中了",
    "个中的",
    "过滤器",
    "变更历史",
    "在站点上查看",
    "添加另一个",
    "增加另一个",
    "取消选中",
    "---------",
    "你确定吗",
    "你确认想要删除",
    "是的，我确定",
    "不，返回",
    "受保护的相关对象",
    "相关的项目",
    "删除多个对象",
    "记录对象",
    "日期/时间",
    "从下面的列表中选择一个日期",
    "条目",
    "总共",
    "CHANGES",
    "None",
    'alt="Search"',
    "secretariat",  # a group's name in the code
    "supervisors",
    "此次将导入以下字段",  # and its columns joined by ", "
    "此次将导出以下字段",
    "工作人员状态",
    "超级用户状态",
]


def visible(html: str) -> str:
    """The page's text and the attributes a person reads (values of buttons, titles, alts),
    without scripts, styles and the hidden templates of empty inline rows."""
    html = re.sub(r"(?s)<(script|style)\b.*?</\1>", "", html)
    attributes = re.findall(r'(?:value|title|alt|placeholder|aria-label)="([^"]*)"', html)
    text = re.sub(r"<[^>]+>", " ", html)
    return " ".join([*text.split(), *attributes]) + " " + " ".join(re.findall(r'alt="[^"]*"', html))


def assert_reads_naturally(page: str, where: str):
    text = visible(page)
    found = [bad for bad in BAD if bad in text]
    assert not found, f"{where}: {found}"


@pytest.fixture
def records():
    company = CompanyFactory(name="上海示例贸易有限公司")
    PersonFactory(company=company, name="王示例")
    notice = NoticeFactory(title="关于年会的通知")
    return {"company": company, "notice": notice}


PAGES = [
    ("admin:index", None),
    ("admin:members_company_changelist", None),
    ("admin:members_person_changelist", None),
    ("admin:activities_visit_changelist", None),
    ("admin:activities_problem_changelist", None),
    ("admin:activities_event_changelist", None),
    ("admin:charity_donation_changelist", None),
    ("admin:notices_notice_changelist", None),
    ("admin:dues_bill_changelist", None),
    ("admin:chamber_user_changelist", None),
    ("admin:members_company_add", None),
    ("admin:members_company_change", "company"),
    ("admin:members_company_history", "company"),
    ("admin:members_company_delete", "company"),
    ("admin:notices_notice_change", "notice"),
    ("admin:notices_notice_delete", "notice"),
    ("admin:notices_notice_history", "notice"),
    ("admin:members_company_import", None),
    ("admin:members_company_export", None),
]


@pytest.mark.parametrize("name, key", PAGES, ids=[name for name, _ in PAGES])
def test_the_secretarys_pages_read_naturally(client, secretary, records, name, key):
    client.force_login(secretary)
    url = reverse(name, args=[records[key].pk] if key else [])
    response = client.get(url)
    assert response.status_code == 200, url
    assert_reads_naturally(response.content.decode(), url)


def test_a_changelist_counts_and_offers_its_actions_in_chinese(client, secretary, records):
    client.force_login(secretary)
    page = client.get(reverse("admin:members_company_changelist")).content.decode()
    assert "批量操作：" in page
    assert "请选择操作…" in page
    assert "删除所选会员企业" in page
    assert "已选 0 条，共 1 条" in page
    assert "共 1 条" in page
    page = client.get(reverse("admin:members_company_changelist") + "?q=示例").content.decode()
    assert "找到 1 条（<a" in page and "共 1 条</a>）" in page or "显示全部</a>）" in page


def test_deleting_asks_plainly_and_names_what_goes_with_it(client, secretary, records):
    client.force_login(secretary)
    notice = records["notice"]
    page = client.get(reverse("admin:notices_notice_delete", args=[notice.pk])).content.decode()
    assert f"确定要删除通知“{notice.title}”吗？下列相关记录也将一并删除：" in page
    # The rows that only link two records (a many-to-many table) are no record to name.
    assert "关系" not in page and " object (" not in page
    assert 'value="确定删除"' in page and "取消，返回" in page


def test_deleting_several_asks_plainly(client, secretary, records):
    other = NoticeFactory(title="关于会费的通知")
    client.force_login(secretary)
    response = client.post(
        reverse("admin:notices_notice_changelist"),
        {"action": "delete_selected", "_selected_action": [records["notice"].pk, other.pk]},
    )
    page = response.content.decode()
    assert "确定要删除所选通知公告吗？下列记录及其相关记录将一并删除：" in page
    assert_reads_naturally(page, "delete_selected")
    response = client.post(
        reverse("admin:notices_notice_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [records["notice"].pk, other.pk],
            "post": "yes",
        },
        follow=True,
    )
    assert "已删除 2 条通知公告。" in response.content.decode()
    assert not Notice.objects.exists()


def test_a_company_with_records_cannot_be_deleted_and_says_why(client, secretary):
    from tests.activities.visits.factories import VisitFactory

    visit = VisitFactory()
    company = visit.company
    client.force_login(secretary)
    page = client.get(reverse("admin:members_company_delete", args=[company.pk])).content.decode()
    assert f"会员企业“{company.name}”还有下列相关记录，须先处理这些记录才能删除：" in page
    assert_reads_naturally(page, "protected delete")
    assert Company.objects.filter(pk=company.pk).exists()


def test_the_history_reads_in_chinese(client, secretary, records):
    client.force_login(secretary)
    company = records["company"]
    page = client.get(reverse("admin:members_company_history", args=[company.pk]))
    html = page.content.decode()
    assert f"修改记录：{company.name}" in html
    for heading in ["版本", "时间", "操作", "修改人", "修改原因", "改动内容"]:
        assert f'<th scope="col">{heading}</th>' in html
    assert "共 1 条" in html


def test_an_action_without_a_selection_says_so_in_chinese(client, secretary, records):
    client.force_login(secretary)
    notice = records["notice"]
    response = client.post(
        reverse("admin:notices_notice_changelist"),
        {"action": "delete_selected", "index": "0"},
        follow=True,
    )
    assert "请先勾选要操作的记录；没有任何记录被改动。" in response.content.decode()
    assert Notice.objects.filter(pk=notice.pk).exists()


def test_accounts_are_filtered_by_the_groups_chinese_names(client, secretary, supervisor):
    client.force_login(secretary)
    url = reverse("admin:chamber_user_changelist")
    page = client.get(url).content.decode()
    assert "秘书处" in page and "监事会" in page
    group = supervisor.groups.get()
    page = client.get(url, {"group": group.pk}).content.decode()
    assert "supervisor" in page and ">secretary<" not in page


def test_the_import_page_lists_the_columns_in_order(client, secretary):
    from members.resources import CompanyResource

    client.force_login(secretary)
    page = client.get(reverse("admin:members_company_import")).content.decode()
    assert "工作表应依次包含以下各列：" in page
    columns = "".join(f"<li>{column}</li>" for column in CompanyResource.columns)
    assert f'<ol class="sheet-columns">{columns}</ol>' in page
