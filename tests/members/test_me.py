"""A member's own page, and the sections other apps add to it and to the home page."""

import pytest
from django.urls import reverse

from core.sections import Section, _registry, register_section


@pytest.fixture
def clean_registry():
    saved = dict(_registry)
    yield
    _registry.clear()
    _registry.update(saved)


def test_member_sees_their_company_and_its_people(client, member):
    client.force_login(member)
    response = client.get(reverse("members:me"))
    html = response.content.decode()
    assert response.status_code == 200
    assert member.person.company.name in html
    assert member.person.mobile in html  # their own company's record, contacts included


def test_secretary_without_a_company_has_no_member_page(client, secretary):
    client.force_login(secretary)
    assert client.get(reverse("members:me")).status_code == 403


def test_sections_registered_by_other_apps_appear_for_whom_they_apply(
    client, member, leader, clean_registry, tmp_path, settings
):
    template = tmp_path / "_probe.html"
    template.write_text("<p>probe for {{ section.who }}</p>")
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [*engine["DIRS"], tmp_path]}]

    def only_for_members_not_leading(request):
        if request.roles.is_leader:
            return None
        return {"who": request.roles.person.name}

    register_section(
        Section("me", "probe", 50, "_probe.html", get_context=only_for_members_not_leading)
    )
    register_section(
        Section("home", "probe", 50, "_probe.html", get_context=only_for_members_not_leading)
    )

    client.force_login(member)
    assert f"probe for {member.person.name}" in client.get(reverse("members:me")).content.decode()
    assert f"probe for {member.person.name}" in client.get(reverse("chamber:home")).content.decode()

    client.force_login(leader)
    assert "probe for" not in client.get(reverse("members:me")).content.decode()


def test_a_section_for_an_unknown_page_is_refused(clean_registry):
    with pytest.raises(ValueError):
        register_section(Section("nowhere", "x", 1, "x.html", get_context=lambda r: {}))


def test_member_page_query_count_is_small(client, member, django_assert_max_num_queries):
    client.force_login(member)
    # The first visit after a change renders the cached sections again and writes them to
    # the shared cache (with the database cache one statement each, core/cache.py; in a
    # test's transaction a savepoint around it; none with Redis).
    with django_assert_max_num_queries(15):
        client.get(reverse("members:me"))
    with django_assert_max_num_queries(6):  # the session, the roles, the cache, the feed
        client.get(reverse("members:me"))


# ---------- The page's order (phone lane) ----------


def test_raising_a_problem_comes_before_the_sign_ups_and_the_calendar_box(client, member):
    client.force_login(member)
    html = client.get(reverse("members:me")).content.decode()
    raise_link = html.index(reverse("activities:problem_raise"))
    assert (
        raise_link < html.index('id="me-problems-heading"') < html.index('id="my-signups-heading"')
    )
    assert html.index('id="my-signups-heading"') < html.index('id="calendar-feed"')


def test_the_calendar_box_shows_kinds_in_chinese_not_codes(client, member):
    client.force_login(member)
    client.post(reverse("activities:calendar_feed_reset"), {"next": "/me/"})
    html = client.get(reverse("members:me")).content.decode()
    assert "types=party" not in html and "?types=" not in html
    assert 'value="policy"> 政策宣讲' in html
    assert "在浏览器打开" in html and "安卓手机" in html
