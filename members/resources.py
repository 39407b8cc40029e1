"""Member companies in and out of Excel (xlsx), through django-import-export.

The file is the chamber's own exchange format, Chinese by definition: its column headers and
the labels of industry, tier and status are fixed data, not translations. One row is a
company and its main contact. A file with any bad row is refused whole; a cell left empty
leaves what the database holds (a new company gets the default).
"""

import datetime
from collections import namedtuple

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets

from .models import Company, Industry, Person
from .validators import normalize_credit_code, normalize_mobile, parse_date

# The columns of the file, in order. Renaming one breaks every file the chamber keeps.
COLUMNS = (
    "企业名称",
    "统一社会信用代码",
    "行业",
    "会员类别",
    "入会日期",
    "状态",
    "地址",
    "联系人",
    "职务",
    "手机",
    "邮箱",
)

INDUSTRY_LABELS = {
    Industry.AGRICULTURE: "农、林、牧、渔业",
    Industry.MANUFACTURING: "制造业",
    Industry.CONSTRUCTION: "建筑业",
    Industry.TRADE: "批发和零售业",
    Industry.LOGISTICS: "交通运输、仓储和邮政业",
    Industry.HOSPITALITY: "住宿和餐饮业",
    Industry.IT: "信息传输、软件和信息技术服务业",
    Industry.FINANCE: "金融业",
    Industry.REAL_ESTATE: "房地产业",
    Industry.BUSINESS_SERVICES: "租赁和商务服务业",
    Industry.RESEARCH: "科学研究和技术服务业",
    Industry.RESIDENT_SERVICES: "居民服务、修理和其他服务业",
    Industry.EDUCATION: "教育",
    Industry.HEALTH: "卫生和社会工作",
    Industry.CULTURE: "文化、体育和娱乐业",
    Industry.OTHER: "其他",
}
TIER_LABELS = {
    Company.Tier.PRESIDENT: "会长单位",
    Company.Tier.VICE_PRESIDENT: "副会长单位",
    Company.Tier.EXECUTIVE: "执委单位",
    Company.Tier.MEMBER: "会员单位",
}
STATUS_LABELS = {
    Company.Status.ACTIVE: "在册",
    Company.Status.SUSPENDED: "暂停",
    Company.Status.LEFT: "退会",
}

# A spreadsheet program runs a cell that begins with one of these as a formula (OWASP, CSV
# injection). Such text is written with a leading apostrophe, which the import takes off.
FORMULA_TRIGGERS = ("=", "+", "-", "@")


def escape_formula(value):
    """Prefix ' to text a spreadsheet would run as a formula; unescape_formula undoes it."""
    if isinstance(value, str) and value.lstrip("'").startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def unescape_formula(value: str) -> str:
    if value.startswith("'") and value.lstrip("'").startswith(FORMULA_TRIGGERS):
        return value[1:]
    return value


def cell_value(value):
    """A cell as the import reads it: text stripped and unescaped, whole numbers as digits
    (Excel keeps 13812345678 as the float 13812345678.0), dates kept as dates."""
    if value is None:
        return ""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float)):
        return str(value)
    return unescape_formula(str(value).strip())


class ImportFileError(Exception):
    """The file as a whole cannot be imported (e.g. its header row is wrong)."""


class TextWidget(widgets.Widget):
    """Plain text. An empty cell reads as None (no change) unless ``empty`` says otherwise."""

    def __init__(self, empty=None):
        super().__init__()
        self.empty = empty

    def clean(self, value, row=None, **kwargs):
        value = cell_value(value)
        if isinstance(value, datetime.date):
            value = value.isoformat()
        return value or self.empty

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class CreditCodeWidget(TextWidget):
    def clean(self, value, row=None, **kwargs):
        return normalize_credit_code(super().clean(value, row, **kwargs)) or None


class MobileWidget(TextWidget):
    def clean(self, value, row=None, **kwargs):
        return normalize_mobile(super().clean(value, row, **kwargs)) or None


class ChoiceLabelWidget(widgets.Widget):
    """A choice written as its Chinese label (制造业); the stored value (manufacturing) is
    read too."""

    def __init__(self, labels):
        super().__init__()
        self.labels = labels
        self.lookup = {str(value): str(value) for value in labels}
        self.lookup.update({label: str(value) for value, label in labels.items()})

    def clean(self, value, row=None, **kwargs):
        text = str(cell_value(value))
        if not text:
            return None
        for key in (text, text.lower()):
            if key in self.lookup:
                return self.lookup[key]
        raise ValueError(
            gettext("“%(value)s” is not one of the choices: %(choices)s.")
            % {"value": text, "choices": "、".join(self.labels.values())}
        )

    def render(self, value, obj=None, **kwargs):
        if value is None or value == "":
            return ""
        return self.labels.get(value, value)


class DateWidget(widgets.Widget):
    """A date from an Excel date cell or text such as 2024/5/1 or 2024年5月1日; written ISO."""

    def clean(self, value, row=None, **kwargs):
        try:
            return parse_date(cell_value(value))
        except ValidationError as error:
            raise ValueError(" ".join(error.messages)) from None

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


CONTACT_ATTRIBUTE = "import_contact"


def with_main_contacts(companies):
    """Companies with their main contact fetched in one query, as ``main_contacts``."""
    lookups = companies._prefetch_related_lookups
    if any(getattr(lookup, "prefetch_to", lookup) == "main_contacts" for lookup in lookups):
        return companies
    return companies.prefetch_related(
        Prefetch(
            "people",
            queryset=Person.objects.filter(is_main_contact=True),
            to_attr="main_contacts",
        )
    )


COMPANY_FIELDS = ("name", "credit_code", "industry", "tier", "member_since", "status", "address")
CONTACT_FIELDS = ("contact_name", "contact_title", "contact_mobile", "contact_email")


def contact_field(name, column, widget):
    return fields.Field(
        attribute=f"{CONTACT_ATTRIBUTE}__{name}",
        column_name=column,
        widget=widget,
        saves_null_values=False,
    )


class CompanyResource(resources.ModelResource):
    """A member company and its main contact, one spreadsheet row each."""

    name = fields.Field(attribute="name", column_name="企业名称", widget=TextWidget(empty=""))
    credit_code = fields.Field(
        attribute="credit_code",
        column_name="统一社会信用代码",
        widget=CreditCodeWidget(),
        saves_null_values=False,
    )
    industry = fields.Field(
        attribute="industry",
        column_name="行业",
        widget=ChoiceLabelWidget(INDUSTRY_LABELS),
        saves_null_values=False,
    )
    tier = fields.Field(
        attribute="tier",
        column_name="会员类别",
        widget=ChoiceLabelWidget(TIER_LABELS),
        saves_null_values=False,
    )
    member_since = fields.Field(
        attribute="member_since",
        column_name="入会日期",
        widget=DateWidget(),
        saves_null_values=False,
    )
    status = fields.Field(
        attribute="status",
        column_name="状态",
        widget=ChoiceLabelWidget(STATUS_LABELS),
        saves_null_values=False,
    )
    address = fields.Field(
        attribute="address", column_name="地址", widget=TextWidget(), saves_null_values=False
    )
    contact_name = contact_field("name", "联系人", TextWidget())
    contact_title = contact_field("title", "职务", TextWidget())
    contact_mobile = contact_field("mobile", "手机", MobileWidget())
    contact_email = contact_field("email", "邮箱", TextWidget())

    class Meta:
        model = Company
        fields = import_order = export_order = COMPANY_FIELDS + CONTACT_FIELDS
        # What a row is matched on; get_instance() says how.
        import_id_fields = ("credit_code", "name")
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.file_problems = {}

    # The whole file ---------------------------------------------------------------------

    def import_data(self, dataset, dry_run=False, raise_errors=False, **kwargs):
        """Import every row or none: any bad row rolls the whole file back."""
        kwargs["use_transactions"] = True
        kwargs["rollback_on_validation_errors"] = True
        try:
            self.prepare_dataset(dataset)
        except ImportFileError as error:
            result = self.get_result_class()()
            result.diff_headers = self.get_diff_headers()
            result.append_base_error(self.get_error_result_class()(error))
            return result
        self.file_problems = self.find_duplicates(dataset)
        return super().import_data(dataset, dry_run=dry_run, raise_errors=raise_errors, **kwargs)

    def prepare_dataset(self, dataset):
        """Tidy the header row and drop empty rows at the end; refuse a file whose header
        row lacks one of the columns."""
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

    @staticmethod
    def is_blank(values) -> bool:
        return all(cell_value(value) == "" for value in values)

    def find_duplicates(self, dataset):
        """The rows that repeat a credit code or a name of an earlier row of the file."""
        problems = {}
        first_code, first_name = {}, {}
        code_index = dataset.headers.index("统一社会信用代码")
        name_index = dataset.headers.index("企业名称")
        for number, values in enumerate(dataset, 1):
            code = normalize_credit_code(str(cell_value(values[code_index])))
            name = str(cell_value(values[name_index]))
            row = number + 1  # the spreadsheet's own row number; the header is row 1
            if code:
                if code in first_code:
                    problems.setdefault(number, {}).setdefault("credit_code", []).append(
                        ValidationError(
                            _("Row %(row)s of this file has the same credit code."),
                            params={"row": first_code[code]},
                        )
                    )
                else:
                    first_code[code] = row
            if name:
                if name in first_name:
                    problems.setdefault(number, {}).setdefault("name", []).append(
                        ValidationError(
                            _("Row %(row)s of this file has the same company name."),
                            params={"row": first_name[name]},
                        )
                    )
                else:
                    first_name[name] = row
        return problems

    # One row ----------------------------------------------------------------------------

    def import_row(self, row, instance_loader, **kwargs):
        if self.is_blank(row.values()):
            # An empty row between companies is no company: without an import type it is
            # neither counted nor shown.
            return self.get_row_result_class()()
        return super().import_row(row, instance_loader, **kwargs)

    def get_instance(self, instance_loader, row):
        """The company a row describes: the one with its credit code, else the one with its
        name (unless that one carries another credit code)."""
        code = self.fields["credit_code"].clean(row)
        name = self.fields["name"].clean(row)
        if code:
            company = Company.objects.filter(credit_code=code).first()
            if company is not None:
                return company
        if name:
            companies = Company.objects.filter(name=name)
            if code:
                companies = companies.filter(credit_code="")
            return companies.first()
        return None

    def after_init_instance(self, instance, new, row, **kwargs):
        setattr(instance, CONTACT_ATTRIBUTE, None if new else self.main_contact(instance))
        instance.import_previous_contact = None
        instance.import_original_name = instance.name
        user = kwargs.get("user")
        if user is not None and user.is_authenticated:
            instance._history_user = user
        instance._change_reason = self.change_reason(kwargs.get("file_name"))

    @staticmethod
    def change_reason(file_name):
        """What the history says of a change an import made."""
        if file_name:
            return gettext("Imported from %(file)s") % {"file": file_name}
        return gettext("Imported from a spreadsheet")

    @staticmethod
    def main_contact(company):
        prefetched = getattr(company, "main_contacts", None)
        if prefetched is not None:
            return prefetched[0] if prefetched else None
        return company.people.filter(is_main_contact=True).first()

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        if field.attribute.startswith(CONTACT_ATTRIBUTE + "__"):
            return  # the contact's cells are read together, in import_contact()
        super().import_field(field, instance, row, is_m2m, **kwargs)

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        try:
            self.import_contact(instance, row)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for key, problems in self.file_problems.get(kwargs.get("row_number"), {}).items():
            errors.setdefault(key, []).extend(problems)
        if errors:
            raise ValidationError(errors)

    def import_contact(self, company, row):
        """Put the row's contact on ``company.import_contact``: the main contact updated in
        place, or, when the row names someone else, that person (found among the company's
        people, or new) who becomes the main contact in their place."""
        name = self.fields["contact_name"].clean(row)
        others = [self.fields[key] for key in CONTACT_FIELDS[1:]]
        if not name:
            if any(field.clean(row) for field in others):
                raise ValidationError(
                    {
                        self.fields["contact_name"].attribute: _(
                            "Give the contact's name, or leave the job title, mobile and "
                            "email empty too."
                        )
                    }
                )
            return
        current = getattr(company, CONTACT_ATTRIBUTE)
        if current is None or current.name != name:
            person = None
            if company.pk:
                person = company.people.filter(name=name).order_by("pk").first()
            company.import_previous_contact = current
            setattr(company, CONTACT_ATTRIBUTE, person or Person(name=name))
        errors = {}
        for field in others:
            try:
                field.save(company, row)
            except ValueError as error:
                errors[field.attribute] = ValidationError(str(error))
        if errors:
            raise ValidationError(errors)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """Skip a row that changes neither the company nor its contact, so that importing
        the same file twice writes nothing (and no history) the second time."""
        if import_validation_errors:
            return False

        def changed(names):
            return any(
                self.fields[name].get_value(instance) != self.fields[name].get_value(original)
                for name in names
            )

        instance.import_company_changed = original.pk is None or changed(COMPANY_FIELDS)
        instance.import_contact_changed = changed(CONTACT_FIELDS)
        return not (instance.import_company_changed or instance.import_contact_changed)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        try:
            # The pinyin keys are derived in save(); the rest is the model's own validation.
            instance.full_clean(
                exclude=[*errors, "name_initials", "name_pinyin"],
                validate_unique=validate_unique,
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if "name" in errors:
            errors["name"] = [self.explain_name_clash(instance, e) for e in errors["name"]]
        contact = getattr(instance, CONTACT_ATTRIBUTE, None)
        if contact is not None and getattr(instance, "import_contact_changed", True):
            try:
                contact.full_clean(
                    exclude=["company", "is_main_contact"],
                    validate_unique=False,
                    validate_constraints=False,
                )
            except ValidationError as error:
                for key, problems in error.error_dict.items():
                    key = f"{CONTACT_ATTRIBUTE}__{key}"
                    if key not in errors:
                        errors.setdefault(key, []).extend(problems)
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def explain_name_clash(company, error):
        """Say which company the name belongs to, rather than the model's generic words."""
        if getattr(error, "code", None) != "unique":
            return error
        if company.pk and company.import_original_name != company.name:
            return ValidationError(
                _(
                    "The credit code %(code)s is “%(current)s”; renaming it “%(name)s” "
                    "would take the name of another member company."
                ),
                code="unique",
                params={
                    "code": company.credit_code,
                    "current": company.import_original_name,
                    "name": company.name,
                },
            )
        return ValidationError(
            _("Another member company is already called “%(name)s”."),
            code="unique",
            params={"name": company.name},
        )

    def do_instance_save(self, instance, is_create):
        if getattr(instance, "import_company_changed", True):
            super().do_instance_save(instance, is_create)

    def after_save_instance(self, instance, row, **kwargs):
        contact = getattr(instance, CONTACT_ATTRIBUTE, None)
        if contact is None or not getattr(instance, "import_contact_changed", True):
            return
        previous = instance.import_previous_contact
        if previous is not None and previous.pk != contact.pk:
            previous.is_main_contact = False
            self.save_with_history_of(instance, previous)
        contact.company = instance
        contact.is_main_contact = True
        self.save_with_history_of(instance, contact)

    @staticmethod
    def save_with_history_of(company, person):
        """Save a person with the same who and why in the history as the company's row."""
        if hasattr(company, "_history_user"):
            person._history_user = company._history_user
        person._change_reason = company._change_reason
        person.save()

    # Export -----------------------------------------------------------------------------

    def filter_export(self, queryset, **kwargs):
        return with_main_contacts(queryset)

    def export_resource(self, instance, selected_fields=None, **kwargs):
        setattr(instance, CONTACT_ATTRIBUTE, self.main_contact(instance))
        return super().export_resource(instance, selected_fields, **kwargs)

    def export_field(self, field, instance, **kwargs):
        return escape_formula(super().export_field(field, instance, **kwargs))

    def after_export(self, queryset, dataset, **kwargs):
        dataset.title = "会员企业"

    def get_export_headers(self, selected_fields=None):
        # Always the full set of columns, so that an exported file imports back.
        return list(COLUMNS)

    def get_export_fields(self, selected_fields=None):
        return super().get_export_fields(None)


Problem = namedtuple("Problem", ["row", "column", "message"])


def describe_problems(resource: CompanyResource, result) -> list[Problem]:
    """What is wrong with an import, for people: each reason with the spreadsheet row it is
    on (the header is row 1; None for the file as a whole) and the column it is about."""
    columns = {field.attribute: field.column_name for field in resource.fields.values()}
    problems = [Problem(None, "", str(error.error)) for error in result.base_errors]
    by_row = {}
    for invalid in result.invalid_rows:
        for key, messages in invalid.error_dict.items():
            column = "" if key == NON_FIELD_ERRORS else columns.get(key, key)
            by_row.setdefault(invalid.number, []).extend((column, message) for message in messages)
    for error_row in result.error_rows:
        by_row.setdefault(error_row.number, []).extend(
            ("", str(error.error)) for error in error_row.errors
        )
    for number in sorted(by_row):
        # Keep the columns in the file's order.
        reasons = sorted(
            by_row[number],
            key=lambda reason: COLUMNS.index(reason[0]) if reason[0] in COLUMNS else -1,
        )
        problems.extend(Problem(number + 1, column, message) for column, message in reasons)
    return problems
