"""Factories for visits, problems, proposals and the liaison table. Names are invented."""

import datetime

import factory
from django.utils import timezone

from activities.models import Assignment, Problem, ProblemEvent, Proposal, Visit
from tests.factories import CompanyFactory, PersonFactory, TermFactory


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    term = factory.SubFactory(TermFactory)
    leader = factory.SubFactory(PersonFactory)
    company = factory.SubFactory(CompanyFactory)


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Visit
        skip_postgeneration_save = True

    company = factory.SubFactory(CompanyFactory)
    visited_on = factory.LazyFunction(timezone.localdate)
    leader = factory.SubFactory(PersonFactory)
    summary = "与企业负责人座谈，了解生产经营情况。"

    @factory.post_generation
    def companions(self, create, extracted, **kwargs):
        if create and extracted:
            self.companions.set(extracted)


class ProblemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Problem
        skip_postgeneration_save = True

    visit = factory.SubFactory(VisitFactory)
    company = factory.LazyAttribute(lambda p: p.visit.company if p.visit else CompanyFactory())
    category = Problem.Category.FINANCING
    description = "企业扩产需要流动资金，希望对接合作银行。"
    raised_on = factory.LazyAttribute(
        lambda p: p.visit.visited_on if p.visit else timezone.localdate()
    )
    owner = factory.LazyAttribute(lambda p: p.visit.leader if p.visit else None)
    due_on = factory.LazyAttribute(lambda p: p.raised_on + datetime.timedelta(days=30))

    @factory.post_generation
    def raised(self, create, extracted, **kwargs):
        if create:
            ProblemEvent.objects.create(
                problem=self, kind=ProblemEvent.Kind.RAISED, to_status=Problem.Status.OPEN
            )


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proposal

    title = factory.Sequence(lambda n: f"关于优化企业服务的建议（{n}）")
    session = "青浦区政协十五届三次会议"
    body = "建议在镇社区事务受理中心设立企业人才服务专窗。"
    carrier = factory.SubFactory(PersonFactory, is_cppcc_member=True)
