"""The role-first navigation: each role's daily work first, the current page marked, and
nothing a role may not use."""

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from chamber.nav import main_nav
from chamber.roles import roles_for


def nav_for(user, path="/"):
    request = RequestFactory().get(path)
    request.user = user
    with translation.override("zh-hans"):
        nav = main_nav(request, roles_for(user))
        return {
            "tabs": [str(item.label) for item in nav["tabs"]],
            "rest": [str(item.label) for item in nav["rest"]],
            "more": [str(item.label) for item in nav["more"]],
            "current": str(nav["current"].label) if nav["current"] else None,
            "more_current": nav["more_current"],
        }


@pytest.mark.parametrize(
    "persona, tabs",
    [
        ("leader", ["首页", "我的走访", "诉求台账", "活动日历"]),
        ("member", ["首页", "活动日历", "提出诉求", "我的页面"]),
        ("president", ["首页", "走访达标", "诉求台账", "活动日历"]),
        ("secretary", ["首页", "走访达标", "诉求台账", "活动日历"]),
        ("supervisor", ["首页", "走访达标", "诉求台账", "活动日历"]),
        ("outsider", ["首页", "活动日历", "公益慈善"]),
    ],
)
def test_each_role_finds_its_daily_work_first(request, persona, tabs):
    assert nav_for(request.getfixturevalue(persona))["tabs"] == tabs


def test_a_member_is_offered_nothing_of_the_leadership(member):
    nav = nav_for(member)
    every = nav["tabs"] + nav["rest"] + nav["more"]
    for label in ["我的走访", "诉求台账", "走访达标", "工作看板", "登记走访"]:
        assert label not in every
    assert "季度分享会" in nav["more"]


def test_the_leader_can_log_a_visit_from_the_menu(leader):
    assert "登记走访" in nav_for(leader)["more"]


def test_the_current_page_is_the_longest_matching_address(leader):
    assert nav_for(leader, reverse("activities:visit_list"))["current"] == "我的走访"
    assert nav_for(leader, reverse("activities:visit_create"))["current"] == "登记走访"
    assert nav_for(leader, "/events/12/")["current"] == "活动日历"
    assert nav_for(leader, "/")["current"] == "首页"
    assert nav_for(leader, "/no-such-page/")["current"] is None


def test_a_page_under_more_marks_the_more_tab(president):
    nav = nav_for(president, reverse("reports:dashboard"))
    assert nav["current"] == "工作看板" and nav["more_current"]
    assert not nav_for(president, reverse("activities:problem_list"))["more_current"]


def test_the_phone_tab_bar_and_the_top_bar_are_both_on_the_page(client, leader):
    client.force_login(leader)
    html = client.get(reverse("activities:problem_list")).content.decode()
    assert 'class="tab-bar"' in html and 'class="site-nav"' in html
    assert html.count('aria-current="page"') == 2  # once in each bar
