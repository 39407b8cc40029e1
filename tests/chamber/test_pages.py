"""The pages people see: layout and navigation by role, home, leadership, rules, login."""

import datetime
import re

import pytest
from django.template.loader import get_template
from django.urls import reverse
from django.utils import translation

from chamber.models import GroupMembership, Position, WorkingGroup
from members.models import Company

from ..factories import (
    PASSWORD,
    CompanyFactory,
    DocumentFactory,
    GroupMembershipFactory,
    HonorFactory,
    PersonFactory,
    PositionFactory,
)

HOME = reverse("chamber:home")


def label(choice) -> str:
    """A choice's label as the page shows it (the default language, zh-hans)."""
    with translation.override("zh-hans"):
        return str(choice.label)


def page(client, user, url=HOME):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


# ---------- Layout and navigation ----------


def test_header_names_the_chamber_and_the_person(client, settings, leader):
    html = page(client, leader)
    assert settings.CHAMBER_NAME in html
    assert "副会长甲" in html
    assert f'href="{reverse("account_change_password")}"' in html


def test_logout_and_language_switch_are_post_forms(client, member):
    html = page(client, member)
    assert (
        f'id="logout-form" class="header-form" action="{reverse("account_logout")}" method="post"'
        in html
    )
    assert (
        f'id="language-form" class="header-form" action="{reverse("set_language")}" method="post"'
        in html
    )
    assert 'form="logout-form"' in html
    assert 'form="language-form" name="language" value="en"' in html


def test_switching_to_english_shows_english(client, member):
    client.force_login(member)
    response = client.post(reverse("set_language"), {"language": "en", "next": HOME}, follow=True)
    assert '<html lang="en">' in response.content.decode()
    assert 'form="language-form" name="language" value="zh-hans"' in response.content.decode()


def test_logging_out_is_a_post(client, member):
    client.force_login(member)
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("persona", ["secretary", "supervisor"])
def test_staff_see_the_back_office_in_the_navigation(client, request, persona):
    html = page(client, request.getfixturevalue(persona))
    assert 'href="/admin/"' in html
    assert 'href="/companies/"' in html


@pytest.mark.parametrize("persona", ["president", "leader", "member"])
def test_others_do_not_see_the_back_office(client, request, persona):
    html = page(client, request.getfixturevalue(persona))
    assert 'href="/admin/"' not in html
    assert 'href="/companies/"' in html
    assert 'href="/leadership/"' in html
    assert 'href="/rules/"' in html


def test_outsider_sees_no_directory_in_the_navigation(client, outsider):
    html = page(client, outsider)
    assert 'href="/companies/"' not in html
    assert 'href="/admin/"' not in html
    assert 'href="/leadership/"' in html
    assert 'href="/rules/"' in html


def test_current_section_is_marked_in_the_navigation(client, member):
    html = page(client, member, reverse("chamber:rules"))
    assert 'href="/rules/" aria-current="page"' in html
    assert 'href="/" aria-current="page"' not in html


def test_pages_use_no_inline_scripts_or_styles(client, secretary):
    html = page(client, secretary)
    assert "<script>" not in html
    assert "style=" not in html


# ---------- Home ----------


def test_secretary_sees_the_company_counts(client, secretary):
    CompanyFactory.create_batch(3)
    CompanyFactory(name="暂停的企业", status=Company.Status.SUSPENDED)
    html = page(client, secretary)
    overview = html[html.index('id="overview-heading"') :]
    overview = overview[: overview.index("</section>")]
    # Active, suspended, left; then the leadership seats (the secretary-general is not one).
    assert re.findall(r"<dd>(\d+)</dd>", overview) == ["3", "1", "0", "0"]
    assert label(Company.Status.SUSPENDED) in overview


@pytest.mark.parametrize("persona", ["president", "supervisor"])
def test_president_and_supervisors_see_the_overview(client, request, persona):
    assert 'id="overview-heading"' in page(client, request.getfixturevalue(persona))


@pytest.mark.parametrize("persona", ["leader", "member", "outsider"])
def test_others_do_not_see_the_overview(client, request, persona):
    assert 'id="overview-heading"' not in page(client, request.getfixturevalue(persona))


def test_leader_sees_their_seat_and_the_directory(client, leader):
    html = page(client, leader)
    assert 'id="seats-heading"' in html
    assert label(Position.Title.VICE_PRESIDENT) in html
    assert 'class="button" href="/companies/"' in html


def test_member_sees_their_company(client, member):
    company = member.person.company
    html = page(client, member)
    assert 'id="my-company-heading"' in html
    assert company.name in html
    assert f'href="{company.get_absolute_url()}"' in html
    assert 'id="outsider-heading"' not in html


def test_outsider_is_told_to_contact_the_secretariat(client, outsider):
    html = page(client, outsider)
    assert 'id="outsider-heading"' in html
    assert 'id="my-company-heading"' not in html
    assert outsider.person.company.name not in html


def test_everyone_sees_the_honors_and_published_rules(client, outsider):
    HonorFactory(title="全国“四好”商会", year=2017)
    DocumentFactory(title="商会章程", is_published=True)
    DocumentFactory(title="起草中的制度", is_published=False)
    html = page(client, outsider)
    assert "全国“四好”商会" in html
    assert "商会章程" in html
    assert "起草中的制度" not in html


@pytest.mark.parametrize("persona", ["member", "leader"])
def test_a_member_and_a_leader_see_the_chambers_honors_and_their_own_companys(
    client, request, persona, django_assert_max_num_queries
):
    user = request.getfixturevalue(persona)
    company = user.person.company
    HonorFactory(title="全国“四好”商会", year=2017)
    HonorFactory(title="区级文明单位", year=2024, company=company)
    HonorFactory(title="别家企业的荣誉", year=2024, company=CompanyFactory())
    client.force_login(user)
    client.get("/")
    with django_assert_max_num_queries(15):
        html = client.get("/").content.decode()
    assert "全国“四好”商会" in html
    mine = html.split('id="my-company-heading"')[1].split("</section>")[0]
    assert "区级文明单位" in mine
    assert "别家企业的荣誉" not in html

    # The honours and rules are kept in the shared cache: a new one shows at once.
    HonorFactory(title="青浦区优秀企业", year=2025, company=company)
    HonorFactory(title="上海市先进商会", year=2025)
    html = client.get("/").content.decode()
    assert "青浦区优秀企业" in html.split('id="my-company-heading"')[1].split("</section>")[0]
    assert "上海市先进商会" in html


# ---------- Leadership ----------


@pytest.fixture
def leadership(term, president, leader, other_leader):
    """A second vice-president, a supervisor seat and two working groups for the term."""
    vice = PositionFactory(
        person=PersonFactory(name="副会长乙", company=CompanyFactory(name="微格科技")),
        term=term,
        title=Position.Title.VICE_PRESIDENT,
        portfolio="分管会员发展",
    )
    steering = WorkingGroup.objects.create(
        name="商会工作领导小组", kind=WorkingGroup.Kind.LEADERSHIP, order=1
    )
    development = WorkingGroup.objects.create(
        name="会员发展工作小组", kind=WorkingGroup.Kind.MEMBERSHIP, order=2
    )
    GroupMembershipFactory(group=steering, term=term, person=leader.person)
    GroupMembershipFactory(
        group=steering, term=term, person=president.person, role=GroupMembership.Role.LEAD
    )
    GroupMembershipFactory(
        group=development, term=term, person=vice.person, role=GroupMembership.Role.LEAD
    )
    return vice


def test_leadership_lists_the_president_above_the_vice_presidents(
    client, member, leadership, supervisor
):
    html = page(client, member, reverse("chamber:leadership"))
    assert html.index("会长甲") < html.index("副会长甲") < html.index("执委乙")
    assert html.index("会长甲") < html.index("副会长乙")
    assert html.index("执委乙") < html.index("监事甲")
    assert "微格科技" in html
    assert "分管会员发展" in html


def test_leadership_lists_the_working_groups_with_their_members(client, member, leadership):
    html = page(client, member, reverse("chamber:leadership"))
    groups = html[html.index("商会工作领导小组") :]
    assert groups.index("商会工作领导小组") < groups.index("会员发展工作小组")
    steering = groups[: groups.index("会员发展工作小组")]
    # The group's lead comes first, then its members.
    assert steering.index("会长甲") < steering.index("副会长甲")
    assert label(GroupMembership.Role.LEAD) in steering
    assert "副会长乙" in groups[groups.index("会员发展工作小组") :]


def test_leadership_page_query_count_is_fixed(client, member, leadership, term):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(member)
    url = reverse("chamber:leadership")

    def measure(people):
        client.get(url)  # anything cached on the first visit, at both sizes
        with CaptureQueriesContext(connection) as context:
            response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert all(person.name in html for person in people)
        return len(context.captured_queries)

    def more(count, start):
        added = []
        for n in range(start, start + count):
            added.append(PositionFactory(term=term, title=Position.Title.EXECUTIVE, order=n).person)
            membership = GroupMembershipFactory(group=WorkingGroup.objects.first(), term=term)
            added.append(membership.person)
        return added

    people = more(2, 0)
    few = measure(people)
    people += more(10, 2)
    assert measure(people) == few <= 10


def test_a_long_tier_shows_its_first_seats_and_links_to_all_of_them(
    client, member, leadership, term, monkeypatch
):
    from chamber.views import LeadershipView

    monkeypatch.setattr(LeadershipView, "seats_per_tier", 3)
    monkeypatch.setattr(LeadershipView, "seats_per_page", 4)
    for n in range(6):
        PositionFactory(term=term, title=Position.Title.EXECUTIVE, order=10 + n)
    executives = Position.objects.filter(term=term, title=Position.Title.EXECUTIVE).count()
    client.force_login(member)
    html = client.get(reverse("chamber:leadership")).content.decode()
    assert f"全部 {executives} 人" in html and "?title=executive" in html
    chart = html[html.index("org-tier-executive") :]
    assert chart[: chart.index("</ul>")].count('class="org-seat"') == 3
    tier = client.get(reverse("chamber:leadership"), {"title": "executive"})
    assert len(tier.context["seats_by_title"]) == 1
    assert len(tier.context["seats_by_title"][0][1]) == 4
    assert tier.context["page_obj"].paginator.count == executives
    last = client.get(reverse("chamber:leadership"), {"title": "executive", "page": 2})
    assert len(last.context["seats_by_title"][0][1]) == executives - 4


def test_the_cached_leadership_shows_a_renamed_company_group_or_person_at_once(
    client, member, leadership
):
    url = reverse("chamber:leadership")
    assert "微格科技" in page(client, member, url)
    company = leadership.person.company
    company.name = "微格智能科技"
    company.save()
    group = WorkingGroup.objects.get(name="会员发展工作小组")
    group.name = "会员发展与服务小组"
    group.save()
    leadership.person.name = "副会长丙"
    leadership.person.save()
    html = page(client, member, url)
    assert "微格智能科技" in html and "会员发展与服务小组" in html and "副会长丙" in html
    leadership.delete()
    assert "副会长丙" not in page(client, member, url).split("会员发展与服务小组")[0]


def test_leadership_without_a_current_term_says_so(client, member):
    html = page(client, member, reverse("chamber:leadership"))
    assert 'class="card empty-state"' in html


# ---------- Rules ----------


def test_rules_lists_only_published_rules(client, member):
    charter = DocumentFactory(title="商会章程", effective_on=datetime.date(2019, 5, 1))
    draft = DocumentFactory(title="起草中的制度", is_published=False)
    html = page(client, member, reverse("chamber:rules"))
    assert "商会章程" in html
    assert f'href="{charter.get_absolute_url()}"' in html
    assert "起草中的制度" not in html
    assert f'href="{draft.get_absolute_url()}"' not in html


def test_rule_page_shows_the_text_with_its_line_breaks(client, member):
    rule = DocumentFactory(title="会议制度", body="第一条 每季度召开例会。\n第二条 会长主持。")
    html = page(client, member, rule.get_absolute_url())
    assert "会议制度" in html
    assert "第一条 每季度召开例会。<br>第二条 会长主持。" in html


def test_unpublished_rule_is_404_for_a_member_but_open_to_the_secretary(client, member, secretary):
    draft = DocumentFactory(title="起草中的制度", is_published=False)
    client.force_login(member)
    assert client.get(draft.get_absolute_url()).status_code == 404
    html = page(client, secretary, draft.get_absolute_url())
    assert "起草中的制度" in html
    assert 'class="badge badge-warning"' in html


# ---------- Login and errors ----------


def test_login_page_has_no_sign_up_link(client):
    response = client.get(reverse("account_login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("account_signup") not in html
    assert 'name="login"' in html
    assert 'name="password"' in html
    assert f'href="{reverse("account_reset_password")}"' in html


def test_login_page_shows_no_navigation_to_anonymous_people(client):
    html = client.get(reverse("account_login")).content.decode()
    assert 'href="/companies/"' not in html
    assert 'href="/admin/"' not in html


def test_password_reset_pages_render_in_our_layout(client, settings):
    for name in ["account_reset_password", "account_reset_password_done"]:
        html = client.get(reverse(name)).content.decode()
        assert settings.CHAMBER_NAME in html
        assert "css/app.css" in html


def test_login_works_and_lands_on_home(client, member):
    response = client.post(
        reverse("account_login"), {"login": "member", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == HOME
    assert 'id="my-company-heading"' in response.content.decode()


def test_unknown_page_is_a_404_in_our_layout(client, member, settings):
    client.force_login(member)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert settings.CHAMBER_NAME in html
    assert 'href="/"' in html


def test_outsider_gets_a_403_in_our_layout(client, outsider, settings):
    client.force_login(outsider)
    response = client.get(reverse("members:company_list"))
    assert response.status_code == 403
    assert settings.CHAMBER_NAME in response.content.decode()


def test_500_page_needs_neither_request_nor_database():
    # No request, so no context processors; without the db fixture any query would raise.
    html = get_template("500.html").render()
    assert "css/app.css" in html
    assert "500" in html


def test_pages_are_in_chinese_by_default_and_english_once_chosen(client, member):
    client.force_login(member)
    html = client.get(reverse("chamber:home")).content.decode()
    assert 'lang="zh-hans"' in html and "会员名录" in html

    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get(reverse("chamber:home")).content.decode()
    assert 'lang="en"' in html and "会员名录" not in html


@pytest.mark.parametrize("persona", ["secretary", "president", "supervisor", "leader", "member"])
def test_the_home_page_keeps_to_the_query_budget_with_every_apps_sections(
    db, client, request, persona, django_assert_max_num_queries
):
    client.force_login(request.getfixturevalue(persona))
    # The first request after a change fills the shared cache's counts (core.counts): each
    # count costs a read, its queries and a write (one statement with the database cache,
    # core/cache.py; in a test's transaction a savepoint around it), once; every request
    # after it keeps to the budget. The dashboard's figures are cached in parts, so that a
    # visit logged recomputes the visits alone, not this year's donations, and every section
    # is kept rendered on its own, so that a notice read re-renders the notices alone:
    # filling them all at once costs more writes, once (the leadership's seats too, kept
    # apart so that a visit logged does not read them again). After that the home
    # reads every cached part in one cache query, on top of the session and the roles.
    with django_assert_max_num_queries(36):
        assert client.get(reverse("chamber:home")).status_code == 200
    with django_assert_max_num_queries(5):
        assert client.get(reverse("chamber:home")).status_code == 200
