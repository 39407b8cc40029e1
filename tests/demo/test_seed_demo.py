"""``manage.py seed_demo`` loads the chamber the seed article describes, and only once."""

import datetime
import io
import re

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, Q
from django.utils import timezone

from chamber.models import Document, GroupMembership, Honor, Position, Term, User, WorkingGroup
from chamber.roles import roles_for
from demo import data
from members.models import Company, Person, Prospect
from members.validators import validate_credit_code, validate_mobile

ARTICLE_COMPANIES = [
    "虹泾投资",
    "麦迪睿",
    "E通世界",
    "微格",
    "上好佳",
    "周黑鸭",
    "中昊针织",
    "德邦物流",
    "灿辉国际",
]


def seed_demo(**options) -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def demo_settings(settings):
    settings.DEBUG = True
    # Hashing the five demo passwords with the real hasher takes seconds per test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return settings


@pytest.fixture
def seeded(db, demo_settings):
    return seed_demo()


@pytest.fixture
def term(seeded):
    return Term.objects.current()


def test_the_current_term_is_in_force_today_and_follows_a_previous_one(term):
    today = timezone.localdate()
    assert term.starts_on <= today <= term.ends_on
    assert term.ends_on - term.starts_on > datetime.timedelta(days=4 * 365)
    previous = Term.objects.get(number=term.number - 1)
    assert previous.ends_on == term.starts_on - datetime.timedelta(days=1)
    assert previous.positions.filter(title=Position.Title.PRESIDENT).exists()


def test_the_terms_move_on_so_the_demo_never_runs_out_of_a_current_term():
    assert data.term_for(datetime.date(2026, 11, 28)) == (
        8,
        datetime.date(2024, 1, 1),
        datetime.date(2028, 12, 31),
    )
    number, starts_on, ends_on = data.term_for(datetime.date(2031, 3, 1))
    assert (number, starts_on, ends_on) == (
        9,
        datetime.date(2029, 1, 1),
        datetime.date(2033, 12, 31),
    )


def test_the_current_term_is_seated_as_the_article_says(term):
    seats = dict(
        Position.objects.filter(term=term)
        .values_list("title")
        .annotate(n=Count("pk"))
        .values_list("title", "n")
    )
    Title = Position.Title
    assert seats[Title.PRESIDENT] == 1
    assert seats[Title.EXECUTIVE_VICE_PRESIDENT] + seats[Title.VICE_PRESIDENT] == 16
    assert seats[Title.EXECUTIVE] == 7
    assert seats[Title.SECRETARY_GENERAL] == 1
    assert seats[Title.CHIEF_SUPERVISOR] == 1
    assert seats[Title.SUPERVISOR] == 2


def test_leaders_head_companies_of_the_matching_tier(term):
    tier_for = {
        Position.Title.PRESIDENT: Company.Tier.PRESIDENT,
        Position.Title.EXECUTIVE_VICE_PRESIDENT: Company.Tier.VICE_PRESIDENT,
        Position.Title.VICE_PRESIDENT: Company.Tier.VICE_PRESIDENT,
        Position.Title.EXECUTIVE: Company.Tier.EXECUTIVE,
    }
    leadership = Position.objects.filter(term=term, title__in=tier_for).select_related(
        "person__company"
    )
    assert leadership.count() == 24
    for position in leadership:
        assert position.person.company.tier == tier_for[position.title], position
    president = leadership.get(title=Position.Title.PRESIDENT).person
    assert (president.name, president.company.name) == ("连国旺", "虹泾投资")
    secretary_general = Position.objects.get(term=term, title=Position.Title.SECRETARY_GENERAL)
    assert secretary_general.person.company is None


def test_people_have_invented_names_and_valid_mobiles_and_emails(seeded):
    # The president the article names is the one real person, with no made-up mobile.
    real = Person.objects.filter(name__in=data.ARTICLE_PEOPLE)
    assert list(real.values_list("name", "mobile")) == [("连国旺", "")]
    for person in Person.objects.exclude(name__in=data.ARTICLE_PEOPLE):
        validate_mobile(person.mobile)
        assert person.email.endswith("@" + data.EMAIL_DOMAIN)
    assert Person.objects.values("mobile").distinct().count() == Person.objects.count()
    assert Person.objects.filter(is_cppcc_member=True).exclude(political_title="").count() >= 2
    assert Person.objects.filter(is_npc_deputy=True).exists()


def test_the_three_working_groups_have_their_members(term):
    groups = {group.kind: group for group in WorkingGroup.objects.all()}
    assert {group.name for group in groups.values()} == {
        "商会工作领导小组",
        "会员发展工作小组",
        "监事会",
    }
    assert all(group.description for group in groups.values())

    def seats(kind):
        return GroupMembership.objects.filter(group=groups[kind], term=term).select_related(
            "person__company"
        )

    Role = GroupMembership.Role
    leadership = seats(WorkingGroup.Kind.LEADERSHIP)
    president = Position.objects.get(term=term, title=Position.Title.PRESIDENT).person
    assert leadership.get(role=Role.LEAD).person == president
    assert leadership.filter(role=Role.DEPUTY).count() == 16
    assert leadership.filter(role=Role.MEMBER).count() == 7

    membership = seats(WorkingGroup.Kind.MEMBERSHIP)
    lead = membership.get(role=Role.LEAD).person
    assert lead.positions.filter(term=term, title=Position.Title.VICE_PRESIDENT).exists()
    managers = membership.filter(role=Role.MEMBER)
    assert managers.count() == 4
    for seat in managers:
        assert seat.person.title == "总经理"
        assert re.fullmatch(r"上海徐泾.+投资发展有限公司", seat.person.company.name)

    supervisory = seats(WorkingGroup.Kind.SUPERVISORY)
    assert (
        supervisory.get(role=Role.LEAD)
        .person.positions.filter(term=term, title=Position.Title.CHIEF_SUPERVISOR)
        .exists()
    )
    assert supervisory.filter(role=Role.MEMBER).count() == 2


def test_the_four_rules_are_published_with_their_articles(seeded):
    rules = {rule.kind: rule for rule in Document.objects.published()}
    assert set(rules) == {"charter", "work", "meeting", "liaison"}
    for rule in rules.values():
        assert rule.effective_on is not None
        assert len(re.findall(r"^第[一二三四五六七八九十]+条", rule.body, re.MULTILINE)) >= 8
    assert "班子成员联系走访企业制度" in rules["liaison"].body
    assert "按照联系服务表，每月至少走访2家会员企业" in rules["liaison"].body
    assert "每季度召开一次例会暨经验分享会" in rules["meeting"].body


def test_the_chambers_four_honors_come_from_the_right_bodies(seeded):
    honors = Honor.objects.filter(company=None)
    assert sorted((h.year, h.year_end, h.awarded_by) for h in honors) == [
        (2015, None, "上海市工商业联合会"),
        (2017, None, "上海市工商业联合会"),
        (2017, None, "上海市工商业联合会"),
        (2018, 2019, "中华全国工商业联合会"),
    ]
    assert honors.get(year=2018).title == "全国工商联“四好”商会"


def test_146_member_companies_are_active_including_those_the_article_names(seeded):
    active = Company.objects.active()
    assert active.count() == 146
    for name in ARTICLE_COMPANIES:
        assert active.filter(name__contains=name).count() == 1, name
    assert active.get(name__contains="虹泾投资").tier == Company.Tier.PRESIDENT
    assert active.get(name__contains="灿辉国际").tier == Company.Tier.VICE_PRESIDENT
    assert active.get(name__contains="德邦物流").industry == "logistics"
    assert active.filter(tags__name="上市企业", name__contains="德邦物流").exists()
    for name in ["麦迪睿", "E通世界", "微格"]:
        assert active.filter(tags__name="亿元楼", name__contains=name).exists(), name
    assert Company.objects.exclude(status=Company.Status.ACTIVE).count() <= 3


def test_companies_are_spread_over_the_chambers_years_and_live_in_xujing(seeded):
    # The article gives no date or address of the companies it names: none is made up.
    invented = Company.objects.exclude(name__in=data.ARTICLE_COMPANY_NAMES)
    years = {company.member_since.year for company in invented}
    assert min(years) <= 1998 and max(years) >= 2024
    assert len(years) > 20
    assert all(
        company.address.startswith("上海市青浦区徐泾镇") and company.profile for company in invented
    )
    assert Company.objects.exclude(party_organisation="none").filter(party_members__gt=0).exists()


def test_every_credit_code_is_valid_and_unique(seeded):
    blank = Company.objects.filter(credit_code="").values_list("name", flat=True)
    assert set(blank) == data.ARTICLE_COMPANY_NAMES  # real companies' codes are not made up
    codes = list(Company.objects.exclude(credit_code="").values_list("credit_code", flat=True))
    for code in codes:
        validate_credit_code(code)
    assert len(set(codes)) == len(codes)


def test_each_invented_company_has_exactly_one_main_contact(seeded):
    contacts = (
        Company.objects.exclude(name__in=data.ARTICLE_COMPANY_NAMES)
        .annotate(n=Count("people", filter=Q(people__is_main_contact=True)))
        .values_list("name", "n")
    )
    assert {name: n for name, n in contacts if n != 1} == {}


def test_the_membership_group_works_a_pipeline_of_prospects(seeded):
    group = WorkingGroup.objects.get(kind=WorkingGroup.Kind.MEMBERSHIP)
    owners = set(group.memberships.values_list("person", flat=True))
    prospects = Prospect.objects.all()
    assert prospects.count() >= 6
    assert {prospect.owner_id for prospect in prospects} <= owners
    assert len({prospect.stage for prospect in prospects}) >= 4
    joined = prospects.get(stage=Prospect.Stage.JOINED)
    assert joined.converted_company.is_active


@pytest.mark.parametrize(
    "username, has_role",
    [
        ("secretary", lambda roles: roles.is_secretariat and roles.company is None),
        ("president", lambda roles: roles.is_president),
        ("leader", lambda roles: roles.is_leader and roles.person.is_cppcc_member),
        ("supervisor", lambda roles: roles.is_supervisor),
        ("member", lambda roles: roles.is_member and not roles.is_leader),
    ],
)
def test_demo_logins_authenticate_and_have_their_roles(seeded, username, has_role):
    user = authenticate(username=username, password=data.DEMO_PASSWORD)
    assert user is not None
    assert user.person is not None
    assert has_role(roles_for(user))
    assert EmailAddress.objects.filter(
        user=user, email=user.email, primary=True, verified=True
    ).exists()
    assert username in seeded


def test_the_leader_login_is_a_vice_president_and_district_cppcc_member(seeded, term):
    user = authenticate(username="leader", password=data.DEMO_PASSWORD)
    assert user.person.positions.get(term=term).title == Position.Title.VICE_PRESIDENT
    assert user.person.political_title == "青浦区政协委员"


def test_only_the_secretary_and_the_supervisor_are_staff(seeded):
    staff = User.objects.filter(is_staff=True).values_list("username", flat=True)
    assert set(staff) == {"secretary", "supervisor"}
    assert not User.objects.filter(is_superuser=True).exists()


def test_a_second_run_changes_nothing(seeded):
    def counts():
        return {model._meta.label: model._default_manager.count() for model in apps.get_models()}

    before = counts()
    output = seed_demo()
    assert counts() == before
    assert " created" not in output and " updated" not in output


def test_it_refuses_to_run_with_debug_off_unless_forced(db, demo_settings):
    demo_settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        seed_demo()
    assert not Company.objects.exists()

    seed_demo(force=True)
    assert Company.objects.active().count() == 146


def test_applications_at_each_step_and_guests_with_company_places_are_demo_data(seeded):
    from activities.models import Event, Registration
    from demo.join import DEMO_MARK
    from development.models import Application

    applications = Application.objects.all()
    assert {a.status for a in applications} >= {
        "unconfirmed",
        "submitted",
        "recommended",
        "checked",
        "declined",
    }
    for application in applications:
        assert application.profile.startswith(DEMO_MARK)  # invented, and says so
        assert application.contact_email.endswith("@" + data.EMAIL_DOMAIN)
        validate_credit_code(application.credit_code)
        assert not Company.objects.filter(credit_code=application.credit_code).exists()
        assert (application.prospect_id is None) == (application.status == "unconfirmed")
    events = Event.objects.filter(places_per_company__isnull=False)
    assert events.exists()
    guests = Registration.objects.filter(is_guest=True, status="registered")
    assert guests.count() >= 2
    assert {guest.event_id for guest in guests} <= set(events.values_list("pk", flat=True))
    assert "unchanged" in seed_demo()  # a second run creates nothing new
    assert Application.objects.count() == applications.count()
