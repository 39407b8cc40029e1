"""Spreadsheets (xlsx) in and out of the apps, through django-import-export: the cells and
widgets every file shares, and the resource each file's resource builds on.

A file is the chamber's own exchange format, Chinese by definition: its column headers and the
labels of its choices are fixed data, not translations. An import takes every row or none and
says each problem by its spreadsheet row and column.
"""

import datetime
import difflib
import re
import unicodedata
from collections import namedtuple

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets

from core.bulk_imports import BulkWrites
from core.counts import bumps_held
from core.exports import safe_cell, unescape_cell
from core.workbooks import read_sheet


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
    return unescape_cell(str(value).strip())


CHINESE_DATE_RE = re.compile(r"^(\d{4})年(\d{1,2})月(?:(\d{1,2})[日号]?)?$")
# The day may be left out only with 年 and 月: Excel makes 2019.10 typed in a number cell
# the number 2019.1, which would read as January.
NUMERIC_DATE_RE = re.compile(r"^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})$")
COMPACT_DATE_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
# Excel keeps a date as the days since 1899-12-30; a date cell formatted as a number shows
# them. Read as a date only in the range of a chamber's dates, 1954 to 2119.
EXCEL_EPOCH = datetime.date(1899, 12, 30)
EXCEL_SERIALS = range(20_000, 80_000)


def parse_date(value) -> datetime.date | None:
    """Read a date as people write it in spreadsheets: 2024-05-01, 2024/5/1, 2019.5.1,
    2024年5月1日 (full-width digits too), 20240501, a month alone (2019年5月: its first day)
    and Excel's day number of a date cell formatted as a number.

    Returns None for an empty value and raises ValidationError for anything else unreadable.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value)))
    if not text:
        return None
    parts = None
    if match := CHINESE_DATE_RE.match(text):
        parts = match.groups()
    elif match := NUMERIC_DATE_RE.match(text):
        parts = (match.group(1), match.group(3), match.group(4))
    elif match := COMPACT_DATE_RE.match(text):
        parts = match.groups()
    elif text.isascii() and text.isdigit() and int(text) in EXCEL_SERIALS:
        return EXCEL_EPOCH + datetime.timedelta(days=int(text))
    if parts:
        year, month, day = (int(part) if part else 1 for part in parts)
        try:
            return datetime.date(year, month, day)
        except ValueError:
            pass
    raise ValidationError(
        _("“%(value)s” is not a valid date; write it as 2024-05-01 or 2024年5月1日."),
        code="date",
        params={"value": str(value).strip()},
    )


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


# Text Excel made of a long number in a cell formatted as a number: 1.38E+10, 9.13101E+17.
SCIENTIFIC_RE = re.compile(r"^[+-]?\d+(\.\d+)?[eE][+-]?\d+$")


class DigitsWidget(TextWidget):
    """Text of digits, such as a mobile or a credit code, whatever Excel made of it: a
    number cell reads as its digits, full-width digits and letters as plain ones (NFKC).
    What Excel shortened to 1.38E+10 lost its last digits and is refused, saying so."""

    def clean(self, value, row=None, **kwargs):
        text = super().clean(value, row, **kwargs)
        if not text:
            return text
        text = unicodedata.normalize("NFKC", text)
        if SCIENTIFIC_RE.match(text.replace(" ", "")):
            raise ValueError(
                gettext(
                    "“%(value)s” is how Excel shows a long number, and its last digits are "
                    "lost. Format the column as text, type the number in full and save again."
                )
                % {"value": text}
            )
        return text


CJK_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# Spaces between Chinese characters or brackets are typing slips: 上海 华新 → 上海华新.
CJK_SPACE_RE = re.compile(r"(?<=[\u3400-\u9fff（）])\s+(?=[\u3400-\u9fff（）])")


def name_key(text: str) -> str:
    """A company's name as names are compared: full-width letters and spaces plain (NFKC),
    spaces collapsed and those between Chinese characters dropped, and the brackets of a
    Chinese name full-width, so that 上好佳(中国)有限公司 is 上好佳（中国）有限公司. A name
    without Chinese keeps its brackets."""
    name = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text or "")).strip()
    if CJK_RE.search(name):
        name = name.replace("(", "（").replace(")", "）")
        name = re.sub(r"\s*([（）])\s*", r"\1", name)
        name = CJK_SPACE_RE.sub("", name)
    return name


def name_variants(name: str) -> list[str]:
    """The names a record matching ``name`` most likely holds (see name_key()): as written,
    with full-width brackets and with half-width ones."""
    key = name_key(name)
    return list(dict.fromkeys([name, key, key.replace("（", "(").replace("）", ")")]))


def with_choices(message: str, choices) -> str:
    """The message, then each choice on a line of its own: a few labels hold "、"
    (批发和零售、住宿和餐饮), so joining them with it would blur where one ends. The import
    pages show the lines after the first as a list."""
    return "\n".join([message, *(str(choice) for choice in choices)])


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
        params = {"value": text, "suggestion": self.suggest(text)}
        if params["suggestion"]:
            message = gettext(
                "“%(value)s” is not one of the choices. Did you mean “%(suggestion)s”? "
                "The choices are:"
            )
        else:
            message = gettext("“%(value)s” is not one of the choices, which are:")
        raise ValueError(with_choices(message % params, self.labels.values()))

    def suggest(self, text) -> str | None:
        """The label ``text`` most likely meant, or None when no label is close: first one
        with a character mistyped (再册 for 在册, 付会长单位 for 副会长单位: a homophone), then
        one much like it, then one it is part of (会长 for 会长单位)."""
        labels = [str(label) for label in self.labels.values()]
        mistyped = [
            label
            for label in labels
            if len(label) == len(text) > 1
            and sum(a != b for a, b in zip(label, text, strict=True)) == 1
        ]
        close = mistyped or difflib.get_close_matches(text, labels, n=1, cutoff=0.75)
        if not close and len(text) > 1:
            close = [label for label in labels if text in label]
        if not close:
            return None
        return max(close, key=lambda label: difflib.SequenceMatcher(None, text, label).ratio())

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


def column(attribute, name, widget=None, **kwargs) -> fields.Field:
    """The field of the column ``name``: the model's ``attribute``, as text unless ``widget``
    says otherwise."""
    return fields.Field(
        attribute=attribute, column_name=name, widget=widget or TextWidget(), **kwargs
    )


Problem = namedtuple("Problem", ["row", "column", "message"])
# Something the import did that the secretary should know, though nothing is wrong with it.
Note = namedtuple("Note", ["row", "column", "message"])


def sheet_row_offset(result) -> int:
    """What to add to an import's row number (1 for the first row below the header) to get
    the spreadsheet's: the number of the header row, 1 unless title rows sit above it."""
    reading = getattr(result, "reading", None)
    return reading.header_row if reading is not None else 1


def change_reason(file_name) -> str:
    """What the history says of a change an import made."""
    if file_name:
        return gettext("Imported from %(file)s") % {"file": file_name}
    return gettext("Imported from a spreadsheet")


class SpreadsheetResource(BulkWrites, resources.ModelResource):
    """A sheet of the chamber's exchange format: an object a row, under Chinese headers.

    A resource declares a field for each column and lists the headers, in the file's order,
    in ``columns``: the file must carry all of them, exports write them in that order, and
    ``Meta.fields`` (which orders import and export too) follows from them unless the resource
    sets it. ``sheet_title`` names the exported sheet.

    An import takes every row or none: ``prepare_dataset()`` refuses a file without the
    columns, a blank row is no row, ``find_duplicates()`` may find problems between rows,
    every problem of a row is raised together, and ``describe_problems()`` says them for
    people. Exports write every column, with text a spreadsheet would run escaped. An import
    writes nothing until every row is read and good, and then in bulk (core.bulk_imports).
    """

    columns: tuple[str, ...] = ()
    sheet_title = ""
    # Headers secretaries write for a column, {"联系电话": "手机"}, besides the common ones of
    # core.workbooks.COMMON_SYNONYMS.
    synonyms: dict[str, str] = {}
    # Model fields full_clean() leaves alone: no column sets them, or they were checked.
    unchecked_fields: tuple[str, ...] = ()
    # Whether full_clean() also asks the database (unique fields, constraints).
    validate_in_database = True

    class Meta:
        use_transactions = True
        skip_unchanged = True
        report_skipped = True
        # See core.bulk_imports: no savepoint a row, nothing written before the last row,
        # the preview made of what each row changes.
        use_bulk = True
        batch_size = None
        skip_diff = True

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        meta = cls.__dict__.get("Meta")
        if cls.columns and meta is not None and not hasattr(meta, "fields"):
            # By now the metaclass has gathered the declared fields, and reads Meta next.
            names = {field.column_name: name for name, field in cls.fields.items()}
            meta.fields = tuple(names[column] for column in cls.columns)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.file_problems = {}
        self.notes = []
        self.reading = None
        self.sheet_requested = ""
        self.dry_run = False
        self.history_user = None
        self.history_reason = change_reason(None)

    # The whole file ---------------------------------------------------------------------

    def import_data(self, dataset, dry_run=False, raise_errors=False, **kwargs):
        """Import every row or none: any bad row rolls the whole file back."""
        kwargs["use_transactions"] = True
        kwargs["rollback_on_validation_errors"] = True
        self.dry_run = dry_run
        self.notes = []
        user = kwargs.get("user")
        self.history_user = None
        if user is not None and user.is_authenticated:
            # Each row's object holds the user, and import-export copies the object (deepcopy)
            # for its diff: the request's user, lazy and with its caches, costs a second for
            # 2,000 rows; a bare record of it (its key and name) costs nothing.
            model = user._meta.model
            self.history_user = model(pk=user.pk, **{model.USERNAME_FIELD: user.get_username()})
        self.history_reason = change_reason(kwargs.get("file_name"))
        self.sheet_requested = kwargs.pop("sheet", "") or ""
        try:
            self.prepare_dataset(dataset)
        except ImportFileError as error:
            result = self.get_result_class()()
            result.diff_headers = self.get_diff_headers()
            result.append_base_error(self.get_error_result_class()(error))
        else:
            # Cached counts are made out of date once for the file, not at every row.
            with bumps_held():
                result = super().import_data(
                    dataset, dry_run=dry_run, raise_errors=raise_errors, **kwargs
                )
        # What sheet and header row were read, for the page and for the problems' rows.
        result.reading = self.reading
        result.notes = list(self.notes)
        return result

    def prepare_dataset(self, dataset):
        """Read the sheet (core.workbooks.read_sheet: the sheet asked for, its header row
        below any title rows, headers as the secretary wrote them), drop empty rows at the
        end and find the problems between rows; refuse (ImportFileError) a file whose header
        row lacks one of the columns."""
        self.reading = read_sheet(dataset, self.columns, self.synonyms, self.sheet_requested)
        dataset.header_row = self.reading.header_row
        headers = list(dataset.headers or [])
        missing = [column for column in self.columns if column not in headers]
        if missing:
            # The columns one per line, as the allowed values of a choice (with_choices).
            raise ImportFileError(
                with_choices(
                    gettext(
                        "The header row of the sheet must name the columns; these are missing: "
                        "%(missing)s. The columns are, in this order:"
                    )
                    % {"missing": "、".join(missing)},
                    self.columns,
                )
            )
        while len(dataset) and self.is_blank(dataset[-1]):
            del dataset[-1]
        self.file_problems = self.find_duplicates(dataset)

    def find_duplicates(self, dataset) -> dict:
        """The problems of rows that repeat an earlier row of the file, as
        ``{row_number: {field attribute: [ValidationError, …]}}`` (see ``repeats()``); none
        by default."""
        return {}

    @staticmethod
    def repeats(dataset, key, attribute, message, problems=None) -> dict:
        """``problems`` with each row whose key is that of an earlier row of the file:
        ``message`` under ``attribute``, its ``%(row)s`` the earlier row as the spreadsheet
        numbers it (below its header row). ``key`` reads a row, a dict of its cells by column;
        a row with an empty key repeats nothing."""
        problems = {} if problems is None else problems
        first, headers = {}, dataset.headers
        offset = getattr(dataset, "header_row", 1)
        for number, values in enumerate(dataset, 1):
            value = key(dict(zip(headers, values, strict=False)))
            if not value:
                continue
            if value in first:
                problems.setdefault(number, {}).setdefault(attribute, []).append(
                    ValidationError(message, params={"row": first[value]})
                )
            else:
                first[value] = number + offset
        return problems

    @staticmethod
    def is_blank(values) -> bool:
        return all(cell_value(value) == "" for value in values)

    # One row ----------------------------------------------------------------------------

    def import_row(self, row, instance_loader, **kwargs):
        if self.is_blank(row.values()):
            # An empty row between rows is no row: without an import type it is neither
            # counted nor shown.
            return self.get_row_result_class()()
        return super().import_row(row, instance_loader, **kwargs)

    def after_init_instance(self, instance, new, row, **kwargs):
        if self.history_user is not None:
            instance._history_user = self.history_user
        instance._change_reason = self.history_reason
        super().after_init_instance(instance, new, row, **kwargs)

    def import_instance(self, instance, row, **kwargs):
        """Read the row into the instance, its cells and then what they name elsewhere
        (``import_related()``); every problem of the row, those with other rows of the file
        included, is raised together."""
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        try:
            self.import_related(instance, row)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        self.add_file_problems(errors, kwargs.get("row_number"))
        if errors:
            raise ValidationError(errors)

    def import_related(self, instance, row):
        """Set what the row names in other tables, raising ValidationError for what cannot be
        found; nothing by default."""

    def add_file_problems(self, errors: dict, row_number) -> dict:
        """``errors`` with those ``find_duplicates()`` found for the row."""
        for key, problems in self.file_problems.get(row_number, {}).items():
            errors.setdefault(key, []).extend(problems)
        return errors

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """The row's problems, those of ``check_instance()`` and the model's own validation
        of the fields without a problem yet, raised together."""
        errors = self.check_instance(instance, dict(import_validation_errors or {}))
        try:
            instance.full_clean(
                exclude=[*errors, *self.unchecked_fields],
                validate_unique=validate_unique and self.validate_in_database,
                validate_constraints=self.validate_in_database,
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def check_instance(self, instance, errors: dict) -> dict:
        """``errors`` with the row's problems the model's validation does not find."""
        return errors

    # Export -----------------------------------------------------------------------------

    def export_field(self, field, instance, **kwargs):
        return safe_cell(super().export_field(field, instance, **kwargs))

    def after_export(self, queryset, dataset, **kwargs):
        if self.sheet_title:
            dataset.title = self.sheet_title

    def get_export_fields(self, selected_fields=None):
        # Always the full set of columns, so that an exported file imports back.
        return super().get_export_fields(None)

    # Problems, for people ---------------------------------------------------------------

    def describe_problems(self, result) -> list[Problem]:
        """What is wrong with an import: each reason with the spreadsheet row it is on (as
        the sheet numbers it; None for the file as a whole) and the column it is about, the
        columns of a row in the file's order."""
        offset = sheet_row_offset(result)
        columns = {field.attribute: field.column_name for field in self.fields.values()}
        problems = [Problem(None, "", str(error.error)) for error in result.base_errors]
        by_row = {}
        for invalid in result.invalid_rows:
            for key, messages in invalid.error_dict.items():
                column = "" if key == NON_FIELD_ERRORS else columns.get(key, key)
                by_row.setdefault(invalid.number, []).extend(
                    (column, message) for message in messages
                )
        for error_row in result.error_rows:
            by_row.setdefault(error_row.number, []).extend(
                ("", str(error.error)) for error in error_row.errors
            )
        order = {column: index for index, column in enumerate(self.columns)}
        for number in sorted(by_row):
            reasons = sorted(by_row[number], key=lambda reason: order.get(reason[0], -1))
            problems.extend(
                Problem(number + offset, column, message) for column, message in reasons
            )
        return problems

    # Notes, for people ------------------------------------------------------------------

    def note(self, row_number, column, message):
        """Tell the secretary something about a row that is not a problem (a word kept as
        written, the company filed under 其他): ``row_number`` as ``import_row()`` gets it,
        ``column`` the header."""
        self.notes.append(Note(row_number, column, str(message)))

    def describe_notes(self, result) -> list[Note]:
        """The notes of an import, by spreadsheet row as ``describe_problems()`` numbers them
        (the header is row 1), then in the file's column order."""
        order = {column: index for index, column in enumerate(self.columns)}
        notes = sorted(
            getattr(result, "notes", []), key=lambda note: (note.row, order.get(note.column, -1))
        )
        offset = sheet_row_offset(result)
        return [Note(note.row + offset, note.column, note.message) for note in notes]
