"""The people of member companies (人员) in and out of Excel (xlsx).

One row is a person at a member company: 姓名, 所在企业, 职务, 手机, 邮箱, 政治身份. The company
is found by its exact name, or by its credit code when the file has a 统一社会信用代码 column
(then the name, if given, must agree); an empty 所在企业 is a person of no company (the
secretariat's staff). A row updates the person of that company with that name and otherwise
adds one, so importing a corrected list again changes what changed and adds
nobody twice. As in the company import, a cell left empty leaves what is on record, the
mobile is read and checked as a contact's is, and a file with any bad row is refused whole,
each problem named by its row (core.spreadsheets).

Who is a company's main contact is the company import's to say: this import leaves it alone.
"""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.spreadsheets import SpreadsheetResource, TextWidget, cell_value, column
from members.models import MOBILE_TAKEN, AccountMobiles, Company, Person
from members.resources import MobileWidget
from members.validators import normalize_credit_code

COLUMNS = ("姓名", "所在企业", "职务", "手机", "邮箱", "政治身份")
# Read when the file has it; the company is then found by its credit code.
CODE_COLUMN = "统一社会信用代码"


class PersonResource(SpreadsheetResource):
    """A person at a member company, one spreadsheet row each."""

    columns = COLUMNS
    sheet_title = "人员"
    # The company is found in import_related(), from the companies read for the file; the
    # import sets no field a database constraint is about (the main contact).
    unchecked_fields = ("company",)
    validate_in_database = False
    # The import template (core.templates_xlsx).
    text_columns = ("手机",)
    template_example = {
        "姓名": "王明",
        "所在企业": "上海示例科技有限公司",
        "职务": "总经理",
        "手机": "13800138000",
        "邮箱": "wangming@example.com",
        "政治身份": "青浦区政协委员",
    }

    name = column("name", "姓名", TextWidget(empty=""))
    company = column("company", "所在企业")
    # An empty cell leaves what the person has (saves_null_values=False).
    title = column("title", "职务", saves_null_values=False)
    mobile = column("mobile", "手机", MobileWidget(), saves_null_values=False)
    email = column("email", "邮箱", saves_null_values=False)
    political_title = column("political_title", "政治身份", saves_null_values=False)

    class Meta:
        model = Person
        import_id_fields = ("company", "name")

    # The whole file ---------------------------------------------------------------------

    def find_duplicates(self, dataset):
        """Rows that name the same person at the same company as an earlier row."""
        has_code = CODE_COLUMN in dataset.headers

        def key(row):
            name = str(cell_value(row["姓名"]))
            code = normalize_credit_code(str(cell_value(row[CODE_COLUMN]))) if has_code else ""
            company = code or str(cell_value(row["所在企业"]))
            return (company, name) if name else None

        return self.repeats(
            dataset,
            key,
            "name",
            _("Row %(row)s of this file names the same person at the same company."),
        )

    def before_import(self, dataset, **kwargs):
        """Read, in three queries, the companies the file names and their people (and the
        people of no company with a name of the file): each row's company and person are then
        found in memory."""
        names = {str(cell_value(value)) for value in dataset["所在企业"]} - {""}
        codes = set()
        if CODE_COLUMN in dataset.headers:
            codes = {normalize_credit_code(str(cell_value(v))) for v in dataset[CODE_COLUMN]}
            codes -= {""}
        companies = list(
            Company.objects.filter(Q(name__in=names) | Q(credit_code__in=codes)).order_by()
        )
        self.companies_by_name = {company.name: company for company in companies}
        self.companies_by_code = {c.credit_code: c for c in companies if c.credit_code}
        self.people = {}
        names = {str(cell_value(value)) for value in dataset["姓名"]}
        people = Person.objects.filter(
            Q(company__in=companies) | Q(company=None, name__in=names)
        ).order_by("pk")
        self.mobiles_before = {}
        for person in people.select_related("company"):
            self.people.setdefault((person.company_id, person.name), person)
            self.mobiles_before[person.pk] = person.mobile
        # A mobile logs in one account: the file's numbers and who holds them (a third query).
        widget = self.fields["mobile"].widget
        mobiles = set()
        for value in dataset["手机"]:
            try:
                mobiles.add(widget.clean(value))
            except ValueError:
                pass  # the row says why
        self.account_mobiles = AccountMobiles(mobiles, self.mobiles_before)

    # One row ----------------------------------------------------------------------------

    def find_company(self, row):
        """The row's company (None when it names none), or why it cannot be found
        (ValidationError)."""
        name = str(cell_value(row.get("所在企业")))
        code = normalize_credit_code(str(cell_value(row.get(CODE_COLUMN))))
        if code:
            company = self.companies_by_code.get(code)
            if company is None:
                raise ValidationError(
                    {
                        "company": gettext("No member company has the credit code %(code)s.")
                        % {"code": code}
                    }
                )
            if name and name != company.name:
                raise ValidationError(
                    {
                        "company": gettext(
                            "The credit code %(code)s is “%(company)s”, not “%(name)s”."
                        )
                        % {"code": code, "company": company.name, "name": name}
                    }
                )
            return company
        if not name:
            return None
        company = self.companies_by_name.get(name)
        if company is None:
            raise ValidationError(
                {"company": gettext("No member company is called “%(name)s”.") % {"name": name}}
            )
        return company

    def get_instance(self, instance_loader, row):
        try:
            company = self.find_company(row)
        except ValidationError:
            return None
        key = company.pk if company is not None else None
        return self.people.get((key, str(cell_value(row.get("姓名")))))

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        if field.attribute == "company":
            return  # found in import_related()
        super().import_field(field, instance, row, is_m2m, **kwargs)

    def import_related(self, person, row):
        person.company = self.find_company(row)

    def check_instance(self, instance, errors):
        if "name" not in errors and not instance.name:
            errors["name"] = [
                ValidationError(gettext("%(column)s is needed.") % {"column": "姓名"})
            ]
        mobile = instance.mobile
        if (
            "mobile" not in errors
            and instance.pk
            and mobile != self.mobiles_before.get(instance.pk)
            and self.account_mobiles.refuses(instance, mobile)
        ):
            errors["mobile"] = [ValidationError(MOBILE_TAKEN, params={"mobile": mobile})]
        return errors

    # Export -----------------------------------------------------------------------------

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("company")

    def dehydrate_company(self, person):
        return person.company.name if person.company_id else ""
