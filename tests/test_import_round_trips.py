"""Export → import changes nothing: for each import (companies, people, events, the liaison
table, donations), the file the admin exports goes back through the admin's check and
confirm, every row is unchanged, and no record or history entry is written."""

import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from activities.models import Event
from charity.models import Donation
from members.models import Company
from tests.activities.events.factories import EventFactory
from tests.activities.visits.factories import AssignmentFactory
from tests.charity.factories import CampaignFactory, DonationFactory, PairingFactory
from tests.factories import CompanyFactory, PersonFactory

pytestmark = pytest.mark.django_db

# The admin, the list's filter that shows every record, and the models whose rows and history
# must stay as they were.
IMPORTS = {
    "members_company": ("?status=all", ["members.Company", "members.Person"]),
    "members_person": ("", ["members.Company", "members.Person"]),
    "activities_event": ("?when=all", ["activities.Event"]),
    "activities_assignment": ("", ["activities.Assignment"]),
    "charity_donation": ("", ["charity.Donation"]),
}


@pytest.fixture
def records(leader, other_leader, term):
    """A little of everything, with the values that are easy to lose on the way: empty cells,
    a formula-like name, full-width brackets, a company without a credit code, a left
    company, a yearly event without a limit, a gift in kind to a pairing."""
    first = CompanyFactory(
        name="麦迪睿医疗科技（上海）有限公司", tier=Company.Tier.VICE_PRESIDENT, address=""
    )
    formula = CompanyFactory(name="=上海公式有限公司", credit_code="", member_since=None)
    left = CompanyFactory(name="上海退会企业有限公司", status=Company.Status.LEFT)
    PersonFactory(company=first, name="李梅", is_main_contact=True, political_title="政协委员")
    PersonFactory(company=first, name="王建国", title="", mobile="", email="")
    PersonFactory(company=formula, name="+张三", is_main_contact=True)
    PersonFactory(company=left, name="赵六")
    EventFactory(title="=1+1 公式样的标题", capacity=None, recurrence=Event.Recurrence.YEARLY)
    EventFactory(title="季度例会", kind=Event.Kind.SHARING, capacity=80, partners="")
    AssignmentFactory(term=term, leader=leader.person, company=first)
    AssignmentFactory(term=term, leader=other_leader.person, company=first)
    AssignmentFactory(term=term, leader=leader.person, company=formula)
    DonationFactory(company=first, campaign=CampaignFactory(name="重阳敬老募捐"))
    DonationFactory(
        company=formula,
        campaign=None,
        pairing=PairingFactory(companies=[formula]),
        form=Donation.Form.IN_KIND,
        goods="图书50册",
        amount=Decimal("0.01"),
        status=Donation.Status.PLEDGED,
        donated_on=datetime.date(2018, 3, 1),
        notes="=备注",
    )


def state(labels):
    """Every row of the models, and of their history where they keep one."""
    tables = {}
    for label in labels:
        model = apps.get_model(label)
        tables[label] = list(model.objects.order_by("pk").values())
        if hasattr(model, "history"):
            tables[f"{label} history"] = model.history.count()
    return tables


@pytest.mark.parametrize("admin", IMPORTS)
def test_an_exported_file_imports_back_through_the_admin_unchanged(
    client, secretary, records, admin
):
    query, labels = IMPORTS[admin]
    client.force_login(secretary)
    exported = client.post(
        reverse(f"admin:{admin}_export") + query, {"format": "0", "resource": "0"}
    )
    assert exported.status_code == 200
    before = state(labels)

    checked = client.post(
        reverse(f"admin:{admin}_import"),
        {
            "import_file": SimpleUploadedFile("exported.xlsx", exported.content),
            "format": "0",
            "resource": "0",
        },
    )
    assert checked.context.get("problems") == []
    result = checked.context["result"]
    assert result.totals["skip"] >= 2
    assert {row.import_type for row in result.valid_rows()} == {"skip"}
    done = client.post(
        reverse(f"admin:{admin}_process_import"),
        checked.context["confirm_form"].initial,
        follow=True,
    )

    assert done.redirect_chain[-1][0] == reverse(f"admin:{admin}_changelist")
    assert state(labels) == before
