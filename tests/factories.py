"""Factories for test data. Names and numbers are invented."""

import datetime

import factory
from django.contrib.auth.models import Group
from django.utils import timezone
from stdnum.cn import uscc

from chamber.models import (
    SECRETARIAT_GROUP,
    SUPERVISORS_GROUP,
    Document,
    GroupMembership,
    Honor,
    Position,
    Term,
    User,
    WorkingGroup,
)
from members.models import Company, CompanyChangeRequest, Person, Prospect, Tag

PASSWORD = "chamber-test-pw"


FACTORY_CODES_FROM = 50_000_000


def credit_code(n: int) -> str:
    """A valid, unique 统一社会信用代码 for the n-th test company."""
    body = f"913101186{n:08d}"[:17]
    return body + uscc.calc_check_digit(body)


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("name",)

    name = factory.Iterator(["上市企业", "亿元楼", "高新技术企业", "专精特新"])


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"上海徐泾测试{n}号实业有限公司")
    # Far from the small numbers tests write by hand (credit_code(1), credit_code(100 + n) …),
    # so a factory's company never takes a code a test's own row means to use.
    credit_code = factory.Sequence(lambda n: credit_code(FACTORY_CODES_FROM + n))
    industry = Company._meta.get_field("industry").default
    tier = Company.Tier.MEMBER
    status = Company.Status.ACTIVE
    member_since = datetime.date(2015, 3, 1)
    address = "上海市青浦区徐泾镇诸光路1588号"
    profile = "一家扎根徐泾的企业。"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"测试人{n}")
    company = factory.SubFactory(CompanyFactory)
    title = "总经理"
    mobile = factory.Sequence(lambda n: f"139{n:08d}")
    email = factory.Sequence(lambda n: f"person{n}@example.com")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    person = factory.SubFactory(PersonFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            for name in extracted:
                self.groups.add(Group.objects.get(name=name))
        if create:
            self.save()


class TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Term
        django_get_or_create = ("number",)

    number = 8
    starts_on = factory.LazyFunction(lambda: datetime.date(timezone.localdate().year - 1, 1, 1))
    ends_on = factory.LazyAttribute(lambda t: t.starts_on.replace(year=t.starts_on.year + 5))


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    person = factory.SubFactory(PersonFactory)
    term = factory.SubFactory(TermFactory)
    title = Position.Title.VICE_PRESIDENT


class WorkingGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkingGroup
        django_get_or_create = ("name",)

    name = "商会工作领导小组"
    kind = WorkingGroup.Kind.LEADERSHIP


class GroupMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupMembership

    group = factory.SubFactory(WorkingGroupFactory)
    person = factory.SubFactory(PersonFactory)
    term = factory.SubFactory(TermFactory)


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    title = factory.Sequence(lambda n: f"测试制度{n}")
    kind = Document.Kind.WORK
    body = "第一条 本制度适用于商会全体会员。"
    is_published = True
    effective_on = datetime.date(2020, 1, 1)


class HonorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Honor

    year = 2017
    title = "上海市工商联“四好”商会"
    awarded_by = "上海市工商联"


class ProspectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Prospect

    company_name = factory.Sequence(lambda n: f"拟入会企业{n}")
    owner = factory.SubFactory(PersonFactory)


class CompanyChangeRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompanyChangeRequest

    company = factory.SubFactory(CompanyFactory)
    name = factory.LazyAttribute(lambda r: f"{r.company.name}（更名）")
    reason = "营业执照已变更。"


__all__ = ["PASSWORD", "SECRETARIAT_GROUP", "SUPERVISORS_GROUP"]
