import factory

from development.models import Application
from tests.factories import ProspectFactory, credit_code


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    company_name = factory.Sequence(lambda n: f"上海申请入会{n}号科技有限公司")
    credit_code = factory.Sequence(lambda n: credit_code(900 + n))
    industry = "it"
    industry_text = "软件开发"
    address = "上海市青浦区徐泾镇徐乐路1号"
    contact_name = "周申请"
    contact_title = "总经理"
    contact_mobile = factory.Sequence(lambda n: f"137{n:08d}")
    contact_email = factory.Sequence(lambda n: f"apply{n}@example.com")
    status = Application.Status.SUBMITTED
    prospect = factory.SubFactory(
        ProspectFactory,
        company_name=factory.SelfAttribute("..company_name"),
        owner=None,
        stage="applied",
        source="self",
    )
