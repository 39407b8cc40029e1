"""Member companies in and out of Excel (xlsx), through django-import-export.

One row is a company and its main contact, under the chamber's Chinese headers, with
industry, tier and status as their Chinese labels (core.spreadsheets says what every file
shares). A file with any bad row is refused whole; a cell left empty leaves what the database
holds (a new company gets the default).

A file of 10,000 rows imports as one of ten does, in the same few queries: the companies and
their people are read once, each row is matched and checked in memory, and the file is
written at the end in bulk, with a history record for each company and person it changes.
"""

import datetime
import html

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from import_export.results import RowResult
from pypinyin import Style
from pypinyin.converter import UltimateConverter
from pypinyin.core import Pinyin
from simple_history.utils import bulk_create_with_history

from core.counts import written
from core.spreadsheets import (
    ChoiceLabelWidget,
    DateWidget,
    DigitsWidget,
    SpreadsheetResource,
    TextWidget,
    cell_value,
    column,
    name_key,
    name_variants,
)

from .industries import IndustryWidget, not_placed
from .models import MOBILE_TAKEN, AccountMobiles, Company, Industry, Person
from .validators import normalize_credit_code, normalize_mobile

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
    Industry.MINING: "采矿业",
    Industry.MANUFACTURING: "制造业",
    Industry.UTILITIES: "电力、热力、燃气及水生产和供应业",
    Industry.CONSTRUCTION: "建筑业",
    Industry.TRADE: "批发和零售业",
    Industry.LOGISTICS: "交通运输、仓储和邮政业",
    Industry.HOSPITALITY: "住宿和餐饮业",
    Industry.IT: "信息传输、软件和信息技术服务业",
    Industry.FINANCE: "金融业",
    Industry.REAL_ESTATE: "房地产业",
    Industry.BUSINESS_SERVICES: "租赁和商务服务业",
    Industry.RESEARCH: "科学研究和技术服务业",
    Industry.PUBLIC_FACILITIES: "水利、环境和公共设施管理业",
    Industry.RESIDENT_SERVICES: "居民服务、修理和其他服务业",
    Industry.EDUCATION: "教育",
    Industry.HEALTH: "卫生和社会工作",
    Industry.CULTURE: "文化、体育和娱乐业",
    Industry.PUBLIC_ADMINISTRATION: "公共管理、社会保障和社会组织",
    Industry.INTERNATIONAL: "国际组织",
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


class CreditCodeWidget(DigitsWidget):
    def clean(self, value, row=None, **kwargs):
        return normalize_credit_code(super().clean(value, row, **kwargs)) or None


class MobileWidget(DigitsWidget):
    def clean(self, value, row=None, **kwargs):
        return normalize_mobile(super().clean(value, row, **kwargs)) or None


CONTACT_ATTRIBUTE = "import_contact"


class WordCachingConverter(UltimateConverter):
    """The converter behind pypinyin.lazy_pinyin(), converting each word once: converting,
    not segmenting, is what costs, and a file's company names share most of their words.
    pypinyin converts the words of a text one by one, so the result is the same."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.converted = {}

    def convert(self, words, style, heteronym, errors, strict, **kwargs):
        key = (words, style, heteronym, errors, strict)
        if key not in self.converted:
            self.converted[key] = super().convert(words, style, heteronym, errors, strict)
        return [list(pinyin) for pinyin in self.converted[key]]


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
PERSON_FIELDS = ("name", "title", "mobile", "email")  # what CONTACT_FIELDS are of the Person
FIELDS = COMPANY_FIELDS + CONTACT_FIELDS  # in the order of COLUMNS


def contact_field(name, header, widget):
    return column(f"{CONTACT_ATTRIBUTE}__{name}", header, widget, saves_null_values=False)


class CompanyResource(SpreadsheetResource):
    """A member company and its main contact, one spreadsheet row each."""

    columns = COLUMNS
    sheet_title = "会员企业"
    # The import template (core.templates_xlsx). 行业's list suggests the sections; a
    # word as the secretary writes it is read too.
    text_columns = ("统一社会信用代码", "手机")
    open_choice_columns = ("行业",)
    template_example = {
        "企业名称": "上海示例科技有限公司",
        "统一社会信用代码": "91310118MA1K2X3P4L",
        "行业": INDUSTRY_LABELS[Industry.IT],
        "会员类别": TIER_LABELS[Company.Tier.MEMBER],
        "入会日期": datetime.date(2024, 5, 1),
        "状态": STATUS_LABELS[Company.Status.ACTIVE],
        "地址": "上海市青浦区徐泾镇示例路1号",
        "联系人": "王明",
        "职务": "总经理",
        "手机": "13800138000",
        "邮箱": "wangming@example.com",
    }

    name = column("name", "企业名称", TextWidget(empty=""))
    # An empty cell leaves what the company has (saves_null_values=False).
    credit_code = column(
        "credit_code", "统一社会信用代码", CreditCodeWidget(), saves_null_values=False
    )
    # A word is kept as written (industry_text) and placed in its section; see industries.py.
    industry = column("industry", "行业", IndustryWidget(INDUSTRY_LABELS), saves_null_values=False)
    tier = column("tier", "会员类别", ChoiceLabelWidget(TIER_LABELS), saves_null_values=False)
    member_since = column("member_since", "入会日期", DateWidget(), saves_null_values=False)
    status = column("status", "状态", ChoiceLabelWidget(STATUS_LABELS), saves_null_values=False)
    address = column("address", "地址", saves_null_values=False)
    contact_name = contact_field("name", "联系人", TextWidget())
    contact_title = contact_field("title", "职务", TextWidget())
    contact_mobile = contact_field("mobile", "手机", MobileWidget())
    contact_email = contact_field("email", "邮箱", TextWidget())

    class Meta:
        model = Company
        # What a row is matched on; find_company() says how.
        import_id_fields = ("credit_code", "name")
        # No savepoint per row: import_row() writes nothing, after_import() writes the file.
        use_bulk = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.to_write = []
        self.pinyin = Pinyin(WordCachingConverter())

    # The whole file ---------------------------------------------------------------------

    def find_duplicates(self, dataset):
        """The rows that repeat a credit code or a name of an earlier row of the file."""
        problems = self.repeats(
            dataset,
            lambda row: normalize_credit_code(str(cell_value(row["统一社会信用代码"]))),
            "credit_code",
            _("Row %(row)s of this file has the same credit code."),
        )
        return self.repeats(
            dataset,
            lambda row: name_key(str(cell_value(row["企业名称"]))),
            "name",
            _("Row %(row)s of this file has the same company name."),
            problems,
        )

    def before_import(self, dataset, **kwargs):
        """Read, in three queries, the companies with a credit code or a name of the file and
        their people: each row is then matched and checked in memory."""
        codes = {
            self.fields["credit_code"].widget.clean(value) for value in dataset["统一社会信用代码"]
        }
        names = {self.fields["name"].widget.clean(value) for value in dataset["企业名称"]}
        # A name as written may be held otherwise: 上好佳(中国) for 上好佳（中国） (name_key()).
        variants = {variant for name in names - {""} for variant in name_variants(name)}
        companies = list(
            Company.objects.filter(
                Q(credit_code__in=codes - {None}) | Q(name__in=variants)
            ).order_by()
        )
        self.by_code = {company.credit_code: company for company in companies}
        self.by_code.pop("", None)
        self.by_name = {company.name: company for company in companies}
        self.names_by_key = {name_key(company.name): company.name for company in companies}
        # Who held each name before this file: see rename_waves().
        self.held_names = {company.name: company.pk for company in companies}
        self.main_contacts, self.people_by_name = {}, {}
        people = Person.objects.filter(company__in=[company.pk for company in companies])
        for person in people.order_by("pk"):
            self.people_by_name.setdefault((person.company_id, person.name), person)
            if person.is_main_contact:
                self.main_contacts[person.company_id] = person
        # A mobile logs in one account: the file's numbers and who holds them (a third query).
        widget = self.fields["contact_mobile"].widget
        mobiles = set()
        for value in dataset["手机"]:
            try:
                mobiles.add(widget.clean(value))
            except ValueError:
                pass  # the row says why
        pks = {p.pk for p in [*self.people_by_name.values(), *self.main_contacts.values()]}
        self.account_mobiles = AccountMobiles(mobiles, pks)

    def after_import(self, dataset, result, **kwargs):
        """Write the file, unless a row is bad or this is the check before the import (it
        writes nothing to roll back: every check is made in memory). The companies first,
        with their pinyin keys (bulk writes skip Company.save()), then their contacts, each
        with its history."""
        if self.dry_run or result.has_errors() or result.has_validation_errors():
            return
        new = [company for company in self.to_write if company.pk is None]
        changed = [
            company
            for company in self.to_write
            if company.pk is not None and company.import_changed_fields
        ]
        now = timezone.now()
        for company in new + changed:
            if company.pk is None or "name" in company.import_changed_fields:
                company.name_initials, company.name_pinyin = self.pinyin_keys(company.name)
            company.updated_at = now
        for wave in self.rename_waves(changed):
            names = {name for company in wave for name in company.import_changed_fields}
            if "name" in names:
                names |= {"name_initials", "name_pinyin"}
            if "industry" in names:
                names.add("industry_text")
            self.update_with_history(wave, Company, [*sorted(names), "updated_at"])
        if new:
            bulk_create_with_history(new, Company, **self.history_attributes())
        self.write_contacts(now)
        if new or changed:
            written(Company)  # bulk writes send no signals: cached counts that read companies

    def rename_waves(self, companies):
        """The companies to update, in waves: one that takes a name another company of the
        file gives up comes in a later wave than the other, because the database checks
        that names are unique row by row within a statement, not at its end."""
        by_pk = {company.pk: company for company in companies}
        waves = {}
        for company in companies:
            chain = [company]
            while (holder := by_pk.get(self.held_names.get(chain[-1].name))) not in (None, *chain):
                chain.append(holder)
            waves.setdefault(len(chain) - 1, []).append(company)
        return [waves[wave] for wave in sorted(waves)]

    def pinyin_keys(self, name):
        """A name's pinyin initials and sort key, as Company.save() derives them, with each
        word converted once per file: company names repeat 上海, 有限公司, 科技…"""
        initials = "".join(self.pinyin.lazy_pinyin(name, style=Style.FIRST_LETTER)).lower()
        return (
            "".join(ch for ch in initials if ch.isalnum())[:100],
            " ".join(self.pinyin.lazy_pinyin(name)).lower()[:400],
        )

    def write_contacts(self, now):
        """Each row's contact becomes its company's main contact; the one it replaces is
        kept, no longer main, and stepped down first (one main contact per company)."""
        stepped_down, updated, created = [], [], []
        for company in self.to_write:
            contact = getattr(company, CONTACT_ATTRIBUTE)
            if contact is None or not company.import_contact_changed:
                continue
            previous = company.import_previous_contact
            if previous is not None and previous.pk != contact.pk:
                previous.is_main_contact = False
                previous.updated_at = now
                stepped_down.append(previous)
            contact.company = company
            contact.is_main_contact = True
            contact.updated_at = now
            (updated if contact.pk else created).append(contact)
        # Stepped down first: one main contact per company, checked row by row.
        self.update_with_history(stepped_down, Person, ["is_main_contact", "updated_at"])
        changed = {name for contact in updated for name in contact.import_changed_fields}
        self.update_with_history(
            updated, Person, [*sorted(changed), "is_main_contact", "updated_at"]
        )
        if created:
            bulk_create_with_history(created, Person, **self.history_attributes())
        if stepped_down or updated or created:
            written(Person)  # and those that read people

    # One row ----------------------------------------------------------------------------

    def import_row(self, row, instance_loader, **kwargs):
        """A row in one pass, in memory: its cells read, its company found (or new), the
        company and its contact changed, checked, and held for after_import(). A row that
        changes nothing is skipped: importing a file twice writes nothing the second time."""
        row_result = self.get_row_result_class()()
        if self.is_blank(row.values()):
            # An empty row between companies is no company: without an import type it is
            # neither counted nor shown.
            return row_result
        cells, errors = self.read_cells(row)
        if cells["name"]:  # the name on record, however its brackets and spaces are typed
            cells["name"] = self.names_by_key.get(name_key(cells["name"]), cells["name"])
        self.add_file_problems(errors, kwargs["row_number"])
        company = self.find_company(cells["credit_code"], cells["name"])
        new = company is None
        if new:
            company = Company()
        setattr(company, CONTACT_ATTRIBUTE, None if new else self.main_contacts.get(company.pk))
        company.import_previous_contact = None
        company.import_original_name = company.name
        before = self.values_of(company)
        for name in COMPANY_FIELDS:
            if cells[name] is not None and name != "industry":
                setattr(company, name, cells[name])
        self.set_industry(company, cells["industry"], kwargs["row_number"])
        try:
            self.import_contact(company, cells)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        after = self.values_of(company)
        changed = [
            name for name, old, value in zip(FIELDS, before, after, strict=True) if old != value
        ]
        company.import_changed_fields = [name for name in changed if name in COMPANY_FIELDS]
        company.import_contact_changed = any(name in CONTACT_FIELDS for name in changed)
        if errors or new or company.import_changed_fields or company.import_contact_changed:
            errors = self.validate(company, errors)
            if errors:
                row_result.import_type = RowResult.IMPORT_TYPE_INVALID
                row_result.validation_error = ValidationError(errors)
                return row_result
            row_result.import_type = (
                RowResult.IMPORT_TYPE_NEW if new else RowResult.IMPORT_TYPE_UPDATE
            )
            self.hold(company)
        else:
            row_result.import_type = RowResult.IMPORT_TYPE_SKIP
        row_result.add_instance_info(company)
        row_result.instance = company
        if self.dry_run:  # the check shows the rows; the import itself does not
            row_result.diff = [
                self.preview_cell(self.fields[name].widget, old, value, new=new)
                for name, old, value in zip(FIELDS, before, after, strict=True)
            ]
        return row_result

    def read_cells(self, row):
        """Each cell of the row as its field reads it (None: empty, no change), and the
        cells that cannot be read, with why."""
        cells, errors = {}, {}
        for name in FIELDS:
            field = self.fields[name]
            try:
                cells[name] = field.widget.clean(row[field.column_name])
            except ValueError as error:
                cells[name] = None
                errors[field.attribute] = [ValidationError(str(error), code="invalid")]
        return cells, errors

    def set_industry(self, company, cell, row_number):
        """Put the row's 行业 on the company: its section and the word as written, with a
        note when the word cannot be placed. The word the company already has leaves the
        company as it is (its section may have been chosen in the back office)."""
        if cell is None or (cell.text and company.pk and cell.text == company.industry_text):
            return
        company.industry, company.industry_text = cell.section, cell.text
        if not cell.placed:
            self.note(row_number, self.fields["industry"].column_name, not_placed(cell.text))

    def find_company(self, code, name):
        """The company a row describes: the one with its credit code, else the one with its
        name (unless that one carries another credit code)."""
        if code and code in self.by_code:
            return self.by_code[code]
        company = self.by_name.get(name) if name else None
        if company is not None and code and company.credit_code:
            return None
        return company

    @staticmethod
    def values_of(company):
        """The row's cells as the company and its contact hold them, in the file's order."""
        contact = getattr(company, CONTACT_ATTRIBUTE)
        industry = (company.industry, company.industry_text)  # see IndustryWidget.render()
        return [
            industry if name == "industry" else getattr(company, name) for name in COMPANY_FIELDS
        ] + [getattr(contact, attribute) if contact else None for attribute in PERSON_FIELDS]

    def import_contact(self, company, cells):
        """Put the row's contact on ``company.import_contact``: the main contact updated in
        place, or, when the row names someone else, that person (found among the company's
        people, or new) who becomes the main contact in their place."""
        name = cells["contact_name"]
        if not name:
            if any(cells[key] for key in CONTACT_FIELDS[1:]):
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
            person = self.people_by_name.get((company.pk, name)) if company.pk else None
            company.import_previous_contact = current
            setattr(company, CONTACT_ATTRIBUTE, person or Person(name=name))
        contact = getattr(company, CONTACT_ATTRIBUTE)
        contact.import_changed_fields = []
        for key, attribute in zip(CONTACT_FIELDS[1:], PERSON_FIELDS[1:], strict=True):
            if cells[key] is not None and cells[key] != getattr(contact, attribute):
                setattr(contact, attribute, cells[key])
                contact.import_changed_fields.append(attribute)

    def validate(self, company, errors):
        """The row's problems: those of its cells, and the models' own validation of what
        it sets (the rest is as it was, or the default), with the one check that needs
        other companies, is the name taken?, answered from memory."""
        errors = dict(errors)
        checked = COMPANY_FIELDS
        if company.pk is not None and not errors:
            checked = company.import_changed_fields
        try:
            company.full_clean(
                exclude=[
                    field.name
                    for field in Company._meta.fields
                    if field.name in errors or field.name not in checked
                ],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        holder = self.by_name.get(company.name)
        if "name" not in errors and holder not in (None, company):
            errors["name"] = [self.name_clash(company)]
        contact = getattr(company, CONTACT_ATTRIBUTE)
        if contact is not None and company.import_contact_changed:
            try:
                contact.full_clean(
                    exclude=[
                        field.name
                        for field in Person._meta.fields
                        if field.name not in PERSON_FIELDS
                    ],
                    validate_unique=False,
                    validate_constraints=False,
                )
            except ValidationError as error:
                for key, problems in error.error_dict.items():
                    errors.setdefault(f"{CONTACT_ATTRIBUTE}__{key}", problems)
            key = f"{CONTACT_ATTRIBUTE}__mobile"
            if (
                key not in errors
                and "mobile" in contact.import_changed_fields
                and self.account_mobiles.refuses(contact, contact.mobile)
            ):
                errors[key] = [ValidationError(MOBILE_TAKEN, params={"mobile": contact.mobile})]
        return errors

    @staticmethod
    def name_clash(company):
        """Say which company the name belongs to, rather than the model's generic words."""
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

    def hold(self, company):
        """Keep the row's company for after_import(), and let the rows after it find the
        company under its new name and credit code, as they would in the database."""
        self.to_write.append(company)
        if self.by_name.get(company.import_original_name) is company:
            del self.by_name[company.import_original_name]
        self.by_name[company.name] = company
        if company.credit_code:
            self.by_code[company.credit_code] = company

    @staticmethod
    def preview_cell(widget, before, after, *, new):
        """A cell of the preview: a value the row adds or changes is marked, after the one
        it replaces (a new company's defaults replace nothing)."""
        before, after = html.escape(widget.render(before)), html.escape(widget.render(after))
        if before == after:
            return SafeString(after)
        if new:
            before = ""
        return SafeString(
            (f"<del>{before}</del>" if before else "") + (f"<ins>{after}</ins>" if after else "")
        )

    # Export -----------------------------------------------------------------------------

    @staticmethod
    def main_contact(company):
        prefetched = getattr(company, "main_contacts", None)
        if prefetched is not None:
            return prefetched[0] if prefetched else None
        return company.people.filter(is_main_contact=True).first()

    def dehydrate_industry(self, company):
        """The word as written, else the section's name: the file imports back unchanged."""
        return company.industry_text or self.fields["industry"].widget.render(company.industry)

    def filter_export(self, queryset, **kwargs):
        return with_main_contacts(queryset)

    def export_resource(self, instance, selected_fields=None, **kwargs):
        setattr(instance, CONTACT_ATTRIBUTE, self.main_contact(instance))
        return super().export_resource(instance, selected_fields, **kwargs)
