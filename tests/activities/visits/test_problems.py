"""The problem ledger, a problem's page, what the company sees and does, and proposals."""

import datetime
import io
import re

import openpyxl
import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from activities.models import Problem, ProblemEvent, Proposal
from activities.visits import problems
from tests.factories import CompanyFactory, PersonFactory, UserFactory

from ..conftest import days_ago, pdf_upload
from .factories import AssignmentFactory, ProblemFactory, ProposalFactory, VisitFactory

pytestmark = pytest.mark.django_db
Status = Problem.Status
LEDGER = reverse("activities:problem_list")
ME = reverse("members:me")
RAISE = reverse("activities:problem_raise")


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def update(client, problem, action, **fields):
    data = {"action": action, **{f"{action}-{name}": value for name, value in fields.items()}}
    return client.post(reverse("activities:problem_update", args=[problem.pk]), data)


def solve(problem, user):
    return problems.problem_transition(
        problem=problem,
        acting_user=user,
        to_status=Status.SOLVED,
        resolution="已对接合作银行，获得授信。",
        resolved_on=days_ago(0),
    )


# --- The ledger -----------------------------------------------------------------------------


def test_the_ledger_lists_every_problem_with_its_age_for_the_president(client, president):
    old = ProblemFactory(
        visit=VisitFactory(visited_on=days_ago(45)), description="四十五天前的诉求"
    )
    ProblemFactory(description="今天的诉求", category="legal")
    client.force_login(president)
    page = text(client.get(LEDGER))
    assert "四十五天前的诉求" in page and "今天的诉求" in page
    assert "已历时 45 天" in page
    assert page.index("四十五天前的诉求") < page.index("今天的诉求")  # overdue first
    assert old.company.name in page and "已逾期" in page


def test_the_ledger_filters(client, secretary, other_leader):
    overdue = ProblemFactory(visit=VisitFactory(visited_on=days_ago(40)), description="逾期的")
    legal = ProblemFactory(category="legal", description="法律的")
    theirs = ProblemFactory(
        visit=VisitFactory(leader=other_leader.person), description="别人负责的"
    )
    Problem.objects.filter(pk=legal.pk).update(status=Status.DECLINED, decline_reason="不属于")
    client.force_login(secretary)

    def listed(**query):
        page = text(client.get(LEDGER, query))
        return {p.description for p in (overdue, legal, theirs) if p.description in page}

    assert listed() == {"逾期的", "法律的", "别人负责的"}
    assert listed(overdue="on") == {"逾期的"}
    assert listed(category="legal") == {"法律的"}
    assert listed(status="declined") == {"法律的"}
    assert listed(status="unsettled") == {"逾期的", "别人负责的"}
    assert listed(owner=other_leader.person.pk) == {"别人负责的"}
    assert listed(company=theirs.company.name) == {"别人负责的"}
    assert listed(owner="nonsense")  # a filter not understood is ignored, not an error


def test_a_leader_sees_only_the_problems_that_are_theirs(client, leader, other_leader, term):
    mine = ProblemFactory(visit=VisitFactory(leader=leader.person), description="我听到的")
    joined = ProblemFactory(
        visit=VisitFactory(leader=other_leader.person, companions=[leader.person]),
        description="一起去听到的",
    )
    assigned_company = CompanyFactory()
    AssignmentFactory(term=term, leader=leader.person, company=assigned_company)
    direct = ProblemFactory(visit=None, company=assigned_company, description="联系企业自提的")
    ProblemFactory(visit=VisitFactory(leader=other_leader.person), description="别人的")
    client.force_login(leader)
    page = text(client.get(LEDGER))
    for problem in (mine, joined, direct):
        assert problem.description in page
    assert "别人的" not in page


def test_the_ledger_exports_to_excel_with_chinese_headers(client, secretary, problem):
    Problem.objects.filter(pk=problem.pk).update(internal_notes="=内部")
    client.force_login(secretary)
    response = client.get(reverse("activities:problem_export"), {"status": "open"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[0][:4] == ("编号", "企业名称", "类别", "诉求内容")
    assert rows[0][-1] == "内部备注"
    assert rows[1][1:3] == (problem.company.name, "融资")
    assert rows[1][8] == "待办"
    assert rows[1][-1] == "'=内部"  # formulas are escaped


# --- A problem's page -----------------------------------------------------------------------


def test_the_secretary_marks_a_problem_solved_and_it_shows_on_the_timeline(
    client, secretary, problem
):
    client.force_login(secretary)
    page = text(client.get(problem.get_absolute_url()))
    for action in ("start", "solve", "decline", "link_proposal", "note", "assign"):
        assert f'name="action" value="{action}"' in page
    response = update(
        client, problem, "solve", resolution="已对接银行", resolved_on=days_ago(0).isoformat()
    )
    assert response.status_code == 302
    problem.refresh_from_db()
    assert (problem.status, problem.resolution) == (Status.SOLVED, "已对接银行")
    page = text(client.get(problem.get_absolute_url()))
    assert "诉求状态已改为“已解决”" in page
    assert "待办 → 已解决" in page and secretary.person.name in page
    assert 'value="reopen"' in page and 'value="solve"' not in page


def test_a_missing_resolution_is_named_and_what_was_typed_stays(client, secretary, problem):
    client.force_login(secretary)
    response = update(client, problem, "solve", resolution="", resolved_on="2000-01-01")
    page = text(response)
    assert response.status_code == 200
    assert "这个字段是必填项" in page or "请填写解决情况" in page
    assert 'value="2000-01-01"' in page
    response = update(client, problem, "solve", resolution="好了", resolved_on="2000-01-01")
    assert "解决日期不能早于诉求提出日期" in text(response)
    problem.refresh_from_db()
    assert problem.status == Status.OPEN


def test_the_owner_moves_the_problem_on_and_others_only_read(
    client, leader, other_leader, supervisor, problem, term
):
    client.force_login(leader)
    assert update(client, problem, "start", note="已联系").status_code == 302
    problem.refresh_from_db()
    assert problem.status == Status.IN_PROGRESS
    # The owner may not hand the problem over: that is the secretariat's.
    assert update(client, problem, "assign", owner=other_leader.person.pk).status_code == 403

    client.force_login(supervisor)
    page = text(client.get(problem.get_absolute_url()))
    assert 'name="action"' not in page
    assert update(client, problem, "note", note="监事意见").status_code == 403

    client.force_login(other_leader)
    assert client.get(problem.get_absolute_url()).status_code == 404
    assert update(client, problem, "note", note="路过").status_code == 404
    AssignmentFactory(term=term, leader=other_leader.person, company=problem.company)
    assert client.get(problem.get_absolute_url()).status_code == 200
    assert update(client, problem, "note", note="看看").status_code == 403
    assert not problem.events.filter(kind=ProblemEvent.Kind.NOTE).exists()


def test_the_secretary_hands_a_problem_to_another_leader(client, secretary, other_leader, problem):
    client.force_login(secretary)
    due = problem.due_on + datetime.timedelta(days=7)
    update(client, problem, "assign", owner=other_leader.person.pk, due_on=due.isoformat())
    problem.refresh_from_db()
    assert (problem.owner, problem.due_on) == (other_leader.person, due)
    client.force_login(other_leader)
    assert client.get(problem.get_absolute_url()).status_code == 200


# --- The member company's side ----------------------------------------------------------------


def test_the_member_sees_their_companys_problems_but_not_internal_notes(
    client, member, problem, leader
):
    Problem.objects.filter(pk=problem.pk).update(internal_notes="内部：企业资金紧张")
    problems.problem_add_note(problem=problem, acting_user=leader, note="内部讨论记录")
    ProblemFactory(description="别家企业的诉求")
    client.force_login(member)
    page = text(client.get(ME))
    assert problem.description in page and "待办" in page
    assert "内部" not in page and "别家企业的诉求" not in page
    assert client.get(problem.get_absolute_url()).status_code == 403


def test_the_member_confirms_a_solved_problem(client, member, problem, leader):
    solve(problem, leader)
    client.force_login(member)
    page = text(client.get(ME))
    assert "已对接合作银行，获得授信。" in page and "确认销号" in page
    url = reverse("activities:problem_confirm", args=[problem.pk])
    response = client.post(url, {f"confirm-{problem.pk}-satisfaction": "satisfied"})
    assert response["Location"] == ME
    problem.refresh_from_db()
    assert problem.satisfaction == "satisfied" and problem.confirmed_at
    assert "已确认：满意" in text(client.get(ME))


def test_a_confirmation_without_a_mark_comes_back_with_the_comment(client, member, problem, leader):
    solve(problem, leader)
    client.force_login(member)
    url = reverse("activities:problem_confirm", args=[problem.pk])
    response = client.post(url, {f"confirm-{problem.pk}-note": "还有点问题"})
    page = text(response)
    assert response.status_code == 200
    assert "还有点问题" in page and "这个字段是必填项" in page
    problem.refresh_from_db()
    assert problem.confirmed_at is None


def test_an_unsatisfied_member_reopens_the_problem(client, member, problem, leader):
    solve(problem, leader)
    client.force_login(member)
    client.post(
        reverse("activities:problem_confirm", args=[problem.pk]),
        {
            f"confirm-{problem.pk}-satisfaction": "unsatisfied",
            f"confirm-{problem.pk}-note": "授信额度不够",
        },
    )
    problem.refresh_from_db()
    assert problem.status == Status.IN_PROGRESS
    assert "处理中" in text(client.get(ME))


def test_a_member_cannot_confirm_another_companys_problem(client, member, outsider, leader):
    other = ProblemFactory()
    solve(other, leader)
    url = reverse("activities:problem_confirm", args=[other.pk])
    client.force_login(member)
    assert client.post(url, {f"confirm-{other.pk}-satisfaction": "satisfied"}).status_code == 404
    client.force_login(outsider)
    assert client.post(url, {f"confirm-{other.pk}-satisfaction": "satisfied"}).status_code == 403
    other.refresh_from_db()
    assert other.confirmed_at is None


def test_a_member_raises_a_problem_with_a_file_and_the_leader_hears_of_it(
    client, member, leader, assignment, django_capture_on_commit_callbacks
):
    client.force_login(member)
    assert "提出诉求（企业诉求直通车）" in text(client.get(ME))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            RAISE,
            {
                "raise-category": "approvals",
                "raise-description": "新建仓库需要了解审批流程。",
                "raise-attachment": pdf_upload(),
            },
        )
    assert response["Location"] == ME
    problem = Problem.objects.get()
    assert (problem.owner, problem.visit, problem.raised_by) == (leader.person, None, member)
    assert problem.attachment.name.endswith(".pdf")
    assert mail.outbox[0].to == [leader.person.email]
    assert "由副会长甲负责跟进" in text(client.get(ME))

    # The file is for those who may see the problem.
    url = reverse("activities:problem_attachment", args=[problem.pk])
    assert client.get(url).status_code == 200
    client.force_login(leader)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(UserFactory(person=PersonFactory()))
    assert client.get(url).status_code == 404


def test_a_raised_problem_with_a_mistake_keeps_the_text_and_the_file(client, member, company):
    client.force_login(member)
    response = client.post(
        RAISE,
        {"raise-category": "", "raise-description": "需要帮助", "raise-attachment": pdf_upload()},
    )
    page = text(response)
    assert "尚未提交" in page and "需要帮助" in page
    token = re.search(r'name="kept_attachment" value="([^"]+)"', page).group(1)
    assert "已保留附件：申请材料.pdf" in page
    client.post(
        RAISE,
        {"raise-category": "other", "raise-description": "需要帮助", "kept_attachment": token},
    )
    assert Problem.objects.get().attachment.read().startswith(b"%PDF")


def test_a_file_that_is_not_what_its_name_says_is_refused(client, member):
    client.force_login(member)
    fake = SimpleUploadedFile("报告.pdf", b"MZ\x90\x00 this is a program")
    response = client.post(
        RAISE, {"raise-category": "other", "raise-description": "看附件", "raise-attachment": fake}
    )
    assert "请上传 PDF、Word、Excel 文件或照片" in text(response)
    assert not Problem.objects.exists()


# --- Proposals ------------------------------------------------------------------------------


def test_a_cppcc_leader_turns_problems_from_the_ledger_into_a_proposal(client, leader, visit):
    first = ProblemFactory(visit=visit, category="staffing", description="居住证积分难办")
    second = ProblemFactory(visit=visit, category="staffing", description="落户材料繁琐")
    client.force_login(leader)
    assert 'name="problems"' in text(client.get(LEDGER))
    url = reverse("activities:proposal_create")
    page = text(client.get(url, {"problems": [first.pk, second.pk]}))
    assert "1. " in page and "居住证积分难办" in page and "落户材料繁琐" in page
    response = client.post(
        url,
        {
            "title": "关于优化人才服务的建议",
            "kind": "proposal",
            "session": "青浦区政协十五届三次会议",
            "body": "建议设立专窗。",
            "status": "draft",
            "problems": [first.pk, second.pk],
        },
    )
    proposal = Proposal.objects.get()
    assert response["Location"] == proposal.get_absolute_url()
    assert proposal.carrier == leader.person
    assert set(proposal.problems.values_list("status", flat=True)) == {Status.PROPOSAL}
    page = text(client.get(proposal.get_absolute_url()))
    assert "居住证积分难办" in page and "青浦区政协十五届三次会议" in page


def test_a_cppcc_leader_cannot_turn_another_leaders_problem_into_a_proposal(
    client, leader, other_leader, company
):
    """The reproduction: the leader came along on the other leader's visit, so they see its
    problem, but it is not theirs to move on."""
    theirs = ProblemFactory(
        visit=VisitFactory(leader=other_leader.person, company=company, companions=[leader.person]),
        description="别人的诉求",
    )
    client.force_login(leader)
    url = reverse("activities:proposal_create")
    assert "别人的诉求" not in text(client.get(url))

    response = client.post(
        url,
        {
            "title": "关于优化人才服务的建议",
            "kind": "proposal",
            "session": "青浦区政协十五届三次会议",
            "body": "建议设立专窗。",
            "status": "draft",
            "problems": [theirs.pk],
        },
    )

    assert response.status_code == 200
    assert "选择一个有效的选项" in text(response)
    theirs.refresh_from_db()
    assert theirs.status == Status.OPEN and theirs.proposal is None
    assert not Proposal.objects.exists()
    with pytest.raises(ValidationError) as error:
        problems.proposal_create_from_problems(
            acting_user=leader,
            carrier=leader.person,
            title="绕过表单",
            body="…",
            session="青浦区政协十五届三次会议",
            kind="proposal",
            problems=[theirs],
        )
    assert "不由您跟进" in " ".join(error.value.messages)
    theirs.refresh_from_db()
    assert theirs.status == Status.OPEN and not Proposal.objects.exists()


def test_a_leader_who_sits_nowhere_carries_no_proposal(client, other_leader, president):
    for user in (other_leader, president):
        client.force_login(user)
        assert client.get(reverse("activities:proposal_create")).status_code == 403


def test_a_proposal_is_edited_by_its_carrier_and_the_secretariat(
    client, leader, other_leader, secretary
):
    proposal = ProposalFactory(carrier=leader.person)
    url = reverse("activities:proposal_update", args=[proposal.pk])
    data = {
        "title": proposal.title,
        "kind": "proposal",
        "session": proposal.session,
        "body": proposal.body,
        "status": "answered",
        "response": "区人社局已答复。",
    }
    client.force_login(other_leader)
    assert client.post(url, data).status_code == 404
    client.force_login(secretary)
    assert client.post(url, data).status_code == 302
    proposal.refresh_from_db()
    assert (proposal.status, proposal.response) == ("answered", "区人社局已答复。")
    assert proposal.submitted_on is not None
    assert proposal.history.first().history_user == secretary
