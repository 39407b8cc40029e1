"""The chamber's rules (core.rules): who passes each one, and that code asks only for rules
that exist, through the vocabulary rather than the old idioms."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied

from activities.models import Problem, Proposal, Visit
from chamber.roles import ANONYMOUS, roles_for
from core.rules import RULES, allows, require

from ..activities.visits.factories import ProblemFactory, ProposalFactory, VisitFactory

PERSONAS = ("secretary", "president", "leader", "other_leader", "supervisor", "member", "outsider")

# Who passes each rule, asked without an object. A new rule fails
# test_every_rule_has_a_row_in_the_matrix until someone decides who passes it here.
#                                          sec  pre  lea  oth  sup  mem  out
MATRIX = """
members.see_directory                       Y    Y    Y    Y    Y    Y    .
members.see_contacts                        Y    Y    Y    Y    .    .    .
members.see_own_company                     .    Y    Y    Y    Y    Y    .
members.keep_registry                       Y    .    .    .    .    .    .
members.keep_own_company                    .    Y    Y    Y    Y    Y    .
chamber.manage_account                      Y    .    .    .    .    .    .
chamber.publish_rules                       Y    .    .    .    .    .    .
chamber.comment_on_drafts                   .    Y    Y    Y    Y    Y    .
chamber.read_comments                       Y    Y    .    .    Y    .    .
activities.see_visits                       Y    Y    Y    Y    Y    .    .
activities.see_all_visits                   Y    Y    .    .    Y    .    .
activities.log_visits                       Y    Y    Y    Y    .    .    .
activities.edit_all_records                 Y    Y    .    .    .    .    .
activities.edit_visit                       Y    Y    Y    Y    .    .    .
activities.see_compliance                   Y    Y    .    .    Y    .    .
activities.see_problems                     Y    Y    Y    Y    Y    .    .
activities.see_all_problems                 Y    Y    .    .    Y    .    .
activities.act_on_problem                   Y    Y    Y    Y    .    .    .
activities.assign_problems                  Y    Y    .    .    .    .    .
activities.raise_problems                   .    Y    Y    Y    Y    Y    .
activities.follow_company_problems          .    Y    Y    Y    Y    Y    .
activities.see_proposals                    Y    Y    Y    Y    Y    .    .
activities.carry_proposals                  .    .    Y    .    .    .    .
activities.edit_proposal                    Y    Y    Y    Y    .    .    .
activities.manage_events                    Y    .    .    .    .    .    .
activities.see_attendance                   Y    Y    .    .    Y    .    .
activities.sign_up_colleagues               .    Y    Y    Y    Y    Y    .
charity.see_protected_names                 Y    .    .    .    .    .    .
charity.see_pairing_photos                  Y    .    .    .    .    .    .
charity.see_all_givers                      Y    Y    .    .    Y    .    .
charity.issue_acknowledgements              Y    .    .    .    .    .    .
charity.see_own_donations                   .    Y    Y    Y    Y    Y    .
charity.choose_listing                      .    Y    Y    Y    Y    Y    .
dues.keep_dues                              Y    .    .    .    .    .    .
dues.see_all_dues                          Y    Y    .    .    Y    .    .
dues.see_own_dues                          .    Y    Y    Y    Y    Y    .
dues.see_receipt                           Y    Y    Y    Y    Y    Y    .
notices.publish                             Y    .    .    .    .    .    .
notices.see_reading                         Y    Y    .    .    Y    .    .
notices.remind_readers                      Y    .    .    .    .    .    .
development.work_pipeline                   Y    .    .    .    .    .    .
development.decide_applications             Y    .    .    .    .    .    .
development.see_applications                Y    .    .    .    Y    .    .
reports.see_dashboard                       Y    Y    .    .    Y    .    .
reports.see_reports                         Y    Y    .    .    Y    .    .
reports.score_four_goods                    Y    .    .    .    .    .    .
reports.open_back_office                    Y    .    .    .    Y    .    .
notifications.see_deliveries                Y    .    .    .    .    .    .
"""


def expected_matrix() -> dict[str, dict[str, bool]]:
    rows = {}
    for line in MATRIX.strip().splitlines():
        name, *marks = line.split()
        assert len(marks) == len(PERSONAS), line
        assert name not in rows, f"{name} is in the matrix twice"
        rows[name] = {persona: mark == "Y" for persona, mark in zip(PERSONAS, marks, strict=True)}
    return rows


def test_every_rule_has_a_row_in_the_matrix():
    assert sorted(expected_matrix()) == sorted(RULES)


@pytest.mark.django_db
def test_each_persona_passes_the_rules_the_matrix_says(personas):
    expected = expected_matrix()
    roles = {name: roles_for(user) for name, user in personas.items()}
    actual = {
        rule: {persona: allows(rule, roles[persona]) for persona in PERSONAS} for rule in RULES
    }
    wrong = [
        f"{rule} × {persona}: expected {expected[rule][persona]}, got {actual[rule][persona]}"
        for rule in expected
        for persona in PERSONAS
        if expected[rule][persona] != actual[rule][persona]
    ]
    assert wrong == []


def test_nobody_anonymous_passes_any_rule():
    assert [name for name in RULES if allows(name, ANONYMOUS)] == []
    assert [name for name in RULES if allows(name, None)] == []


def test_an_unknown_rule_is_an_error_not_a_no():
    with pytest.raises(ImproperlyConfigured):
        allows("activities.no_such_rule", ANONYMOUS)


def test_every_rule_says_who_in_one_docstring():
    assert [name for name, predicate in RULES.items() if not predicate.__doc__] == []


@pytest.mark.django_db
def test_editing_a_visit_is_one_rule_for_the_page_the_link_and_the_queryset(
    personas, leader, other_leader
):
    mine = VisitFactory(leader=leader.person)
    theirs = VisitFactory(leader=other_leader.person, companions=[leader.person])
    for name, user in personas.items():
        roles = roles_for(user)
        editable = set(Visit.objects.editable_by(roles).values_list("pk", flat=True))
        for visit in (mine, theirs):
            assert allows("activities.edit_visit", roles, visit) == (visit.pk in editable), name
    leader_roles = roles_for(leader)
    assert allows("activities.edit_visit", leader_roles, mine)
    assert not allows("activities.edit_visit", leader_roles, theirs)
    with pytest.raises(PermissionDenied):
        require("activities.edit_visit", leader_roles, theirs)


@pytest.mark.django_db
def test_editing_a_proposal_is_one_rule_for_the_link_and_the_queryset(personas, leader):
    carried = ProposalFactory(carrier=leader.person)
    other = ProposalFactory()
    for name, user in personas.items():
        roles = roles_for(user)
        editable = set(Proposal.objects.editable_by(roles).values_list("pk", flat=True))
        for proposal in (carried, other):
            assert allows("activities.edit_proposal", roles, proposal) == (
                proposal.pk in editable
            ), name


@pytest.mark.django_db
def test_a_leader_acts_on_the_problems_they_own_or_heard_and_no_others(
    leader, other_leader, president, supervisor
):
    heard = ProblemFactory(visit=VisitFactory(leader=leader.person))
    owned = ProblemFactory(owner=leader.person)
    elsewhere = ProblemFactory(visit=VisitFactory(leader=other_leader.person))
    roles = roles_for(leader)
    assert allows("activities.act_on_problem", roles, heard)
    assert allows("activities.act_on_problem", roles, owned)
    assert not allows("activities.act_on_problem", roles, elsewhere)
    assert allows("activities.act_on_problem", roles_for(president), elsewhere)
    assert not allows("activities.act_on_problem", roles_for(supervisor), heard)
    assert Problem.objects.count() == 3


# --- The sources use the vocabulary ----------------------------------------------------------

ROOT = Path(settings.BASE_DIR)
APP_DIRS = (
    "core",
    "members",
    "chamber",
    "activities",
    "charity",
    "notices",
    "development",
    "dues",
    "reports",
)
RULE_USE = re.compile(
    r"""(?:\brule\s*=\s*|rule_required\(\s*|\ballows\(\s*|\brequire\(\s*|\bmay:"""
    r"""|\b(?:view|export)_rules\s*=\s*[\[(]\s*)["']([^"']+)["']"""
)


def python_sources():
    for app in APP_DIRS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def template_sources():
    yield from sorted((ROOT / "templates").rglob("*.html"))


def rule_uses() -> dict[str, list[str]]:
    uses = {}
    for path in [*python_sources(), *template_sources()]:
        for name in RULE_USE.findall(path.read_text(encoding="utf-8")):
            uses.setdefault(name, []).append(str(path.relative_to(ROOT)))
    return uses


def test_every_rule_named_in_code_and_templates_is_registered():
    uses = rule_uses()
    assert len(uses) > 20, "the scan found too few rules: is RULE_USE still right?"
    unknown = {name: paths for name, paths in uses.items() if name not in RULES}
    assert unknown == {}


def test_every_registered_rule_is_asked_somewhere():
    uses = rule_uses()
    assert [name for name in RULES if name not in uses] == []


def view_modules():
    return [path for path in python_sources() if re.match(r"(.*_)?views\.py$", path.name)]


def test_no_view_checks_roles_through_the_old_idioms():
    """Views name a rule (``rule = …``, ``@rule_required``, ``require(…)``): no
    ``roles_allow`` override, no ``has_perm``, no ``raise PermissionDenied`` of their own
    unless marked as not being a role check (e.g. an action not on offer in this state)."""
    views = set(view_modules())
    assert views, "no view module found"
    found = []
    for path in python_sources():
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, 1):
            where = f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
            if re.search(r"def roles_allow\b|class \w*StaffOnly\w*|class RoleRequiredMixin", line):
                found.append(where)
            if path not in views:
                continue
            if "has_perm(" in line:
                found.append(where)
            if re.search(r"raise PermissionDenied\b", line):
                if "Not a role check" not in "\n".join(lines[max(number - 4, 0) : number]):
                    found.append(where)
    assert found == []


def test_the_old_permission_modules_are_gone():
    assert not (ROOT / "activities" / "permissions.py").exists()
    assert not (ROOT / "members" / "permissions.py").exists()


def test_a_second_rule_under_a_taken_name_is_refused_and_the_first_kept(monkeypatch):
    import core.rules

    monkeypatch.setattr(core.rules, "RULES", dict(RULES))  # the real registry stays as it is
    first = core.rules.RULES["members.see_directory"]
    with pytest.raises(ImproperlyConfigured):
        core.rules.rule("members.see_directory")(lambda roles: True)
    assert core.rules.RULES["members.see_directory"] is first
    assert core.rules.rule("members.see_directory")(first) is first  # the same one is fine
