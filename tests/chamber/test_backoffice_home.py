"""The back office's home grouped by the secretary's tasks, and its phrasing in Chinese."""

import re

import pytest
from django.urls import reverse

from chamber.backoffice import task_groups

pytestmark = pytest.mark.django_db


def group_names(page: str) -> list[str]:
    return re.findall(r'<h2 id="task-[a-z]+">([^<]+)</h2>', page)


def test_the_secretary_sees_the_tasks_with_their_shortcuts(client, secretary):
    client.force_login(secretary)
    page = client.get(reverse("admin:index")).content.decode()
    first = ["会员与人员", "走访与诉求", "活动与会议", "通知与文件", "公益慈善"]
    assert group_names(page)[:5] == first
    assert "系统与账号" in group_names(page)
    for shortcut, url in [
        ("导入会员名册", reverse("admin:members_company_import")),
        ("写通知", reverse("admin:notices_notice_add")),
        ("导入捐赠", reverse("admin:charity_donation_import")),
    ]:
        assert f'<a class="button" href="{url}">{shortcut}</a>' in page
    assert "上海" in page or "商会" in page  # the chamber's name in the header
    assert "秘书处后台" in page


def test_every_table_the_secretary_may_see_is_reachable_from_the_home(client, secretary):
    client.force_login(secretary)
    response = client.get(reverse("admin:index"))
    page = response.content.decode()
    for app in response.context["app_list"]:
        for model in app["models"]:
            assert f'href="{model["admin_url"]}"' in page, model["name"]


def test_a_table_no_task_names_goes_under_other(rf, secretary):
    """A table another app registers later still shows, under 其他."""
    from chamber.roles import roles_for

    request = rf.get("/admin/")
    request.user, request.roles = secretary, roles_for(secretary)
    stranger = {"object_name": "Invoice", "name": "发票", "admin_url": "/admin/dues/invoice/"}
    groups = task_groups(request, [{"app_label": "dues", "models": [stranger]}])
    assert groups[-1]["key"] == "other" and groups[-1]["models"] == [stranger]


def test_a_supervisor_sees_the_tables_read_only_and_no_import_or_add(client, supervisor):
    client.force_login(supervisor)
    page = client.get(reverse("admin:index")).content.decode()
    assert "会员与人员" in group_names(page)
    assert "导入会员名册" not in page and "写通知" not in page and "新增" not in page
    assert "只读" in page


def test_a_member_cannot_open_the_back_office(client, member):
    client.force_login(member)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_lists_and_forms_read_naturally_in_chinese(client, secretary):
    client.force_login(secretary)
    page = client.get(reverse("admin:members_company_changelist")).content.decode()
    assert "<h1>会员企业</h1>" in page
    assert "选择 会员企业 来修改" not in page
    assert "新增会员企业" in page and "增加 会员企业" not in page
    assert "<summary>状态</summary>" in page and " 以 " not in page
    page = client.get(reverse("admin:members_company_add")).content.decode()
    assert "<h1>新增会员企业</h1>" in page
    assert "保存并继续新增" in page and "保存并增加另一个" not in page
