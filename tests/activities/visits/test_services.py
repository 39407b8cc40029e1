"""The rules of visits and problems, at the level of the services the pages call."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from activities.models import Problem, ProblemEvent, Proposal, Visit, VisitPhoto
from activities.visits import problems, services
from activities.visits.services import ProblemDraft
from chamber.models import Position
from tests.factories import CompanyFactory, PersonFactory, PositionFactory, UserFactory

from ..conftest import days_ago, photo_upload
from .factories import AssignmentFactory, ProblemFactory, ProposalFactory

pytestmark = pytest.mark.django_db
Status = Problem.Status


def events(problem):
    return list(problem.events.order_by("at", "pk").values_list("kind", "from_status", "to_status"))


# --- Visits -------------------------------------------------------------------------------


def test_a_visit_is_saved_with_its_fellow_leaders_photos_and_problems(
    leader, other_leader, company
):
    visit = services.visit_record(
        acting_user=leader,
        leader=leader.person,
        company=company,
        visited_on=days_ago(2),
        summary="  与总经理座谈。 ",
        companions=[other_leader.person, leader.person],
        with_economic_office=True,
        other_partners="镇人社所",
        photos=[photo_upload()],
        problems=[ProblemDraft(Problem.Category.FINANCING, "需要流动资金")],
    )
    assert visit.summary == "与总经理座谈。"
    assert list(visit.companions.all()) == [other_leader.person]
    assert visit.partner_names == ["经发办", "镇人社所"]
    photo = visit.photos.get()
    assert max(photo.image.width, photo.image.height) == VisitPhoto.MAX_SIDE
    assert max(photo.thumbnail.width, photo.thumbnail.height) == VisitPhoto.THUMBNAIL_SIDE
    problem = visit.problems.get()
    assert (problem.company, problem.owner, problem.raised_on) == (
        company,
        leader.person,
        days_ago(2),
    )
    assert problem.due_on == days_ago(2) + datetime.timedelta(days=30)
    assert events(problem) == [("raised", "", "open")]
    assert visit.history.get().history_user == leader


def test_the_due_date_follows_the_setting(leader, company, settings):
    settings.CHAMBER_PROBLEM_DUE_DAYS = 14
    visit = services.visit_record(
        acting_user=leader,
        leader=leader.person,
        company=company,
        visited_on=days_ago(0),
        summary="座谈",
        problems=[ProblemDraft(Problem.Category.LEGAL, "合同纠纷")],
    )
    assert visit.problems.get().due_on == days_ago(0) + datetime.timedelta(days=14)


def test_a_visit_cannot_be_dated_tomorrow(leader, company):
    with pytest.raises(ValidationError) as error:
        services.visit_record(
            acting_user=leader,
            leader=leader.person,
            company=company,
            visited_on=days_ago(-1),
            summary="座谈",
        )
    assert "visited_on" in error.value.error_dict
    assert not Visit.objects.exists()


def test_only_leadership_members_make_visits_and_come_along(leader, member, company):
    with pytest.raises(ValidationError) as error:
        services.visit_record(
            acting_user=member,
            leader=member.person,
            company=company,
            visited_on=days_ago(1),
            summary="座谈",
            companions=[PersonFactory(name="路人甲")],
        )
    assert set(error.value.error_dict) == {"leader", "companions"}
    assert "路人甲" in str(error.value.error_dict["companions"])


def test_a_visit_and_its_problems_are_saved_all_or_nothing(leader, company):
    with pytest.raises(ValidationError):
        services.visit_record(
            acting_user=leader,
            leader=leader.person,
            company=company,
            visited_on=days_ago(1),
            summary="座谈",
            problems=[
                ProblemDraft(Problem.Category.POLICY, "政策咨询"),
                ProblemDraft("nonsense", "没有类别"),
            ],
        )
    assert not Visit.objects.exists()
    assert not Problem.objects.exists()


def test_changing_the_company_of_a_visit_moves_its_problems(leader, problem):
    other = CompanyFactory()
    services.visit_update(
        visit=problem.visit,
        acting_user=leader,
        company=other,
        visited_on=problem.visit.visited_on,
        summary="改了企业",
        problems=[ProblemDraft(Problem.Category.OTHER, "又一条")],
    )
    assert set(Problem.objects.values_list("company", flat=True)) == {other.pk}


# --- The problem workflow -----------------------------------------------------------------


def test_a_problem_goes_from_to_do_through_in_progress_to_solved(problem, leader, today):
    problem = problems.problem_transition(
        problem=problem, acting_user=leader, to_status=Status.IN_PROGRESS, note="已联系银行"
    )
    problem = problems.problem_transition(
        problem=problem,
        acting_user=leader,
        to_status=Status.SOLVED,
        resolution="已获授信",
        resolved_on=today,
    )
    problem.refresh_from_db()
    assert (problem.status, problem.resolution, problem.resolved_on) == (
        Status.SOLVED,
        "已获授信",
        today,
    )
    assert events(problem) == [
        ("raised", "", "open"),
        ("status", "open", "in_progress"),
        ("status", "in_progress", "solved"),
    ]
    entry = problem.events.get(to_status=Status.IN_PROGRESS)
    assert (entry.by, entry.note, entry.is_internal) == (leader, "已联系银行", False)
    assert problem.history.first().history_user == leader


def test_solving_needs_the_resolution_and_a_sensible_date(problem, leader, today):
    def solve(**fields):
        with pytest.raises(ValidationError) as error:
            problems.problem_transition(
                problem=problem, acting_user=leader, to_status=Status.SOLVED, **fields
            )
        return error.value.message_dict

    assert set(solve(resolved_on=today)) == {"resolution"}
    assert set(solve(resolution="好了")) == {"resolved_on"}
    assert set(solve(resolution="好了", resolved_on=today + datetime.timedelta(days=1))) == {
        "resolved_on"
    }
    assert set(
        solve(resolution="好了", resolved_on=problem.raised_on - datetime.timedelta(days=1))
    ) == {"resolved_on"}
    problem.refresh_from_db()
    assert problem.status == Status.OPEN
    assert problem.events.count() == 1


def test_declining_needs_the_reason(problem, secretary):
    with pytest.raises(ValidationError) as error:
        problems.problem_transition(
            problem=problem, acting_user=secretary, to_status=Status.DECLINED
        )
    assert set(error.value.message_dict) == {"decline_reason"}
    problem = problems.problem_transition(
        problem=problem,
        acting_user=secretary,
        to_status=Status.DECLINED,
        decline_reason="属商业纠纷",
    )
    assert problem.decline_reason == "属商业纠纷"
    assert events(problem)[-1] == ("status", "open", "declined")


def test_turning_a_problem_into_a_proposal_needs_the_proposal(problem, leader):
    with pytest.raises(ValidationError) as error:
        problems.problem_transition(problem=problem, acting_user=leader, to_status=Status.PROPOSAL)
    assert set(error.value.message_dict) == {"proposal"}
    proposal = ProposalFactory(carrier=leader.person)
    problem = problems.problem_transition(
        problem=problem, acting_user=leader, to_status=Status.PROPOSAL, proposal=proposal
    )
    assert problem.proposal == proposal


@pytest.mark.parametrize(
    "start, target",
    [
        (Status.OPEN, Status.OPEN),
        (Status.SOLVED, Status.DECLINED),
        (Status.DECLINED, Status.SOLVED),
        (Status.IN_PROGRESS, Status.OPEN),
    ],
)
def test_moves_outside_the_workflow_are_refused(problem, secretary, start, target, today):
    Problem.objects.filter(pk=problem.pk).update(
        status=start, resolution="已解决", resolved_on=today, decline_reason="不予处理"
    )
    problem.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        problems.problem_transition(
            problem=problem,
            acting_user=secretary,
            to_status=target,
            resolution="x",
            resolved_on=today,
            decline_reason="x",
            note="x",
        )
    assert error.value.code == "transition"


def test_reopening_a_settled_problem_needs_a_reason_and_drops_the_confirmation(
    problem, secretary, member, today
):
    problem = problems.problem_transition(
        problem=problem,
        acting_user=secretary,
        to_status=Status.SOLVED,
        resolution="已协调",
        resolved_on=today,
    )
    problem = problems.problem_confirm(
        problem=problem, acting_user=member, satisfaction=Problem.Satisfaction.SATISFIED
    )
    with pytest.raises(ValidationError) as error:
        problems.problem_transition(
            problem=problem, acting_user=secretary, to_status=Status.IN_PROGRESS
        )
    assert set(error.value.message_dict) == {"note"}
    problem = problems.problem_transition(
        problem=problem, acting_user=secretary, to_status=Status.IN_PROGRESS, note="企业再次反映"
    )
    assert (problem.confirmed_at, problem.satisfaction, problem.resolved_on) == (None, "", None)


def test_the_database_itself_refuses_a_settled_problem_without_what_it_needs(problem):
    for status, fields in [
        (Status.SOLVED, {"resolution": ""}),
        (Status.DECLINED, {"decline_reason": ""}),
        (Status.PROPOSAL, {"proposal": None}),
        (Status.OPEN, {"satisfaction": "satisfied"}),
    ]:
        with pytest.raises(IntegrityError), transaction.atomic():
            Problem.objects.filter(pk=problem.pk).update(status=status, **fields)


def test_the_owner_and_due_date_change_with_an_internal_entry(problem, secretary, other_leader):
    due = problem.due_on + datetime.timedelta(days=10)
    problem = problems.problem_assign(
        problem=problem, acting_user=secretary, owner=other_leader.person, due_on=due
    )
    assert (problem.owner, problem.due_on) == (other_leader.person, due)
    entry = problem.events.get(kind=ProblemEvent.Kind.ASSIGNED)
    assert entry.is_internal and other_leader.person.name in entry.note


def test_a_note_may_be_internal(problem, leader):
    problems.problem_add_note(problem=problem, acting_user=leader, note="先内部研究")
    problems.problem_add_note(
        problem=problem, acting_user=leader, note="已约企业面谈", is_internal=False
    )
    assert list(problem.events.filter(kind="note").values_list("note", "is_internal")) == [
        ("先内部研究", True),
        ("已约企业面谈", False),
    ]
    with pytest.raises(ValidationError):
        problems.problem_add_note(problem=problem, acting_user=leader, note="  ")


# --- The company's side -------------------------------------------------------------------


def solved(problem, user, today):
    return problems.problem_transition(
        problem=problem,
        acting_user=user,
        to_status=Status.SOLVED,
        resolution="已协调解决",
        resolved_on=today,
    )


def test_solving_asks_the_company_to_confirm(
    problem, leader, member, today, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        solved(problem, leader, today)
    assert [message.to for message in mail.outbox] == [[member.person.email]]
    assert "已协调解决" in mail.outbox[0].body
    assert "/me/" in mail.outbox[0].body


def test_the_company_confirms_a_solved_problem_with_its_satisfaction(
    problem, leader, member, today
):
    problem = solved(problem, leader, today)
    assert problem.awaits_confirmation
    problem = problems.problem_confirm(
        problem=problem,
        acting_user=member,
        satisfaction=Problem.Satisfaction.FAIRLY_SATISFIED,
        note="基本解决",
    )
    assert problem.status == Status.SOLVED
    assert problem.satisfaction == Problem.Satisfaction.FAIRLY_SATISFIED
    assert problem.confirmed_at is not None
    entry = problem.events.get(kind=ProblemEvent.Kind.CONFIRMED)
    assert (entry.by, entry.satisfaction, entry.note) == (member, "fairly_satisfied", "基本解决")
    with pytest.raises(ValidationError):
        problems.problem_confirm(problem=problem, acting_user=member, satisfaction="satisfied")


def test_an_unsatisfied_company_reopens_the_problem_and_its_owner_hears_of_it(
    problem, leader, member, today, django_capture_on_commit_callbacks
):
    problem = solved(problem, leader, today)
    with django_capture_on_commit_callbacks(execute=True):
        problem = problems.problem_confirm(
            problem=problem,
            acting_user=member,
            satisfaction=Problem.Satisfaction.UNSATISFIED,
            note="贷款还没批下来",
        )
    assert problem.status == Status.IN_PROGRESS
    assert (problem.confirmed_at, problem.satisfaction) == (None, "")
    assert events(problem)[-1] == ("confirmed", "solved", "in_progress")
    assert mail.outbox[-1].to == [leader.person.email]
    assert "贷款还没批下来" in mail.outbox[-1].body


def test_an_open_problem_cannot_be_confirmed(problem, member):
    with pytest.raises(ValidationError):
        problems.problem_confirm(problem=problem, acting_user=member, satisfaction="satisfied")


def test_a_company_raises_a_problem_for_its_responsible_leader_who_is_emailed(
    assignment, member, leader, company, django_capture_on_commit_callbacks, today
):
    with django_capture_on_commit_callbacks(execute=True):
        problem = problems.problem_raise_by_company(
            acting_user=member,
            company=company,
            category=Problem.Category.PREMISES,
            description="明年需要新场地",
        )
    assert (problem.visit, problem.owner, problem.raised_by) == (None, leader.person, member)
    assert (problem.raised_on, problem.status) == (today, Status.OPEN)
    assert events(problem) == [("raised", "", "open")]
    assert [message.to for message in mail.outbox] == [[leader.person.email]]
    assert company.name in mail.outbox[0].subject
    assert "明年需要新场地" in mail.outbox[0].body


def test_a_company_nobody_is_responsible_for_goes_to_the_secretary_general(
    member, secretary, company, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        problem = problems.problem_raise_by_company(
            acting_user=member,
            company=company,
            category=Problem.Category.OTHER,
            description="咨询",
        )
    assert problem.owner == secretary.person
    # The secretary general, who is also the secretariat: one message, at the roster's
    # address, and in their inbox.
    assert [m.to for m in mail.outbox] == [[secretary.person.email]]
    assert secretary.messages.get().kind == "problem_raised"


def test_without_a_secretary_general_the_problem_waits_for_an_owner(
    member, company, django_capture_on_commit_callbacks
):
    staff = UserFactory(username="staff", groups=["secretariat"], person=None)
    with django_capture_on_commit_callbacks(execute=True):
        problem = problems.problem_raise_by_company(
            acting_user=member, company=company, category="other", description="咨询"
        )
    assert problem.owner is None
    assert mail.outbox[0].to == [staff.email]


# --- Proposals ----------------------------------------------------------------------------


def test_a_cppcc_member_turns_problems_into_a_proposal(leader, visit):
    first = ProblemFactory(visit=visit, category=Problem.Category.STAFFING)
    second = ProblemFactory(visit=visit, category=Problem.Category.STAFFING)
    proposal = problems.proposal_create_from_problems(
        acting_user=leader,
        carrier=leader.person,
        title="关于优化人才服务的建议",
        body="建议设立专窗。",
        session="青浦区政协十五届三次会议",
        kind=Proposal.Kind.PROPOSAL,
        status=Proposal.Status.SUBMITTED,
        problems=[first, second],
    )
    assert set(proposal.problems.values_list("status", flat=True)) == {Status.PROPOSAL}
    assert proposal.submitted_on is not None
    assert "关于优化人才服务的建议" in first.events.get(to_status="proposal").note


def test_only_a_deputy_carries_a_motion_and_only_a_cppcc_member_a_proposal(problem, leader):
    def create(kind):
        problems.proposal_create_from_problems(
            acting_user=leader,
            carrier=leader.person,
            title="建议",
            body="正文",
            session="会议",
            kind=kind,
            problems=[problem],
        )

    with pytest.raises(ValidationError) as error:
        create(Proposal.Kind.MOTION)
    assert set(error.value.message_dict) == {"kind"}
    problem.refresh_from_db()
    assert problem.status == Status.OPEN
    assert not Proposal.objects.exists()


def test_a_settled_problem_cannot_go_into_a_proposal(problem, leader, today):
    solved(problem, leader, today)
    with pytest.raises(ValidationError) as error:
        problems.proposal_create_from_problems(
            acting_user=leader,
            carrier=leader.person,
            title="建议",
            body="正文",
            session="会议",
            kind=Proposal.Kind.PROPOSAL,
            problems=[problem],
        )
    assert "problems" in error.value.message_dict
    assert not Proposal.objects.exists()


def test_the_leadership_comes_from_the_current_terms_positions(term, company):
    secretary_general = PersonFactory()
    PositionFactory(person=secretary_general, term=term, title=Position.Title.SECRETARY_GENERAL)
    with pytest.raises(ValidationError):
        services.visit_record(
            acting_user=None,
            leader=secretary_general,
            company=company,
            visited_on=days_ago(1),
            summary="座谈",
        )
    executive = PersonFactory()
    PositionFactory(person=executive, term=term, title=Position.Title.EXECUTIVE)
    assert services.visit_record(
        acting_user=None,
        leader=executive,
        company=company,
        visited_on=days_ago(1),
        summary="座谈",
    )


def test_the_first_assigned_leader_owns_a_company_with_two(term, company, leader, other_leader):
    AssignmentFactory(term=term, leader=other_leader.person, company=company)
    AssignmentFactory(term=term, leader=leader.person, company=company)
    assert problems.responsible_leader(company) == other_leader.person
