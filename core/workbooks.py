"""Reading a workbook the way a chamber's secretary keeps it.

A secretary's sheet is rarely the bare table an export writes: a title row sits above the
header (徐泾镇商会会员企业名册（2026年）, merged across the columns), headers carry stray spaces,
full-width letters or the secretary's own word for a column (联系电话 for 手机), blocks of rows
are parted by blank rows, and the workbook has several sheets. This module reads all that into
the plain table the import resources expect, and says what it did, so that the check page can
tell the secretary which sheet and which header row it read and how it understood each header.

- ``read_workbook()`` reads every worksheet's cell values (the size limits are
  ``core.limits``'); ``sheets_dataset()`` makes of them the dataset of the active sheet, with
  the other sheets kept on it for a later choice.
- ``read_sheet()`` picks the sheet (the one asked for, else the active one, else the first
  whose header names every column), finds its header row among the first rows, renames the
  headers to the resource's columns and reports it all as a ``Reading``.
"""

import io
import re
import unicodedata
from dataclasses import dataclass, field

import tablib

# How far down a sheet the header row is looked for: title rows, a date, a note or two.
HEADER_SEARCH_ROWS = 30

# Words secretaries write for a column, every import's (a resource adds its own in
# ``synonyms``). Keys and columns are compared as ``header_key()`` makes them.
COMMON_SYNONYMS = {
    "企业名": "企业名称",
    "企业": "企业名称",
    "公司名称": "企业名称",
    "公司名": "企业名称",
    "公司": "企业名称",
    "单位名称": "企业名称",
    "会员单位名称": "企业名称",
    "会员企业": "企业名称",
    "会员企业名称": "企业名称",
    "统一代码": "统一社会信用代码",
    "信用代码": "统一社会信用代码",
    "社会信用代码": "统一社会信用代码",
    "统一信用代码": "统一社会信用代码",
    "统一社会信用代码证": "统一社会信用代码",
    "组织机构代码": "统一社会信用代码",
    "联系电话": "手机",
    "手机号": "手机",
    "手机号码": "手机",
    "移动电话": "手机",
    "电话": "手机",
    "联系方式": "手机",
    "电子邮箱": "邮箱",
    "电子邮件": "邮箱",
    "邮件": "邮箱",
    "email": "邮箱",
    "e-mail": "邮箱",
    "所属行业": "行业",
    "行业类别": "行业",
    "行业分类": "行业",
    "会员级别": "会员类别",
    "会员等级": "会员类别",
    "会员类型": "会员类别",
    "单位类别": "会员类别",
    "入会时间": "入会日期",
    "入会年月": "入会日期",
    "会员状态": "状态",
    "企业地址": "地址",
    "公司地址": "地址",
    "单位地址": "地址",
    "通讯地址": "地址",
    "联系地址": "地址",
    "联系人姓名": "联系人",
    "联系人职务": "职务",
}


def header_key(value) -> str:
    """A header as compared: full-width letters and spaces made plain (NFKC), every space
    dropped, a required-mark or a colon at either end dropped, Latin letters lower-case."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    text = re.sub(r"\s+", "", text)
    return text.strip("*:：").lower()


@dataclass
class Reading:
    """What the reader did with a workbook, for the check page. ``header_row`` is the
    spreadsheet's number of the header row (1 unless title rows sit above it); ``renamed``
    lists the headers read as another column, as (header as written, column)."""

    sheet: str = ""
    sheets: list[str] = field(default_factory=list)
    header_row: int = 1
    renamed: list[tuple[str, str]] = field(default_factory=list)
    chosen: bool = False  # the secretary asked for this sheet

    @property
    def other_sheets(self) -> list[str]:
        return [name for name in self.sheets if name != self.sheet]


# --- The workbook's cells ---------------------------------------------------------------


class TooManyRows(Exception):
    """A sheet has more than the rows an import reads."""

    def __init__(self, sheet):
        super().__init__(sheet)
        self.sheet = sheet


def read_workbook(data: bytes, max_rows: int) -> tuple[list[tuple[str, list[list]]], int]:
    """Every worksheet of the workbook as (name, rows of cell values), each row as long as
    the sheet's longest and blank rows at the end dropped, and the index of the active sheet.
    A sheet with more than ``max_rows`` rows below its first raises TooManyRows."""
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheets = []
        for sheet in book.worksheets:
            if getattr(sheet, "sheet_state", "visible") != "visible":
                continue  # e.g. the import template's lists of choices: not the secretary's data
            rows, blanks, width = [], 0, 0
            for values in sheet.iter_rows(values_only=True):
                if all(value is None for value in values):
                    blanks += 1  # kept only if a row follows: rows keep their numbers
                    continue
                rows.extend([] for _blank in range(blanks))
                blanks = 0
                if len(rows) > max_rows:
                    raise TooManyRows(sheet.title)
                rows.append(list(values))
                width = max(width, len(values))
            # Read-only sheets may end their rows early; tablib wants one width.
            for row in rows:
                row.extend([None] * (width - len(row)))
            sheets.append((sheet.title, rows))
        active = book.active
        visible = [
            sheet
            for sheet in book.worksheets
            if getattr(sheet, "sheet_state", "visible") == "visible"
        ]
        index = visible.index(active) if active in visible else 0
    finally:
        book.close()
    return sheets, index


class WorkbookDataset(tablib.Dataset):
    """A sheet's table that knows the workbook's other sheets: it has data (for the admin's
    "no data" check) if any sheet has rows below its first, whichever one is imported."""

    workbook_sheets = ()

    def __bool__(self):
        return len(self) > 0 or any(rows and len(rows) > 1 for _name, rows in self.workbook_sheets)


def sheets_dataset(sheets: list[tuple[str, list[list]]], active: int) -> tablib.Dataset:
    """The active sheet as a dataset whose headers are its first row, as an import reads a
    plain table; the other sheets are kept on it (``workbook_sheets``, the active one's rows
    None: they are the dataset's, not held twice) so that ``read_sheet()`` may read another."""
    name, rows = sheets[active] if sheets else ("", [])
    dataset = WorkbookDataset()
    if rows:
        dataset.headers = list(rows[0])
        for values in rows[1:]:
            dataset.append(values)
    dataset.title = name
    dataset.workbook_sheets = [
        (title, None if index == active else values) for index, (title, values) in enumerate(sheets)
    ]
    return dataset


# --- The sheet and its header -------------------------------------------------------------


def column_keys(columns, synonyms) -> dict[str, str]:
    """Each header key a column is known by: its own, then its synonyms'."""
    keys = {header_key(column): column for column in columns}
    for word, column in {**COMMON_SYNONYMS, **synonyms}.items():
        if column in columns:
            keys.setdefault(header_key(word), column)
    return keys


def match_headers(values, keys) -> dict[int, str]:
    """The columns a row of headers names, by position: a column named exactly wins over
    one named by a synonym, and each column is taken once."""
    found, exact = {}, {}
    for position, value in enumerate(values):
        column = keys.get(header_key(value))
        if column is None:
            continue
        is_exact = header_key(value) == header_key(column)
        if column in exact and (exact[column][1] or not is_exact):
            continue
        if column in exact:
            del found[exact[column][0]]
        found[position] = column
        exact[column] = (position, is_exact)
    return found


def find_header(rows, keys) -> int:
    """The index of the row among the first ``HEADER_SEARCH_ROWS`` that names the most
    columns (the first of equals); 0 when none names any."""
    best, best_count = 0, 0
    for index, values in enumerate(rows[:HEADER_SEARCH_ROWS]):
        count = len(match_headers(values, keys))
        if count > best_count:
            best, best_count = index, count
    return best


def read_sheet(dataset: tablib.Dataset, columns, synonyms=None, sheet="") -> Reading:
    """Make ``dataset`` the table of the sheet to import, in place, and say how it was read.

    The sheet is ``sheet`` if the workbook has it, else the active sheet if its header names
    every column, else the first sheet whose header does, else the active sheet. Rows above
    the header row go; headers are renamed to the columns they name; a row repeating the
    header (a block's own header) is blanked, so that it is no row but the rows keep their
    numbers. A dataset made in code (no ``workbook_sheets``) is read as its one sheet.
    """
    keys = column_keys(columns, synonyms or {})
    sheets = getattr(dataset, "workbook_sheets", None)
    if sheets:
        names = [name for name, _rows in sheets]
        active = names.index(dataset.title) if dataset.title in names else 0
        tops = [
            own_top(dataset) if rows is None else rows[:HEADER_SEARCH_ROWS]
            for _name, rows in sheets
        ]
    else:
        names, active = [dataset.title or ""], 0
        tops = [own_top(dataset)]
    chosen = bool(sheet) and sheet in names
    index = names.index(sheet) if chosen else best_sheet(tops, active, keys, len(columns))
    header = find_header(tops[index], keys)
    if index != active:
        rows = sheets[index][1]
        dataset.wipe()
        if rows:
            dataset.headers = rows[header]
            for values in rows[header + 1 :]:
                dataset.append(values)
    elif header:
        headers = list(dataset[header - 1])
        for _row in range(header):
            del dataset[0]
        dataset.headers = headers
    dataset.title = names[index]
    headers = list(dataset.headers or [])
    found = match_headers(headers, keys)
    renamed = []
    for position, value in enumerate(headers):
        written = "" if value is None else str(value).strip()
        headers[position] = found.get(position, written)
        if position in found and written != found[position]:
            renamed.append((written, found[position]))
    if dataset.headers:
        blank_repeated_headers(dataset, found)
        dataset.headers = headers
    return Reading(
        sheet=names[index], sheets=names, header_row=header + 1, renamed=renamed, chosen=chosen
    )


def own_top(dataset) -> list[list]:
    """The first rows of the dataset's own sheet, its headers first, as the header is
    looked for."""
    return [list(dataset.headers or []), *map(list, dataset[: HEADER_SEARCH_ROWS - 1])]


def blank_repeated_headers(dataset, found):
    """Blank each row that repeats the header row (blocks of a sheet often have their own)."""
    if not found:
        return
    keys = [header_key(value) for value in dataset.headers]
    first = min(found)
    blank = [None] * len(keys)
    for number, values in enumerate(dataset):
        value = values[first]
        if isinstance(value, str) and header_key(value) == keys[first]:
            if [header_key(cell) for cell in values] == keys:
                dataset[number] = blank


def best_sheet(tops, active, keys, wanted) -> int:
    """The active sheet if its header names every column, else the first sheet whose does,
    else the one whose header names the most (the active one of equals)."""
    counts = [
        len(match_headers(rows[find_header(rows, keys)], keys)) if rows else 0 for rows in tops
    ]
    if counts[active] >= wanted:
        return active
    for index, count in enumerate(counts):
        if count >= wanted:
            return index
    best = max(counts, default=0)
    return active if counts[active] == best else counts.index(best)
