import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from activities.models import Event, Problem, Proposal, Registration
from chamber.models import DocumentVersion
from charity.models import Donation
from members.models import Prospect

from ..activities.events.factories import EventFactory, RegistrationFactory
from ..activities.visits.factories import ProblemFactory, ProposalFactory, VisitFactory
from ..charity.factories import DonationFactory
from ..factories import (
    CompanyFactory,
    DocumentFactory,
    HonorFactory,
    PersonFactory,
    ProspectFactory,
)

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def at(year, month, day, hour=14):
    return datetime.datetime(year, month, day, hour, tzinfo=SHANGHAI)


@pytest.fixture
def year():
    """Last year: every month of it is over, so every month is due."""
    return timezone.localdate().year - 1


def build_chamber(year, *, president, leader, scale=1):
    """A small chamber's year of records; ``scale`` repeats the noise (records of other
    years, cancelled events…) so that query counts can be compared on more data."""
    a, b = CompanyFactory(), CompanyFactory()
    VisitFactory(leader=leader, company=a, visited_on=datetime.date(year, 1, 5))
    VisitFactory(leader=leader, company=b, visited_on=datetime.date(year, 1, 6))
    VisitFactory(
        leader=president, company=a, visited_on=datetime.date(year, 1, 7), companions=[leader]
    )
    VisitFactory(leader=leader, company=a, visited_on=datetime.date(year, 2, 3))

    raised = datetime.date(year, 3, 1)
    ProblemFactory(
        visit=None,
        company=a,
        raised_on=raised,
        status=Problem.Status.SOLVED,
        resolution="已对接银行",
        resolved_on=raised + datetime.timedelta(days=10),
    )
    ProblemFactory(
        visit=None,
        company=b,
        raised_on=raised,
        status=Problem.Status.SOLVED,
        resolution="已协调",
        resolved_on=raised + datetime.timedelta(days=45),
    )
    ProblemFactory(visit=None, company=a, raised_on=raised)
    submitted = ProposalFactory(
        status=Proposal.Status.SUBMITTED, submitted_on=datetime.date(year, 1, 20)
    )
    ProblemFactory(
        visit=None,
        company=b,
        raised_on=raised,
        status=Problem.Status.PROPOSAL,
        proposal=submitted,
    )
    ProposalFactory()  # a draft
    ProposalFactory(status=Proposal.Status.SUBMITTED, submitted_on=datetime.date(year - 1, 5, 1))

    party = EventFactory(kind=Event.Kind.PARTY, starts_at=at(year, 4, 1))
    for _ in range(3):
        RegistrationFactory(event=party, checked_in_at=at(year, 4, 1, 13))
    RegistrationFactory(event=party)  # signed up, did not come
    RegistrationFactory(event=party, status=Registration.Status.CANCELLED)
    EventFactory(kind=Event.Kind.PARTY, starts_at=at(year, 7, 1))
    policy = EventFactory(kind=Event.Kind.POLICY, starts_at=at(year, 5, 1))
    RegistrationFactory(event=policy, checked_in_at=at(year, 5, 1, 13))
    EventFactory(kind=Event.Kind.EDUCATION, starts_at=at(year, 6, 1))
    EventFactory(kind=Event.Kind.SHARING, starts_at=at(year, 3, 20))
    EventFactory(kind=Event.Kind.SHARING, starts_at=at(year, 9, 20))
    EventFactory(
        kind=Event.Kind.OTHER, audience=Event.Audience.LEADERSHIP, starts_at=at(year, 2, 10)
    )

    joined = CompanyFactory(member_since=datetime.date(year, 6, 1))
    CompanyFactory(member_since=datetime.date(year, 8, 1))
    ProspectFactory(stage=Prospect.Stage.JOINED, converted_company=joined, owner=leader)

    DonationFactory(company=a, amount=Decimal("10000.00"), donated_on=datetime.date(year, 4, 1))
    DonationFactory(company=b, amount=Decimal("5000.50"), donated_on=datetime.date(year, 9, 9))
    DonationFactory(
        company=a,
        amount=Decimal("9999.00"),
        donated_on=datetime.date(year, 10, 1),
        status=Donation.Status.PLEDGED,
    )

    rule = DocumentFactory()
    DocumentVersion.objects.create(
        document=rule, label="2", body="修订稿", published_at=at(year, 3, 3)
    )
    HonorFactory(year=year, company=None)
    HonorFactory(year=year, company=a)

    for n in range(scale):
        # Noise: other years, cancelled events, people who are not leaders.
        someone = PersonFactory()
        VisitFactory(leader=someone, company=a, visited_on=datetime.date(year - 1, 3, 1 + n % 27))
        EventFactory(kind=Event.Kind.PARTY, starts_at=at(year, 10, 1 + n % 27), is_cancelled=True)
        EventFactory(kind=Event.Kind.PARTY, starts_at=at(year - 1, 10, 1 + n % 27))
        ProblemFactory(visit=None, company=b, raised_on=datetime.date(year - 1, 5, 1))
        DonationFactory(company=b, donated_on=datetime.date(year - 1, 2, 2))
        CompanyFactory(member_since=datetime.date(year - 1, 1, 1))


@pytest.fixture
def chamber(year, president, leader, secretary, supervisor, member, other_leader):
    build_chamber(year, president=president.person, leader=leader.person)
    return year
