"""The import template (下载导入模板): an empty sheet of an import, ready to fill in Excel.

A secretary who starts from the template gets the columns in the file's order, one example
row to replace, columns wide enough to read, code and mobile columns formatted as text (so
Excel keeps 13812345678 as typed, not 1.38E+10) and a drop-down list on every column that takes
one of a few values (行业, 会员类别, 状态 …), so the file is right before it is checked.

The template is the resource's: a ``core.spreadsheets.SpreadsheetResource`` gives its columns
and, optionally,

- ``template_example``: the example row, ``{column: value}`` (a date or a datetime is written
  as an Excel date cell);
- ``text_columns``: the columns formatted as text;
- ``template_choices()``: the drop-down lists, ``{column: [value, …]}``; by default the
  labels of each column read by a ``ChoiceLabelWidget``;
- ``open_choice_columns``: the columns whose list suggests values but admits others.

Like the exports, the file is in Chinese whatever the admin's language: its words are the
chamber's exchange format, not translations. ``ImportTemplateMixin`` gives an importing admin
the URL ``import/template/`` that writes it, for those who may import.
"""

import datetime
import io
import unicodedata

from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.urls import path
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from core.spreadsheets import ChoiceLabelWidget

TEXT_FORMAT = "@"
DATE_FORMAT = "yyyy-mm-dd"
DATE_TIME_FORMAT = "yyyy-mm-dd hh:mm"
LAST_ROW = 1_048_576  # Excel's last row: a drop-down covers every row the secretary may fill
# Excel keeps a list typed into the validation itself to 255 characters; a longer one is
# written on a hidden sheet and referred to.
INLINE_LIST_LIMIT = 255
LISTS_SHEET = "选项"
MIN_WIDTH, MAX_WIDTH = 8, 40
HEADER_FILL = PatternFill("solid", start_color="DDEBF7")


def display_width(value) -> int:
    """How many character cells a value takes in Excel: a Chinese character takes two."""
    if isinstance(value, datetime.datetime):
        text = f"{value:%Y-%m-%d %H:%M}"
    elif isinstance(value, datetime.date):
        text = value.isoformat()
    else:
        text = str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def choice_lists(resource) -> dict[str, list[str]]:
    """The drop-down list of each column: the resource's own, else the labels of each
    column read by a ChoiceLabelWidget (in the file's order)."""
    own = getattr(resource, "template_choices", None)
    if own is not None:
        return own()
    return default_choice_lists(resource)


def default_choice_lists(resource) -> dict[str, list[str]]:
    """The labels of each column a ChoiceLabelWidget reads: what a resource that adds its
    own lists (template_choices) starts from."""
    lists = {}
    for field in resource.fields.values():
        if isinstance(field.widget, ChoiceLabelWidget) and field.column_name in resource.columns:
            lists[field.column_name] = [str(label) for label in field.widget.labels.values()]
    return lists


def template_workbook(resource) -> Workbook:
    """The workbook of ``resource``'s import template (see the module's docstring)."""
    book = Workbook()
    sheet = book.active
    sheet.title = resource.sheet_title or "Sheet1"
    columns = list(resource.columns)
    example = getattr(resource, "template_example", {})
    text_columns = set(getattr(resource, "text_columns", ()))
    sheet.append(columns)
    sheet.append([example.get(name, "") for name in columns])
    sheet.freeze_panes = "A2"
    lists = choice_lists(resource)
    for index, name in enumerate(columns, 1):
        letter = get_column_letter(index)
        header, cell = sheet.cell(1, index), sheet.cell(2, index)
        header.font = Font(bold=True)
        header.fill = HEADER_FILL
        header.alignment = Alignment(horizontal="center", vertical="center")
        dimension = sheet.column_dimensions[letter]
        widest = [display_width(name), display_width(cell.value or "")]
        if name in text_columns:
            # On the column, so that a cell typed in later is text too, and on the example.
            dimension.number_format = cell.number_format = TEXT_FORMAT
        elif isinstance(cell.value, datetime.datetime):
            cell.number_format = DATE_TIME_FORMAT
        elif isinstance(cell.value, datetime.date):
            cell.number_format = DATE_FORMAT
        if name in lists:
            widest += [display_width(value) for value in lists[name]]
            add_drop_down(book, sheet, letter, lists[name], name, resource)
        dimension.width = min(MAX_WIDTH, max(MIN_WIDTH, *widest) + 2)
    return book


def add_drop_down(book, sheet, letter, values, column_name, resource):
    """A list validation on the column below its header: ``values`` typed into the
    validation, or on the hidden sheet when they are too many for that."""
    formula = '"{}"'.format(",".join(values))
    if len(formula) - 2 > INLINE_LIST_LIMIT or any("," in value for value in values):
        lists = book[LISTS_SHEET] if LISTS_SHEET in book.sheetnames else None
        if lists is None:
            lists = book.create_sheet(LISTS_SHEET)
            lists.sheet_state = "hidden"
        index = 1 if lists["A1"].value is None else lists.max_column + 1
        lists.cell(1, index, column_name)
        for row, value in enumerate(values, 2):
            lists.cell(row, index, value)
        target = get_column_letter(index)
        formula = f"{quote_sheetname(LISTS_SHEET)}!${target}$2:${target}${len(values) + 1}"
    strict = column_name not in getattr(resource, "open_choice_columns", ())
    validation = DataValidation(
        type="list",
        formula1=formula,
        allow_blank=True,
        showDropDown=False,  # sic: False shows the arrow
        showErrorMessage=strict,
        errorTitle=column_name,
        error="请从下拉列表中选择。",
    )
    validation.add(f"{letter}2:{letter}{LAST_ROW}")
    sheet.add_data_validation(validation)


def template_bytes(resource) -> bytes:
    out = io.BytesIO()
    template_workbook(resource).save(out)
    return out.getvalue()


def template_filename(resource) -> str:
    return f"{resource.sheet_title or 'import'}导入模板.xlsx"


class ImportTemplateMixin:
    """An importing admin's ``import/template/`` (URL name ``<app>_<model>_import_template``):
    the template of its import, for those who may import (a 403 for the others)."""

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "import/template/",
                self.admin_site.admin_view(self.import_template_view),
                name="{}_{}_import_template".format(*info),
            ),
            *super().get_urls(),
        ]

    def import_template_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        resource_class = self.get_import_resource_classes(request)[0]
        resource = resource_class(**self.get_import_resource_kwargs(request))
        return FileResponse(
            io.BytesIO(template_bytes(resource)),
            as_attachment=True,
            filename=template_filename(resource),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
