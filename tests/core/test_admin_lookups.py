"""The admin obeys the rules: no field a viewer may not see can be read through a URL filter,
a search, a column, a history page or an action, on any admin changelist.

The secrets are named here, apart from the admins' own declarations (``protected_fields``),
so that an admin that forgets one fails: people's mobiles and emails (members.see_contacts),
sensitive beneficiaries' names, details and guardians (charity.see_protected_names).
"""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib import admin
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from activities.models import Event, EventReminder, VisitReminder
from chamber.models import SUPERVISORS_GROUP, User
from charity.models import Beneficiary, Consent, UnmaskLog
from core.admin import RuleAdminMixin, RuleInlineMixin, protected_map
from members.models import Person, Prospect
from tests.activities.events.factories import EventFactory, RegistrationFactory
from tests.activities.visits.factories import AssignmentFactory, VisitFactory
from tests.charity.factories import ConsentFactory, DonationFactory, StudentFactory
from tests.factories import PersonFactory, ProspectFactory, UserFactory

pytestmark = pytest.mark.django_db

SECRETS = {
    Person: {"mobile", "email"},
    User: {"email"},
    EmailAddress: {"email"},
    Prospect: {"contact"},
    VisitReminder: {"email"},
    EventReminder: {"email"},
    Beneficiary: {"name", "details"},
    Consent: {"given_by"},
}
SUFFIXES = ["", "__startswith", "__regex", "__gte"]
REFUSED = 400  # DisallowedModelAdminLookup (403: the whole list is not for this persona)


def changelist_url(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def lookup_paths(model):
    """Every field of the model, and every concrete field one relation down."""
    for field in model._meta.get_fields():
        name = field.name
        yield model, name, None
        if field.is_relation and field.related_model is not None:
            for related in field.related_model._meta.concrete_fields:
                yield model, f"{name}__{related.name}", field.related_model


def touches_secret(model, path, related_model) -> bool:
    first, *rest = path.split("__")
    if first in SECRETS.get(model, ()):
        return True
    return bool(rest) and rest[0] in SECRETS.get(related_model, ())


@pytest.fixture
def reader(term):
    """A staff account in the supervisors' group, without a person behind it."""
    return UserFactory(username="reader", person=None, is_staff=True, groups=[SUPERVISORS_GROUP])


@pytest.fixture
def world(secretary):
    """A row of every kind an admin lists, with values a filter could spell out."""
    minor = StudentFactory(name="王小明", details="父母离异，随祖母生活")
    ConsentFactory(beneficiary=minor, given_by="王家长")
    StudentFactory(name="赵小红")
    DonationFactory()
    shown = PersonFactory(name="孙悦", mobile="13811112222", email="sun@example.com")
    PersonFactory(name="钱进", mobile="13900001111", email="qian@example.com")
    ProspectFactory(contact="周经理 13700001234")
    event = EventFactory()
    registration = RegistrationFactory(event=event, person=shown)
    EventReminder.objects.create(event=event, person=shown, email="sun@example.com")
    VisitReminder.objects.create(
        leader=shown,
        month=timezone.localdate().replace(day=1),
        visits_done=0,
        email="sun@example.com",
    )
    VisitFactory(leader=shown)
    AssignmentFactory(leader=shown)
    EmailAddress.objects.create(user=secretary, email="secretary@example.com", verified=True)
    return {"minor": minor, "person": shown, "registration": registration}


# --- The base is everywhere ----------------------------------------------------------------


def test_every_admin_and_inline_stands_on_the_rule_base():
    """The mixin comes first, before bases whose permission methods do not call super()."""
    checked = ["lookup_allowed", "get_actions", "has_import_permission", "has_export_permission"]
    for model, model_admin in admin.site._registry.items():
        assert isinstance(model_admin, RuleAdminMixin), model
        for name in checked:
            owner = next(k for k in type(model_admin).__mro__ if name in vars(k))
            assert issubclass(owner, RuleAdminMixin), (model, name, owner)
        for inline in model_admin.inlines:
            assert issubclass(inline, RuleInlineMixin), inline


def test_every_secret_is_declared_by_its_admin():
    declared = protected_map()
    for model, fields in SECRETS.items():
        assert fields <= set(declared.get(model, {})), model


# --- The generic walk -------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["supervisor", "reader"])
def test_no_lookup_touching_a_secret_answers_below_the_secretariat(client, request, persona, world):
    client.force_login(request.getfixturevalue(persona))
    answered = []
    for model in admin.site._registry:
        url = changelist_url(model)
        for model_, path, related_model in lookup_paths(model):
            if not touches_secret(model_, path, related_model):
                continue
            for suffix in SUFFIXES:
                value = "^138" if suffix == "__regex" else "138"
                response = client.get(url, {path + suffix: value})
                if response.status_code not in (REFUSED, 403):
                    answered.append((url, path + suffix, response.status_code))
    assert answered == []


@pytest.mark.parametrize("persona", ["supervisor", "reader"])
def test_below_the_secretariat_only_the_filters_a_page_offers_are_allowed(
    rf, request, persona, world
):
    """An allow-list: no free text lookup (startswith, regex) on any field of any model."""
    user = request.getfixturevalue(persona)
    http = rf.get("/admin/")
    http.user = user
    from chamber.roles import roles_for

    http.roles = roles_for(user)
    allowed = []
    for model, model_admin in admin.site._registry.items():
        for _model, path, _related in lookup_paths(model):
            for suffix in ("__startswith", "__regex", "__contains"):
                if model_admin.lookup_allowed(path + suffix, "1", http):
                    allowed.append((model._meta.label, path + suffix))
    assert allowed == []


@pytest.mark.parametrize("persona", ["secretary", "supervisor", "reader"])
def test_every_filter_a_changelist_offers_answers(client, request, persona, world):
    client.force_login(request.getfixturevalue(persona))
    refused, followed = [], 0
    for model in admin.site._registry:
        url = changelist_url(model)
        page = client.get(url)
        if page.status_code == 403:
            continue
        assert page.status_code == 200, url
        sidebar = re.search(
            r'<nav id="changelist-filter".*?</nav>', page.content.decode(), re.S
        ) or re.search(r'class="xfull".*?</div>', page.content.decode(), re.S)
        links = re.findall(r'href="(\?[^"]*)"', sidebar.group(0)) if sidebar else []
        # One link of each filter (the same parameters): the page's own lookups, not its data.
        kinds = {}
        for link in links:
            keys = frozenset(re.findall(r"[?&](?:amp;)?([^=&]+)=", link))
            kinds.setdefault(keys, link)
        for link in kinds.values():
            followed += 1
            response = client.get(url + link.replace("&amp;", "&"))
            if response.status_code != 200:
                refused.append((url + link, response.status_code))
    assert refused == []
    assert followed > 40


def test_the_secretary_keeps_djangos_lookups_on_her_own_records(client, secretary, world):
    client.force_login(secretary)
    people = client.get(changelist_url(Person), {"mobile__startswith": "1381111"})
    assert people.status_code == 200
    html = people.content.decode()
    assert "孙悦" in html and "钱进" not in html
    students = client.get(changelist_url(Beneficiary), {"name__startswith": "王"})
    assert students.status_code == 200
    assert [row.name for row in students.context["cl"].result_list] == ["王小明"]
    # A list narrowed by a sensitive name tells that name: logged as an unmasked read.
    log = UnmaskLog.objects.get()
    assert (log.user, log.beneficiary, log.where) == (
        secretary,
        world["minor"],
        changelist_url(Beneficiary) + "?name__startswith=%E7%8E%8B",
    )
    client.get(changelist_url(Beneficiary), {"kind__exact": "student"})
    assert UnmaskLog.objects.count() == 1


# --- The reproductions, as the supervisor ---------------------------------------------------


@pytest.mark.parametrize(
    "lookup",
    [
        {"name__startswith": "王"},
        {"name__gte": "王"},
        {"name__regex": "^王小"},
        {"details__contains": "离异"},
    ],
)
def test_the_supervisor_cannot_spell_out_a_minors_name(client, supervisor, world, lookup):
    client.force_login(supervisor)
    response = client.get(changelist_url(Beneficiary), lookup)
    assert response.status_code == REFUSED
    assert "王小明" not in response.content.decode()
    assert not UnmaskLog.objects.exists()


def test_a_refused_lookup_says_why_in_chinese(client, supervisor, world):
    client.force_login(supervisor)
    response = client.get(changelist_url(Beneficiary), {"name__startswith": "王"})
    assert response.status_code == REFUSED
    assert "无法处理此请求" in response.content.decode()


def test_the_supervisor_cannot_spell_out_a_guardian(client, supervisor, world):
    client.force_login(supervisor)
    response = client.get(changelist_url(Consent), {"given_by__startswith": "王"})
    assert response.status_code == REFUSED


def test_the_supervisor_cannot_spell_out_a_mobile(client, supervisor, world):
    client.force_login(supervisor)
    for lookup in ({"mobile__startswith": "138"}, {"email__startswith": "sun"}):
        assert client.get(changelist_url(Person), lookup).status_code == REFUSED
    for url, lookup in [
        (changelist_url(User), {"person__mobile__startswith": "138"}),
        (changelist_url(User), {"email__startswith": "sec"}),
        (changelist_url(VisitReminder), {"email__startswith": "sun"}),
        (changelist_url(VisitReminder), {"leader__mobile__startswith": "138"}),
    ]:
        assert client.get(url, lookup).status_code == REFUSED


def test_the_supervisors_search_does_not_match_mobiles_or_emails(client, supervisor, world):
    client.force_login(supervisor)
    for url, term in [
        (changelist_url(Person), "13811112222"),
        (changelist_url(Person), "sun@example.com"),
        (changelist_url(User), "secretary@example.com"),
        (changelist_url(VisitReminder), "sun@example.com"),
        (changelist_url(EventReminder), "sun@example.com"),
    ]:
        response = client.get(url, {"q": term})
        assert response.status_code == 200
        assert "孙悦" not in response.content.decode(), url
        assert "秘书长甲" not in response.content.decode(), url


def test_the_supervisor_cannot_sort_sensitive_names(client, supervisor, world):
    client.force_login(supervisor)
    orders = [
        [
            row.pk
            for row in client.get(changelist_url(Beneficiary), {"o": o}).context["cl"].result_list
        ]
        for o in ("0", "-0")
    ]
    assert orders[0] == orders[1]


def test_the_person_history_shows_the_supervisor_no_mobile_or_email(
    client, supervisor, secretary, world
):
    person = world["person"]
    person.mobile, person.email = "13655556666", "sun.yue@example.com"
    person.save()
    url = reverse("admin:members_person_history", args=[person.pk])
    client.force_login(supervisor)
    html = client.get(url).content.decode()
    for value in ("13811112222", "13655556666", "sun@example.com", "sun.yue@example.com"):
        assert value not in html
    assert "***" in html
    old = person.history.order_by("history_date").first()
    page = client.get(
        reverse("admin:members_person_simple_history", args=[person.pk, old.history_id])
    )
    assert page.status_code == 200
    assert "13811112222" not in page.content.decode()
    assert "sun@example.com" not in page.content.decode()
    client.force_login(secretary)
    html = client.get(url).content.decode()
    assert "13811112222" in html and "13655556666" in html


def test_the_user_list_shows_the_supervisor_no_email(client, supervisor, secretary):
    client.force_login(supervisor)
    html = client.get(changelist_url(User)).content.decode()
    assert "secretary@example.com" not in html and "秘书长甲" in html
    page = client.get(reverse("admin:chamber_user_change", args=[secretary.pk]))
    assert page.status_code == 200 and "secretary@example.com" not in page.content.decode()
    client.force_login(secretary)
    assert "secretary@example.com" in client.get(changelist_url(User)).content.decode()


def test_the_email_addresses_are_not_for_the_supervisor(client, supervisor, world):
    client.force_login(supervisor)
    assert client.get(changelist_url(EmailAddress)).status_code == 403


@pytest.mark.parametrize("model", [VisitReminder, EventReminder])
def test_the_reminder_lists_show_the_supervisor_no_email(
    client, supervisor, secretary, world, model
):
    client.force_login(supervisor)
    html = client.get(changelist_url(model)).content.decode()
    assert "孙悦" in html and "sun@example.com" not in html
    client.force_login(secretary)
    assert "sun@example.com" in client.get(changelist_url(model)).content.decode()


def test_the_sensitive_beneficiarys_history_stays_masked_and_the_form_logs(
    client, supervisor, secretary, world
):
    minor = world["minor"]
    minor.name = "王小亮"
    minor.save()
    client.force_login(supervisor)
    html = client.get(reverse("admin:charity_beneficiary_history", args=[minor.pk])).content
    assert "王小明" not in html.decode() and "王小亮" not in html.decode()
    assert not UnmaskLog.objects.exists()
    client.force_login(secretary)
    client.get(reverse("admin:charity_beneficiary_change", args=[minor.pk]))
    assert UnmaskLog.objects.filter(user=secretary, beneficiary=minor).exists()


# --- Readers stay readers ---------------------------------------------------------------------


def test_the_supervisor_is_offered_no_action_anywhere(rf, supervisor):
    from chamber.roles import roles_for

    http = rf.get("/admin/")
    http.user, http.roles = supervisor, roles_for(supervisor)
    for model, model_admin in admin.site._registry.items():
        assert model_admin.get_actions(http) == {}, model


def test_the_supervisor_posting_an_action_sends_nothing(client, supervisor, world):
    client.force_login(supervisor)
    person = world["person"]
    client.post(
        changelist_url(Person),
        {"action": "invite_to_log_in", "_selected_action": [person.pk]},
    )
    client.post(
        reverse("admin:chamber_user_changelist"),
        {"action": "send_password_set_link", "_selected_action": [supervisor.pk]},
    )
    assert mail.outbox == []
    assert not User.objects.filter(person=person).exists()


@pytest.mark.parametrize(
    "name",
    [
        "admin:members_company_import",
        "admin:activities_assignment_import",
        "admin:activities_event_import",
        "admin:charity_donation_import",
    ],
)
def test_the_supervisor_cannot_open_an_import(client, supervisor, name):
    client.force_login(supervisor)
    assert client.get(reverse(name)).status_code == 403


def test_the_supervisor_cannot_export_sign_ups_with_mobiles(client, supervisor, world):
    client.force_login(supervisor)
    assert client.get(reverse("admin:activities_registration_export")).status_code == 403


# --- The admin 500s -----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["secretary", "supervisor"])
def test_a_donation_year_no_date_can_hold_shows_the_whole_list(client, request, persona, world):
    client.force_login(request.getfixturevalue(persona))
    for year in ("0", "99999999999999999999", "٢٠٢٥", "²"):
        response = client.get(changelist_url(DonationFactory._meta.model), {"year": year})
        assert response.status_code == 200


@pytest.mark.parametrize("persona", ["secretary", "supervisor"])
@pytest.mark.parametrize(
    "model, lookup",
    [(Event, "starts_at__year"), (RegistrationFactory._meta.model, "event__starts_at__year")],
)
def test_a_20_digit_year_in_the_date_hierarchy_is_an_invalid_filter(
    client, request, persona, world, model, lookup
):
    client.force_login(request.getfixturevalue(persona))
    url = changelist_url(model)
    for year in ("99999999999999999999", "0", "9999"):
        response = client.get(url, {lookup: year})
        assert response.status_code in (200, 302), year
        if response.status_code == 302:
            assert response["Location"] == url + "?e=1"
    page = client.get(url + "?e=1")
    assert page.status_code == 200
    shown = [str(message) for message in page.context["messages"]]
    assert gettext("That filter cannot be applied: the whole list is shown.") in shown


def test_a_year_in_range_still_filters(client, secretary, world):
    client.force_login(secretary)
    year = timezone.localtime(world["registration"].event.starts_at).year
    response = client.get(changelist_url(Event), {"starts_at__year": year, "when": "all"})
    assert response.status_code == 200
    assert world["registration"].event.title in response.content.decode()


def test_the_supervisors_autocomplete_does_not_match_mobiles(client, supervisor, world):
    client.force_login(supervisor)
    url = reverse("admin:autocomplete")
    query = {"app_label": "activities", "model_name": "registration", "field_name": "person"}
    by_mobile = client.get(url, {**query, "term": "13811112222"}).json()
    assert by_mobile["results"] == []
    by_name = client.get(url, {**query, "term": "孙悦"}).json()
    assert [row["text"] for row in by_name["results"]] == [str(world["person"])]
