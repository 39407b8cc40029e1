"""Who may do what with visits, problems, proposals and events (see core.rules).

What a person may *see* of many records is decided by the querysets
(``Visit.objects.visible_to(roles)`` …), which ask the rules below whenever the answer is a
yes or no about the viewer. Supervisors see everything and change nothing.
"""

from core.rules import rule

# --- Visits ------------------------------------------------------------------------------


@rule("activities.see_visits")
def see_visits(roles) -> bool:
    """/visits/ and a visit's page: the leadership (their own), the president, the
    secretariat and supervisors."""
    return roles.is_leader or roles.sees_everything


@rule("activities.see_all_visits")
def see_all_visits(roles) -> bool:
    """Every visit of the chamber: the president, the secretariat and supervisors."""
    return roles.sees_everything


@rule("activities.log_visits")
def log_visits(roles) -> bool:
    """Log a visit: the leadership their own, the secretariat for a leader."""
    return roles.is_leader or roles.is_secretariat


@rule("activities.edit_all_records")
def edit_all_records(roles) -> bool:
    """Edit every visit, problem and proposal: the secretariat and the president."""
    return roles.is_secretariat or roles.is_president


@rule("activities.edit_visit")
def edit_visit(roles, visit=None) -> bool:
    """Edit a visit: the secretariat and the president any, a leader the visits they logged.
    Without a visit: whether the person edits visits at all (the leadership, the secretariat).

    ``Visit.objects.editable_by(roles)`` is this rule in SQL (tests/core/test_rules.py holds
    the two together)."""
    if visit is None:
        return log_visits(roles)
    if edit_all_records(roles):
        return True
    return roles.is_leader and roles.person is not None and visit.leader_id == roles.person.pk


@rule("activities.see_compliance")
def see_compliance(roles) -> bool:
    """The visit compliance board and its export: the president, the secretariat and
    supervisors."""
    return roles.sees_everything


# --- Problems ----------------------------------------------------------------------------


@rule("activities.see_problems")
def see_problems(roles) -> bool:
    """The problem ledger and a problem's page: the leadership (the problems they follow),
    the president, the secretariat and supervisors."""
    return roles.is_leader or roles.sees_everything


@rule("activities.see_all_problems")
def see_all_problems(roles) -> bool:
    """Every problem of the chamber: the president, the secretariat and supervisors."""
    return roles.sees_everything


@rule("activities.act_on_problem")
def act_on_problem(roles, problem=None) -> bool:
    """Move a problem on and add notes: the secretariat and the president, its owner, and the
    leader who heard it on their visit. Without a problem: whether the person may at all."""
    if edit_all_records(roles):
        return True
    person = roles.person
    if not roles.is_leader or person is None:
        return False
    if problem is None:
        return True
    if problem.owner_id == person.pk:
        return True
    return problem.visit_id is not None and problem.visit.leader_id == person.pk


@rule("activities.assign_problems")
def assign_problems(roles) -> bool:
    """Change a problem's owner or due date: the secretariat and the president."""
    return edit_all_records(roles)


@rule("activities.raise_problems")
def raise_problems(roles) -> bool:
    """Raise a problem directly (企业诉求直通车): people of an active member company."""
    return roles.is_member


@rule("activities.follow_company_problems")
def follow_company_problems(roles) -> bool:
    """Their own company's problems: see them on /me/ with the files sent, and confirm (销号)
    the solved ones: people of an active member company."""
    return roles.is_member


# --- Proposals ---------------------------------------------------------------------------


@rule("activities.see_proposals")
def see_proposals(roles) -> bool:
    """Proposals and motions: the leadership, the president, the secretariat and
    supervisors."""
    return roles.is_leader or roles.sees_everything


@rule("activities.carry_proposals")
def carry_proposals(roles) -> bool:
    """Turn problems into a proposal: a leader who is a CPPCC member or a People's Congress
    deputy."""
    return roles.is_leader and roles.person is not None and roles.person.can_carry_proposals


@rule("activities.edit_proposal")
def edit_proposal(roles, proposal=None) -> bool:
    """Edit a proposal: the secretariat and the president any, a leader those they carry.
    Without a proposal: whether the person edits proposals at all (the leadership, the
    secretariat). ``Proposal.objects.editable_by(roles)`` is this rule in SQL."""
    if proposal is None:
        return roles.is_leader or roles.is_secretariat
    if edit_all_records(roles):
        return True
    return roles.is_leader and roles.person is not None and proposal.carrier_id == roles.person.pk


# --- Events ------------------------------------------------------------------------------


@rule("activities.manage_events")
def manage_events(roles) -> bool:
    """Add and change events, show their check-in code and tick attendance at the door: the
    secretariat; they also see every event, whatever its audience."""
    return roles.is_secretariat


@rule("activities.see_attendance")
def see_attendance(roles) -> bool:
    """An event's attendance list and the participation figures: the president, the
    secretariat and supervisors (the president and supervisors only look)."""
    return roles.sees_everything


@rule("activities.sign_up_colleagues")
def sign_up_colleagues(roles) -> bool:
    """Sign up colleagues and guests for an event that gives member companies places: people
    of an active member company."""
    return roles.is_member
