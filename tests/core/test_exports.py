"""Formula escaping: text that a spreadsheet would run (=HYPERLINK(…) in a name or a comment)
is written as text by core.exports.safe_cell, in every xlsx export of the app and the admin."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from activities.models import Event
from charity.models import Donation
from core.exports import safe_cell, unescape_cell
from tests.activities.events.factories import EventFactory, RegistrationFactory
from tests.activities.visits.factories import AssignmentFactory, ProblemFactory
from tests.charity.factories import DonationFactory, VillageFactory
from tests.factories import CompanyFactory, PersonFactory

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://x","y")'


@pytest.mark.parametrize(
    "value",
    [FORMULA, "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "  =1+1", " @x", "'=1", "''+1"],
)
def test_text_a_spreadsheet_would_run_gets_an_apostrophe_and_comes_back(value):
    written = safe_cell(value)
    assert written == "'" + value
    assert unescape_cell(written) == value


@pytest.mark.parametrize("value", ["王丽", "", "'quoted", "a=b", 3, 8.5, None, "1-2"])
def test_anything_else_is_written_as_it_is(value):
    assert safe_cell(value) == value
    if isinstance(value, str):
        assert unescape_cell(value) == value


def assert_written_as_text(content: bytes) -> None:
    workbook = load_workbook(io.BytesIO(content))
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert any(cell.value == "'" + FORMULA and cell.data_type == "s" for cell in cells)


def test_the_problem_ledger_export(client, secretary):
    ProblemFactory(description=FORMULA)
    client.force_login(secretary)
    assert_written_as_text(client.get(reverse("activities:problem_export")).content)


def test_the_visit_compliance_export(client, secretary, leader):
    leader.person.name = FORMULA
    leader.person.save()
    client.force_login(secretary)
    assert_written_as_text(client.get(reverse("activities:visit_compliance_export")).content)


def export(client, name, query=""):
    return client.post(reverse(name) + query, {"format": "0", "resource": "0"}).content


def test_the_admins_company_export(client, secretary):
    CompanyFactory(name=FORMULA)
    client.force_login(secretary)
    assert_written_as_text(export(client, "admin:members_company_export", "?status=all"))


def test_the_admins_assignment_export(client, secretary, term, leader):
    AssignmentFactory(term=term, leader=leader.person, company=CompanyFactory(name=FORMULA))
    client.force_login(secretary)
    assert_written_as_text(export(client, "admin:activities_assignment_export"))


def test_the_admins_event_and_sign_up_exports(client, secretary):
    event = EventFactory(title=FORMULA)
    RegistrationFactory(event=event, person=PersonFactory(name=FORMULA))
    client.force_login(secretary)
    assert_written_as_text(export(client, "admin:activities_event_export", "?when=all"))
    signed_up = client.post(
        reverse("admin:activities_event_changelist") + "?when=all",
        {"action": "export_sign_ups", "_selected_action": [event.pk]},
    )
    assert_written_as_text(signed_up.content)
    assert Event.objects.count() == 1


def test_the_admins_charity_exports(client, secretary):
    village = VillageFactory(name=FORMULA)
    DonationFactory(company=CompanyFactory(name=FORMULA))
    client.force_login(secretary)
    assert_written_as_text(export(client, "admin:charity_beneficiary_export"))
    assert_written_as_text(export(client, "admin:charity_donation_export"))
    assert village.pk and Donation.objects.count() == 1
