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


def _as_loaded_for_a_page(user):
    """The account as a page gets it: through the authentication backend."""
    from chamber.backends import AuthenticationBackend

    return AuthenticationBackend().get_user(user.pk)


def test_an_account_loaded_for_a_page_brings_its_roles_without_a_query(
    personas, django_assert_num_queries
):
    for name, user in personas.items():
        expected = roles_for(type(user).objects.get(pk=user.pk))
        loaded = _as_loaded_for_a_page(user)
        with django_assert_num_queries(0):
            roles = roles_for(loaded)
        assert roles == expected, name
        assert roles.is_member == expected.is_member and roles.company == expected.company


def test_the_roles_loaded_with_the_account_hold_several_groups_and_titles(personas, term):
    from django.contrib.auth.models import Group

    from chamber.models import SECRETARIAT_GROUP, SUPERVISORS_GROUP, Position
    from tests.factories import PositionFactory

    president = personas["president"]
    president.groups.add(
        Group.objects.get_or_create(name=SECRETARIAT_GROUP)[0],
        Group.objects.get_or_create(name=SUPERVISORS_GROUP)[0],
    )
    PositionFactory(person=president.person, term=term, title=Position.Title.EXECUTIVE)
    roles = roles_for(_as_loaded_for_a_page(president))
    assert roles.is_secretariat and roles.is_supervisor and roles.is_president
    assert {Position.Title.PRESIDENT, Position.Title.EXECUTIVE} <= roles.titles


def test_the_roles_loaded_with_the_account_leave_out_a_past_term(leader, term):
    term.starts_on = term.starts_on.replace(year=2001)
    term.ends_on = term.ends_on.replace(year=2005)
    term.save()
    roles = roles_for(_as_loaded_for_a_page(leader))
    assert not roles.is_leader and not roles.titles
