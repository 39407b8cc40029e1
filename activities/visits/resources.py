"""The liaison table (联系服务表) in and out of Excel (xlsx), through django-import-export.

One row is one leader's responsibility for one member company in the current term, in three
columns: 企业名称, 统一社会信用代码, 联系领导. A company is found by its credit code (or, without
one, its exact name); a leader by name among the current term's leadership. Importing adds the
rows not yet in the table and leaves the others; a file with any bad row is refused whole,
each problem named by its spreadsheet row, as for the company import.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets

from chamber.models import Term
from core.exports import safe_cell
from members.models import Company
from members.resources import ImportFileError, cell_value, describe_problems
from members.validators import normalize_credit_code

from ..models import Assignment, leaders_in_term

COLUMNS = ("企业名称", "统一社会信用代码", "联系领导")


class CompanyWidget(widgets.Widget):
    """The company of a row: by its credit code (then the name must agree), else by name."""

    def clean(self, value, row=None, **kwargs):
        name = str(cell_value(value))
        code = normalize_credit_code(str(cell_value((row or {}).get("统一社会信用代码"))))
        if code:
            company = Company.objects.filter(credit_code=code).first()
            if company is None:
                raise ValueError(
                    gettext("No member company has the credit code %(code)s.") % {"code": code}
                )
            if name and name != company.name:
                raise ValueError(
                    gettext("The credit code %(code)s is “%(company)s”, not “%(name)s”.")
                    % {"code": code, "company": company.name, "name": name}
                )
        elif name:
            company = Company.objects.filter(name=name).first()
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


class AssignmentResource(resources.ModelResource):
    company = fields.Field(attribute="company", column_name="企业名称", widget=CompanyWidget())
    credit_code = fields.Field(column_name="统一社会信用代码", dehydrate_method="dehydrate_code")
    leader = fields.Field(attribute="leader", column_name="联系领导", widget=LeaderWidget())

    class Meta:
        model = Assignment
        fields = import_order = export_order = ("company", "credit_code", "leader")
        import_id_fields = ("company", "leader")
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.term = None
        self.file_problems = {}

    def import_data(self, dataset, dry_run=False, raise_errors=False, **kwargs):
        """Import every row or none."""
        kwargs["use_transactions"] = True
        kwargs["rollback_on_validation_errors"] = True
        try:
            self.prepare(dataset)
        except ImportFileError as error:
            result = self.get_result_class()()
            result.diff_headers = self.get_diff_headers()
            result.append_base_error(self.get_error_result_class()(error))
            return result
        return super().import_data(dataset, dry_run=dry_run, raise_errors=raise_errors, **kwargs)

    def prepare(self, dataset):
        headers = [str(cell_value(header)) for header in dataset.headers or []]
        if headers:
            dataset.headers = headers
        missing = [column for column in COLUMNS if column not in headers]
        if missing:
            raise ImportFileError(
                gettext(
                    "The first row of the sheet must name the columns; these are missing: "
                    "%(missing)s. The columns are, in this order: %(columns)s."
                )
                % {"missing": "、".join(missing), "columns": "、".join(COLUMNS)}
            )
        while len(dataset) and self.is_blank(dataset[-1]):
            del dataset[-1]
        self.term = Term.objects.current()
        if self.term is None:
            raise ImportFileError(gettext("No term is in force today; add the term first."))
        self.fields["leader"].widget.leaders = list(leaders_in_term(self.term))
        self.file_problems = self.find_duplicates(dataset)

    @staticmethod
    def is_blank(values) -> bool:
        return all(cell_value(value) == "" for value in values)

    def find_duplicates(self, dataset):
        """Rows naming the same company and leader as an earlier row of the file."""
        seen, problems = {}, {}
        columns = [dataset.headers.index(column) for column in COLUMNS]
        for number, values in enumerate(dataset, 1):
            name, code, leader = (str(cell_value(values[index])) for index in columns)
            key = (normalize_credit_code(code) or name, leader)
            if not (key[0] and leader):
                continue
            if key in seen:
                problems[number] = {
                    "leader": [
                        ValidationError(
                            _("Row %(row)s of this file names the same company and leader."),
                            params={"row": seen[key]},
                        )
                    ]
                }
            else:
                seen[key] = number + 1
        return problems

    def import_row(self, row, instance_loader, **kwargs):
        if self.is_blank(row.values()):
            return self.get_row_result_class()()
        return super().import_row(row, instance_loader, **kwargs)

    def get_instance(self, instance_loader, row):
        try:
            company = self.fields["company"].clean(row)
            leader = self.fields["leader"].clean(row)
        except ValueError:
            return None
        return Assignment.objects.filter(term=self.term, company=company, leader=leader).first()

    def init_instance(self, row=None):
        return Assignment(term=self.term)

    def after_init_instance(self, instance, new, row, **kwargs):
        user = kwargs.get("user")
        if user is not None and user.is_authenticated:
            instance._history_user = user
        file_name = kwargs.get("file_name")
        instance._change_reason = (
            gettext("Imported from %(file)s") % {"file": file_name}
            if file_name
            else gettext("Imported from a spreadsheet")
        )

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for key, problems in self.file_problems.get(kwargs.get("row_number"), {}).items():
            errors.setdefault(key, []).extend(problems)
        if errors:
            raise ValidationError(errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        try:
            instance.full_clean(exclude=list(errors), validate_unique=validate_unique)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    # Export -----------------------------------------------------------------------------

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("company", "leader")

    def dehydrate_code(self, assignment):
        return assignment.company.credit_code

    def export_field(self, field, instance, **kwargs):
        return safe_cell(super().export_field(field, instance, **kwargs))

    def after_export(self, queryset, dataset, **kwargs):
        dataset.title = "联系服务表"

    def get_export_headers(self, selected_fields=None):
        return list(COLUMNS)

    def get_export_fields(self, selected_fields=None):
        return super().get_export_fields(None)


def describe_import_problems(resource: AssignmentResource, result):
    """The company import's row-by-row reasons (members.resources.describe_problems), in the
    order of this file's columns."""
    problems = describe_problems(resource, result)
    return sorted(
        problems,
        key=lambda problem: (
            problem.row or 0,
            COLUMNS.index(problem.column) if problem.column in COLUMNS else -1,
        ),
    )
