"""Spreadsheets (xlsx) in and out of the apps, through django-import-export: the cells and
widgets every file shares, and the resource each file's resource builds on.

A file is the chamber's own exchange format, Chinese by definition: its column headers and the
labels of its choices are fixed data, not translations. An import takes every row or none and
says each problem by its spreadsheet row and column.
"""

import datetime
import difflib
import re
from collections import namedtuple

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets

from core.exports import safe_cell, unescape_cell


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


CHINESE_DATE_RE = re.compile(r"^\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?\s*$")
NUMERIC_DATE_RE = re.compile(r"^\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\s*$")


def parse_date(value) -> datetime.date | None:
    """Read a date as people write it in spreadsheets: 2024-05-01, 2024/5/1, 2024年5月1日.

    Returns None for an empty value and raises ValidationError for anything else unreadable.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    if not text:
        return None
    match = CHINESE_DATE_RE.match(text) or NUMERIC_DATE_RE.match(text)
    if match:
        year, month, day = (int(part) for part in match.groups())
        try:
            return datetime.date(year, month, day)
        except ValueError:
            pass
    raise ValidationError(
        _("“%(value)s” is not a valid date; write it as 2024-05-01 or 2024年5月1日."),
        code="date",
        params={"value": text},
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
        params = {"value": text, "choices": "、".join(self.labels.values())}
        params["suggestion"] = self.suggest(text)
        if params["suggestion"]:
            message = gettext(
                "“%(value)s” is not one of the choices: %(choices)s. Did you mean “%(suggestion)s”?"
            )
        else:
            message = gettext("“%(value)s” is not one of the choices: %(choices)s.")
        raise ValueError(message % params)

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


def change_reason(file_name) -> str:
    """What the history says of a change an import made."""
    if file_name:
        return gettext("Imported from %(file)s") % {"file": file_name}
    return gettext("Imported from a spreadsheet")


class SpreadsheetResource(resources.ModelResource):
    """A sheet of the chamber's exchange format: an object a row, under Chinese headers.

    A resource declares a field for each column and lists the headers, in the file's order,
    in ``columns``: the file must carry all of them, exports write them in that order, and
    ``Meta.fields`` (which orders import and export too) follows from them unless the resource
    sets it. ``sheet_title`` names the exported sheet.

    An import takes every row or none: ``prepare_dataset()`` refuses a file without the
    columns, a blank row is no row, ``find_duplicates()`` may find problems between rows,
    every problem of a row is raised together, and ``describe_problems()`` says them for
    people. Exports write every column, with text a spreadsheet would run escaped.
    """

    columns: tuple[str, ...] = ()
    sheet_title = ""
    # Model fields full_clean() leaves alone: no column sets them, or they were checked.
    unchecked_fields: tuple[str, ...] = ()
    # Whether full_clean() also asks the database (unique fields, constraints).
    validate_in_database = True

    class Meta:
        use_transactions = True
        skip_unchanged = True
        report_skipped = True

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
        self.history_user = user if user is not None and user.is_authenticated else None
        self.history_reason = change_reason(kwargs.get("file_name"))
        try:
            self.prepare_dataset(dataset)
        except ImportFileError as error:
            result = self.get_result_class()()
            result.diff_headers = self.get_diff_headers()
            result.append_base_error(self.get_error_result_class()(error))
            return result
        result = super().import_data(dataset, dry_run=dry_run, raise_errors=raise_errors, **kwargs)
        result.notes = list(self.notes)
        return result

    def prepare_dataset(self, dataset):
        """Tidy the header row, drop empty rows at the end and find the problems between
        rows; refuse (ImportFileError) a file whose header row lacks one of the columns."""
        headers = [str(cell_value(header)) for header in dataset.headers or []]
        if headers:
            dataset.headers = headers
        missing = [column for column in self.columns if column not in headers]
        if missing:
            raise ImportFileError(
                gettext(
                    "The first row of the sheet must name the columns; these are missing: "
                    "%(missing)s. The columns are, in this order: %(columns)s."
                )
                % {"missing": "、".join(missing), "columns": "、".join(self.columns)}
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
        numbers it (the header is row 1). ``key`` reads a row, a dict of its cells by column;
        a row with an empty key repeats nothing."""
        problems = {} if problems is None else problems
        first, headers = {}, dataset.headers
        for number, values in enumerate(dataset, 1):
            value = key(dict(zip(headers, values, strict=False)))
            if not value:
                continue
            if value in first:
                problems.setdefault(number, {}).setdefault(attribute, []).append(
                    ValidationError(message, params={"row": first[value]})
                )
            else:
                first[value] = number + 1
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
        """What is wrong with an import: each reason with the spreadsheet row it is on (the
        header is row 1; None for the file as a whole) and the column it is about, the
        columns of a row in the file's order."""
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
            problems.extend(Problem(number + 1, column, message) for column, message in reasons)
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
        return [Note(note.row + 1, note.column, note.message) for note in notes]
