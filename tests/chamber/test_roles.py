from chamber.roles import roles_for


def test_roles_follow_from_positions_company_and_groups(personas):
    roles = {name: roles_for(user) for name, user in personas.items()}
    assert roles["secretary"].is_secretariat and not roles["secretary"].is_leader
    assert roles["president"].is_president and roles["president"].is_leader
    assert roles["leader"].is_leader and not roles["leader"].is_president
    assert roles["other_leader"].is_leader
    assert roles["supervisor"].is_supervisor and not roles["supervisor"].sees_contacts
    assert roles["member"].is_member and not roles["member"].is_leader
    assert roles["outsider"].is_outsider and not roles["outsider"].sees_directory


def test_a_position_in_a_past_term_makes_no_leader(leader, term):
    term.starts_on = term.starts_on.replace(year=2001)
    term.ends_on = term.ends_on.replace(year=2005)
    term.save()
    assert not roles_for(leader).is_leader
