"""The liaison table (联系服务表) in and out of Excel (xlsx), through django-import-export.

One row is one leader's responsibility for one member company in the current term, in three
columns: 企业名称, 统一社会信用代码, 联系领导. A company is found by its credit code (or, without
one, its exact name); a leader by name among the current term's leadership. Importing adds the
rows not yet in the table and leaves the others; a file with any bad row is refused whole,
each problem named by its spreadsheet row, as for the company import.
"""

from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export import fields, widgets

from chamber.models import Term
from core.spreadsheets import (
    ImportFileError,
    SpreadsheetResource,
    cell_value,
    column,
    name_key,
    name_variants,
)
from members.models import Company
from members.validators import normalize_credit_code

from ..models import Assignment, leaders_in_term

COLUMNS = ("企业名称", "统一社会信用代码", "联系领导")


class CompanyWidget(widgets.Widget):
    """The company of a row: by its credit code (then the name must agree), else by name;
    among the companies read for the file (``read()``) once they are."""

    def __init__(self):
        super().__init__()
        self.by_code = self.by_name = None

    def read(self, dataset):
        """Read, in one query, the companies the file names by code or by name."""
        codes, names = set(), set()
        for name, code in zip(dataset["企业名称"], dataset["统一社会信用代码"], strict=True):
            codes.add(normalize_credit_code(str(cell_value(code))))
            names.update(name_variants(str(cell_value(name))))
        companies = Company.objects.filter(
            Q(credit_code__in=codes - {""}) | Q(name__in=names - {""})
        ).order_by("pk")
        self.by_code, self.by_name = {}, {}
        for company in companies:
            self.by_name.setdefault(company.name, company)
            if company.credit_code:
                self.by_code.setdefault(company.credit_code, company)

    def find(self, code, name):
        if self.by_code is None:
            if code:
                return Company.objects.filter(credit_code=code).first()
            return Company.objects.filter(name__in=name_variants(name)).first()
        if code:
            return self.by_code.get(code)
        return next((self.by_name[n] for n in name_variants(name) if n in self.by_name), None)

    def clean(self, value, row=None, **kwargs):
        name = str(cell_value(value))
        code = normalize_credit_code(str(cell_value((row or {}).get("统一社会信用代码"))))
        if code:
            company = self.find(code, name)
            if company is None:
                raise ValueError(
                    gettext("No member company has the credit code %(code)s.") % {"code": code}
                )
            if name and name_key(name) != name_key(company.name):
                raise ValueError(
                    gettext("The credit code %(code)s is “%(company)s”, not “%(name)s”.")
                    % {"code": code, "company": company.name, "name": name}
                )
        elif name:
            # As written, or with other brackets: 上好佳(中国) is 上好佳（中国）.
            company = self.find("", name)
            if company is None:
                raise ValueError(
                    gettext("No member company is called “%(name)s”.") % {"name": name}
                )
        else:
            raise ValueError(gettext("Give the company's name or its credit code."))
        if not company.is_active:
            raise ValueError(
                gettext("“%(name)s” is not an active member (%(status)s).")
                % {"name": company.name, "status": company.get_status_display()}
            )
        return company

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


class LeaderWidget(widgets.Widget):
    """A leader of the current term, by name."""

    def __init__(self):
        super().__init__()
        self.leaders = None

    def clean(self, value, row=None, **kwargs):
        name = str(cell_value(value))
        if not name:
            raise ValueError(gettext("Give the leader's name."))
        matches = [person for person in self.leaders or [] if person.name == name]
        if not matches:
            raise ValueError(
                gettext("“%(name)s” is not a leadership member of the current term.")
                % {"name": name}
            )
        if len(matches) > 1:
            raise ValueError(
                gettext(
                    "Two leadership members are called “%(name)s”; enter this row in the "
                    "back office."
                )
                % {"name": name}
            )
        return matches[0]

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


class AssignmentResource(SpreadsheetResource):
    """A leader's responsibility for a member company in the current term, a row each."""

    columns = COLUMNS
    sheet_title = "联系服务表"
    # The import template (core.templates_xlsx); 联系领导 lists the current leadership.
    text_columns = ("统一社会信用代码",)
    template_example = {
        "企业名称": "上海示例科技有限公司",
        "统一社会信用代码": "91310118MA1K2X3P4L",
        "联系领导": "张伟",
    }
    synonyms = {"挂钩领导": "联系领导", "联系会领导": "联系领导", "结对领导": "联系领导"}

    company = column("company", "企业名称", CompanyWidget())
    credit_code = fields.Field(column_name="统一社会信用代码", dehydrate_method="dehydrate_code")
    leader = column("leader", "联系领导", LeaderWidget())

    # Found among what prepare_dataset() read for the file; the one constraint, a leader once
    # for a company in a term, is kept by get_instance() and find_duplicates().
    unchecked_fields = ("term", "company", "leader")
    validate_in_database = False

    class Meta:
        model = Assignment
        import_id_fields = ("company", "leader")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.term = None

    def template_choices(self):
        """The leadership of the term in force today, by name, for the template."""
        names = sorted(set(leaders_in_term(Term.objects.current()).values_list("name", flat=True)))
        return {"联系领导": names} if names else {}

    def prepare_dataset(self, dataset):
        """The file, and the term it is for: the one in force today."""
        super().prepare_dataset(dataset)
        self.term = Term.objects.current()
        if self.term is None:
            raise ImportFileError(gettext("No term is in force today; add the term first."))
        self.fields["leader"].widget.leaders = list(leaders_in_term(self.term))
        self.fields["company"].widget.read(dataset)
        self.assignments = {
            (assignment.company_id, assignment.leader_id): assignment
            for assignment in Assignment.objects.filter(term=self.term).order_by("-pk")
        }

    def find_duplicates(self, dataset):
        """Rows naming the same company and leader as an earlier row of the file."""

        def key(row):
            name, code, leader = (str(cell_value(row[column])) for column in COLUMNS)
            company = normalize_credit_code(code) or name_key(name)
            return (company, leader) if company and leader else None

        return self.repeats(
            dataset,
            key,
            "leader",
            _("Row %(row)s of this file names the same company and leader."),
        )

    def get_instance(self, instance_loader, row):
        try:
            company = self.fields["company"].clean(row)
            leader = self.fields["leader"].clean(row)
        except ValueError:
            return None
        return self.assignments.get((company.pk, leader.pk))

    def init_instance(self, row=None):
        return Assignment(term=self.term)

    # Export -----------------------------------------------------------------------------

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("company", "leader")

    def dehydrate_code(self, assignment):
        return assignment.company.credit_code
