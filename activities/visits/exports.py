"""The visit board and the problem ledger as Excel workbooks, with Chinese headers.

The headers are the chamber's own exchange format, fixed data like the company import's; the
choice labels are written in Chinese whatever language the person downloading uses.
"""

import datetime
import io

from django.http import HttpResponse
from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from core.exports import safe_cell

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="F3D9D6")
MET_FILL = PatternFill("solid", fgColor="EBF6ED")
SHORT_FILL = PatternFill("solid", fgColor="FBE3E1")

BOARD_HEADERS = [
    "班子成员",
    "职务",
    *[f"{n}月" for n in range(1, 13)],
    "全年走访（家次）",
    "达标月数",
    "应达标月数",
]
COVERAGE_HEADERS = ["未走访时长", "企业名称", "最近走访日期", "联系领导"]
COVERAGE_LABELS = {"12": "12个月以上（含从未走访）", "6": "6至12个月", "3": "3至6个月"}
LEDGER_HEADERS = [
    "编号",
    "企业名称",
    "类别",
    "诉求内容",
    "来源",
    "提出日期",
    "负责人",
    "办理期限",
    "状态",
    "是否逾期",
    "已历天数",
    "办结情况",
    "办结日期",
    "不予处理理由",
    "提案",
    "企业确认",
    "满意度",
    "内部备注",
]


def _sheet(workbook, title, headers, rows, widths, first=False):
    sheet = workbook.active if first else workbook.create_sheet()
    sheet.title = title
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
    for row in rows:
        sheet.append([safe_cell(value) for value in row])
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    return sheet


def response(workbook, filename: str) -> HttpResponse:
    out = io.BytesIO()
    workbook.save(out)
    result = HttpResponse(out.getvalue(), content_type=XLSX)
    result["Content-Disposition"] = f'attachment; filename="{filename}"'
    return result


def compliance_workbook(board, buckets) -> Workbook:
    workbook = Workbook()
    rows = []
    for row in board.rows:
        cells = []
        for cell in row.cells:
            if cell.state == "none":
                cells.append("")
            elif cell.state == "future":
                cells.append("—")
            else:
                cells.append(f"{cell.done}/{cell.required}")
        rows.append([row.leader.name, row.title, *cells, row.done, row.months_met, row.months_due])
    totals = [
        "合计",
        "",
        *[
            "—" if total.state == "future" else f"{total.met}/{total.leaders}人达标"
            for total in board.totals
        ],
        board.done,
        board.months_met,
        board.months_due,
    ]
    sheet = _sheet(
        workbook,
        f"{board.year}年走访达标",
        BOARD_HEADERS,
        [*rows, totals],
        [10, 14, *[8] * 12, 16, 10, 12],
        first=True,
    )
    for line, row in enumerate(board.rows, start=2):
        for column, cell in enumerate(row.cells, start=3):
            target = sheet.cell(row=line, column=column)
            target.alignment = Alignment(horizontal="center")
            if cell.state == "met":
                target.fill = MET_FILL
            elif cell.state == "short":
                target.fill = SHORT_FILL
    coverage_rows = [
        [
            COVERAGE_LABELS[bucket.key],
            company.name,
            company.last_visit.isoformat() if company.last_visit else "从未走访",
            "、".join(company.leader_names),
        ]
        for bucket in buckets
        for company in bucket.companies
    ]
    _sheet(workbook, "走访覆盖", COVERAGE_HEADERS, coverage_rows, [24, 40, 14, 20])
    return workbook


def _date(value: datetime.date | None) -> str:
    return value.isoformat() if value else ""


def ledger_workbook(problems) -> Workbook:
    today = timezone.localdate()
    rows = []
    with translation.override("zh-hans"):
        for problem in problems:
            rows.append(
                [
                    problem.pk,
                    problem.company.name,
                    problem.get_category_display(),
                    problem.description,
                    "企业自提"
                    if problem.raised_by_company
                    else f"走访（{problem.visit.leader.name}）",
                    _date(problem.raised_on),
                    problem.owner.name if problem.owner else "",
                    _date(problem.due_on),
                    problem.get_status_display(),
                    "是" if problem.is_open and problem.due_on < today else "",
                    (today - problem.raised_on).days if problem.is_open else "",
                    problem.resolution if problem.status == "solved" else "",
                    _date(problem.resolved_on),
                    problem.decline_reason if problem.status == "declined" else "",
                    problem.proposal.title if problem.proposal else "",
                    timezone.localdate(problem.confirmed_at).isoformat()
                    if problem.confirmed_at
                    else ("待确认" if problem.awaits_confirmation else ""),
                    problem.get_satisfaction_display(),
                    problem.internal_notes,
                ]
            )
    workbook = Workbook()
    _sheet(
        workbook,
        "诉求台账",
        LEDGER_HEADERS,
        rows,
        [8, 36, 10, 50, 16, 12, 10, 12, 10, 8, 8, 40, 12, 30, 30, 12, 10, 30],
        first=True,
    )
    return workbook
