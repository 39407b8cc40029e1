"""The leader's pages: my visits, logging and editing a visit, a visit's page."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from activities.models import Problem, Visit
from tests.factories import CompanyFactory

from ..conftest import days_ago, photo_upload
from .factories import AssignmentFactory, ProblemFactory, VisitFactory

pytestmark = pytest.mark.django_db

VISITS = reverse("activities:visit_list")
NEW = reverse("activities:visit_create")


def visit_data(company, **fields):
    data = {
        "company": company.pk,
        "visited_on": days_ago(0).isoformat(),
        "summary": "与总经理座谈，企业订单饱满。",
        "problems-TOTAL_FORMS": "3",
        "problems-INITIAL_FORMS": "0",
        "problems-0-category": "financing",
        "problems-0-description": "扩产需要流动资金。",
        "problems-1-category": "",
        "problems-1-description": "",
        "problems-2-category": "",
        "problems-2-description": "",
    }
    data.update(fields)
    return data


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# --- My visits ------------------------------------------------------------------------------


def test_a_leader_sees_the_month_against_the_quota_and_companies_never_visited_first(
    client, leader, term
):
    visited = CompanyFactory(name="上海走访过科技有限公司")
    never = CompanyFactory(name="上海没走访过科技有限公司")
    for company in (visited, never):
        AssignmentFactory(term=term, leader=leader.person, company=company)
    VisitFactory(leader=leader.person, company=visited, visited_on=days_ago(0))
    client.force_login(leader)
    page = text(client.get(VISITS))
    assert '<strong>1</strong><span class="quota-of"> / 2</span>' in page
    assert "本月还需走访 1 家" in page
    assert page.index("上海没走访过科技有限公司") < page.index("上海走访过科技有限公司")
    assert "从未走访" in page
    assert f'href="{NEW}?company={never.pk}"' in page


def test_the_month_is_met_with_two_companies(client, leader):
    VisitFactory(leader=leader.person)
    VisitFactory(leader=leader.person)
    client.force_login(leader)
    assert "本月已达标" in text(client.get(VISITS))


def test_the_secretariat_sees_the_latest_visits_of_everyone(client, secretary, visit):
    client.force_login(secretary)
    page = text(client.get(VISITS))
    assert visit.company.name in page and visit.leader.name in page
    assert "为班子成员登记走访" in page


def test_a_leaders_visits_come_ten_at_a_time_led_and_joined_newest_first(
    client, leader, other_leader
):
    # Eight led, four joined, on twelve different days: the newest ten, then the two before.
    for day in range(12):
        company = CompanyFactory(name=f"上海第{day:02d}天科技有限公司")
        if day % 3 == 1:
            VisitFactory(
                leader=other_leader.person,
                company=company,
                visited_on=days_ago(day),
                companions=[leader.person],
            )
        else:
            VisitFactory(leader=leader.person, company=company, visited_on=days_ago(day))
    VisitFactory(visited_on=days_ago(0))  # someone else's, not on the leader's page
    client.force_login(leader)

    first = text(client.get(VISITS))
    shown = re.findall(r"上海第(\d\d)天科技有限公司</a>", first.split('id="visits-heading"')[1])
    assert shown == [f"{day:02d}" for day in range(10)]
    older = re.search(r'href="\?before=([0-9.-]+)">更早的走访</a>', first)
    assert older, "a link to the earlier visits"

    second = text(client.get(VISITS, {"before": older[1]}))
    shown = re.findall(r"上海第(\d\d)天科技有限公司</a>", second.split('id="visits-heading"')[1])
    assert shown == ["10", "11"]
    assert "更早的走访</a>" not in second
    assert '<a class="page-link" href="?">最近的走访</a>' in second


def test_a_mistyped_page_link_shows_the_latest_visits(client, leader):
    VisitFactory(leader=leader.person, company=CompanyFactory(name="上海最新科技有限公司"))
    client.force_login(leader)
    for before in ("x", "2026-13-40.5", "2026-01-01." + "9" * 40, "2026-01-01"):
        response = client.get(VISITS, {"before": before})
        assert response.status_code == 200
        assert "上海最新科技有限公司" in response.content.decode()


def test_the_secretariat_pages_through_everyones_visits(client, secretary):
    for day in range(11):
        VisitFactory(visited_on=days_ago(day), company=CompanyFactory(name=f"上海甲{day:02d}公司"))
    client.force_login(secretary)
    first = text(client.get(VISITS))
    assert "上海甲09公司" in first and "上海甲10公司" not in first
    older = re.search(r'href="\?before=([0-9.-]+)">更早的走访</a>', first)[1]
    second = text(client.get(VISITS, {"before": older}))
    assert "上海甲10公司" in second and "上海甲09公司" not in second


def test_a_leader_follows_the_unsettled_problems_of_every_branch(
    client, leader, other_leader, term
):
    mine = VisitFactory(leader=leader.person)
    joined = VisitFactory(leader=other_leader.person, companions=[leader.person])
    assigned = AssignmentFactory(term=term, leader=leader.person).company
    elsewhere = VisitFactory(leader=other_leader.person)
    ProblemFactory(visit=mine, description="甲", owner=other_leader.person)
    ProblemFactory(visit=joined, description="乙")
    ProblemFactory(visit=None, company=assigned, description="丙")
    ProblemFactory(visit=elsewhere, owner=leader.person, description="丁")
    ProblemFactory(visit=mine, status=Problem.Status.IN_PROGRESS)
    ProblemFactory(
        visit=mine, status=Problem.Status.SOLVED, resolution="已对接银行。", resolved_on=days_ago(0)
    )
    ProblemFactory(visit=elsewhere)  # not followed
    followed = Problem.objects.followed_by(leader.person, unsettled=True)
    assert followed.count() == 5
    assert followed.count() == Problem.objects.followed_by(leader.person).open().count()
    client.force_login(leader)
    page = text(client.get(VISITS)).split('id="open-problems-heading"')[1]
    assert page.count('class="badge problem-status problem-status-open"') == 4
    assert page.count('class="badge problem-status problem-status-in_progress"') == 1
    assert "已解决" not in page.split('id="visits-heading"')[0]


def test_members_have_no_visits_page(client, member):
    client.force_login(member)
    assert client.get(VISITS).status_code == 403


# --- Logging a visit ------------------------------------------------------------------------


def test_the_form_lists_the_leaders_companies_first(client, leader, assignment, term):
    other = CompanyFactory(name="上海别人的企业有限公司")
    client.force_login(leader)
    page = text(client.get(NEW + f"?company={assignment.company.pk}"))
    mine = page.index("我联系的企业")
    assert mine < page.index(assignment.company.name) < page.index("其他会员企业")
    assert page.index("其他会员企业") < page.index(other.name)
    assert f'<option value="{assignment.company.pk}" selected>' in page
    assert f'max="{days_ago(0).isoformat()}"' in page


def test_a_leader_logs_a_visit_with_a_problem_and_a_photo_in_one_go(
    client, leader, other_leader, company
):
    client.force_login(leader)
    response = client.post(
        NEW,
        visit_data(
            company,
            companions=[other_leader.person.pk],
            with_economic_office="on",
            photos=[photo_upload()],
        ),
    )
    assert response.status_code == 302 and response["Location"] == VISITS
    visit = Visit.objects.get()
    assert (visit.leader, visit.company, visit.created_by) == (leader.person, company, leader)
    assert list(visit.companions.all()) == [other_leader.person]
    assert visit.with_economic_office
    assert visit.photos.count() == 1
    problem = visit.problems.get()
    assert (problem.category, problem.owner) == ("financing", leader.person)
    page = text(client.get(VISITS))
    assert "本月已走访 1 家" in page
    assert "<strong>1</strong>" in page


def test_a_bad_field_keeps_everything_typed_and_saves_nothing(client, leader, company):
    client.force_login(leader)
    data = visit_data(
        company,
        summary="",
        visited_on=days_ago(-1).isoformat(),
        **{"problems-1-description": "场地快到期了"},
        photos=[photo_upload()],
    )
    response = client.post(NEW, data)
    page = text(response)
    assert response.status_code == 200
    assert not Visit.objects.exists() and not Problem.objects.exists()
    assert "尚未保存" in page
    assert "走访日期不能晚于今天" in page
    assert "扩产需要流动资金。" in page and "场地快到期了" in page
    assert "请为这条诉求选择类别" in page
    # The photo is kept: it comes back as a token, not as a file to choose again.
    tokens = re.findall(r'name="kept_photos" value="([^"]+)"', response.content.decode())
    assert len(tokens) == 1

    data.update(
        {
            "summary": "补上了摘要",
            "visited_on": days_ago(0).isoformat(),
            "problems-1-category": "premises",
            "kept_photos": tokens,
        }
    )
    del data["photos"]
    assert client.post(NEW, data).status_code == 302
    visit = Visit.objects.get()
    assert visit.photos.count() == 1
    assert sorted(visit.problems.values_list("category", flat=True)) == ["financing", "premises"]


def test_a_fake_photo_is_refused_by_name(client, leader, company):
    client.force_login(leader)
    fake = SimpleUploadedFile("发票.jpg", b"not an image at all", content_type="image/jpeg")
    response = client.post(NEW, visit_data(company, photos=[fake]))
    assert "照片 发票.jpg" in text(response)
    assert not Visit.objects.exists()


def test_someone_elses_kept_photo_cannot_be_claimed(client, leader, other_leader, company):
    client.force_login(other_leader)
    response = client.post(NEW, visit_data(company, summary="", photos=[photo_upload()]))
    token = re.findall(r'name="kept_photos" value="([^"]+)"', response.content.decode())[0]
    client.force_login(leader)
    assert client.post(NEW, visit_data(company, kept_photos=[token])).status_code == 302
    assert Visit.objects.get().photos.count() == 0


def test_the_secretariat_logs_a_visit_for_a_leader(client, secretary, leader, company):
    client.force_login(secretary)
    page = text(client.get(NEW))
    assert 'name="leader"' in page
    response = client.post(NEW, visit_data(company, leader=leader.person.pk))
    visit = Visit.objects.get()
    assert response["Location"] == visit.get_absolute_url()
    assert (visit.leader, visit.created_by) == (leader.person, secretary)


def test_supervisors_and_members_log_no_visits(client, supervisor, member, company):
    for user in (supervisor, member):
        client.force_login(user)
        assert client.get(NEW).status_code == 403
        assert client.post(NEW, visit_data(company)).status_code == 403
    assert not Visit.objects.exists()


# --- A visit's page and editing -------------------------------------------------------------


def test_a_visit_page_shows_its_problems_and_who_came(client, leader, other_leader, problem):
    problem.visit.companions.add(other_leader.person)
    client.force_login(other_leader)
    page = text(client.get(problem.visit.get_absolute_url()))
    assert problem.description in page and other_leader.person.name in page
    assert reverse("activities:visit_update", args=[problem.visit.pk]) not in page


def test_the_leader_responsible_for_the_company_sees_visits_of_others(
    client, other_leader, visit, term
):
    client.force_login(other_leader)
    assert client.get(visit.get_absolute_url()).status_code == 404
    AssignmentFactory(term=term, leader=other_leader.person, company=visit.company)
    assert client.get(visit.get_absolute_url()).status_code == 200


def test_a_leader_edits_their_visit_and_adds_a_problem(client, leader, problem):
    visit = problem.visit
    url = reverse("activities:visit_update", args=[visit.pk])
    client.force_login(leader)
    page = text(client.get(url))
    assert visit.summary in page and problem.description in page
    data = visit_data(
        visit.company,
        summary="更新后的摘要",
        **{"problems-0-category": "legal", "problems-0-description": "合同咨询"},
    )
    response = client.post(url, data)
    assert response["Location"] == visit.get_absolute_url()
    visit.refresh_from_db()
    assert visit.summary == "更新后的摘要"
    assert sorted(visit.problems.values_list("category", flat=True)) == ["financing", "legal"]
    assert visit.history.first().history_user == leader


def test_a_leader_cannot_edit_another_leaders_visit(client, other_leader, visit):
    url = reverse("activities:visit_update", args=[visit.pk])
    client.force_login(other_leader)
    assert client.get(url).status_code == 404
    assert client.post(url, visit_data(visit.company, summary="改别人的")).status_code == 404
    visit.refresh_from_db()
    assert visit.summary != "改别人的"


def test_the_president_edits_any_visit_and_supervisors_none(client, president, supervisor, visit):
    url = reverse("activities:visit_update", args=[visit.pk])
    client.force_login(president)
    assert client.get(url).status_code == 200
    client.force_login(supervisor)
    assert client.get(url).status_code == 403
    assert client.get(visit.get_absolute_url()).status_code == 200


def test_photos_can_be_removed_when_editing(client, leader, company):
    client.force_login(leader)
    client.post(NEW, visit_data(company, photos=[photo_upload(), photo_upload("b.jpg")]))
    visit = Visit.objects.get()
    first = visit.photos.first()
    url = reverse("activities:visit_update", args=[visit.pk])
    blank = {"problems-0-category": "", "problems-0-description": ""}
    response = client.post(url, visit_data(company, remove_photos=[first.pk], **blank))
    assert response.status_code == 302
    assert visit.photos.count() == 1
    assert not visit.photos.filter(pk=first.pk).exists()


def test_the_leaders_figures_are_cached_yet_show_a_change_at_once(client, leader, term):
    company = AssignmentFactory(term=term, leader=leader.person).company
    client.force_login(leader)
    page = text(client.get(VISITS))
    assert "从未走访" in page and "<strong>0</strong>" in page
    assert "从未走访" in text(client.get(VISITS))  # read from the cache this time

    VisitFactory(leader=leader.person, company=company, visited_on=days_ago(0))
    page = text(client.get(VISITS))
    assert "从未走访" not in page
    assert "（0 天前）" in page and "<strong>1</strong>" in page

    newcomer = AssignmentFactory(term=term, leader=leader.person).company
    company.name = "上海改了名字实业有限公司"
    company.save()
    page = text(client.get(VISITS))
    assert newcomer.name in page and "从未走访" in page
    assert "上海改了名字实业有限公司" in page
