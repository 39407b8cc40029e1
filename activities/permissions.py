"""Who may do what with visits, problems and proposals, from the roles on ``request.roles``.

What a person may *see* is decided by the querysets (``Visit.objects.visible_to(roles)`` …);
these say what they may *do*. Supervisors see everything and change nothing.
"""


def logs_visits(roles) -> bool:
    """Leaders log their visits; the secretariat logs visits for them."""
    return roles.is_leader or roles.is_secretariat


def sees_visits(roles) -> bool:
    return roles.is_leader or roles.sees_everything


def sees_compliance(roles) -> bool:
    """The compliance board: the president, the secretariat and supervisors."""
    return roles.sees_everything


def edits_everything(roles) -> bool:
    """The secretariat and the president edit every visit, problem and proposal."""
    return roles.is_secretariat or roles.is_president


def acts_on_problem(roles, problem) -> bool:
    """Moves a problem on: the secretariat and the president, its owner, and the leader who
    heard it on their visit."""
    if edits_everything(roles):
        return True
    person = roles.person
    if not roles.is_leader or person is None:
        return False
    if problem.owner_id == person.pk:
        return True
    return problem.visit_id is not None and problem.visit.leader_id == person.pk


def assigns_problems(roles) -> bool:
    """Changes a problem's owner or due date."""
    return edits_everything(roles)


def is_company_of(roles, problem) -> bool:
    return roles.is_member and roles.company is not None and roles.company.pk == problem.company_id


def carries_proposals(roles) -> bool:
    """A leader who is a CPPCC member or a People's Congress deputy."""
    return roles.is_leader and roles.person is not None and roles.person.can_carry_proposals
