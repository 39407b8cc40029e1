import datetime
import re
from decimal import Decimal, InvalidOperation
from io import BytesIO

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from core.counts import Expiring, count_of, counted_all
from core.exports import safe_cell
from core.rules import RuleRequiredMixin, allows, require

from .dashboard import dashboard_page, dashboard_page_name
from .metrics import FIGURE_TABLES, compute, figures_call, held_until
from .models import Framework, Heading, Indicator, IndicatorScore

FIRST_YEAR = 1990


class OverseersOnlyMixin(RuleRequiredMixin):
    """The president, the secretariat and supervisors."""

    rule = "reports.see_reports"


class DashboardView(RuleRequiredMixin, TemplateView):
    template_name = "reports/dashboard.html"
    rule = "reports.see_dashboard"

    def get_context_data(self, **kwargs):
        """The figures come rendered from the shared cache: one cache query."""
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        (html,) = counted_all(
            (dashboard_page, dashboard_page_name(self.request.roles, today), self.request, today)
        )
        context.update(today=today, dashboard_html=mark_safe(html))
        return context


def checked_year(year: int) -> int:
    if not FIRST_YEAR <= year <= timezone.localdate().year + 1:
        raise Http404
    return year


def chosen_framework(request):
    """The framework asked for (?framework=2017|current), else the current one: one query."""
    frameworks = list(Framework.objects.all())
    return frameworks, picked_framework(request, frameworks)


def requested_code(request) -> str:
    """The framework code asked for (?framework=, or the posted form's), or "" for the current
    one. A code is a slug: anything else names no framework, and would only make one more
    cached copy of the current framework's report (whose name carries the code)."""
    code = request.GET.get("framework") or request.POST.get("framework") or ""
    return code if FRAMEWORK_CODE.fullmatch(code) else ""


FRAMEWORK_CODE = re.compile(r"[-a-zA-Z0-9_]{1,20}")  # Framework.code: a SlugField of 20


def picked_framework(request, frameworks):
    """Of ``frameworks``, the one asked for (?framework=2017|current), else the current one."""
    return framework_of(requested_code(request), frameworks)


def framework_of(code: str, frameworks):
    """Of ``frameworks``, the one whose code is ``code``, else the current one."""
    chosen = next((f for f in frameworks if code and f.code == code), None)
    if chosen is None:
        chosen = next(
            (f for f in frameworks if f.is_current), frameworks[0] if frameworks else None
        )
    return chosen


# Every framework with its indicators and the year's self-scores, kept in the shared cache
# until one of them changes (the secretariat saves the scores on the report's page).
ASSESSMENT_TABLES = (Framework, Heading, Indicator, IndicatorScore)


@count_of(*ASSESSMENT_TABLES)
def _frameworks_and_indicators(year: int) -> tuple[list, list]:
    saved = IndicatorScore.objects.filter(year=year, indicator=OuterRef("pk"))
    indicators = list(
        Indicator.objects.select_related("heading").annotate(
            saved_pk=Subquery(saved.values("pk")[:1]),
            saved_score=Subquery(saved.values("score")[:1]),
            saved_comment=Subquery(saved.values("comment")[:1]),
        )
    )
    return list(Framework.objects.all()), indicators


def assessment(request, year: int, today=None):
    """The frameworks, the one asked for, the year's figures and the framework's headings,
    each with its indicators, their computed figure and the year's self-score: one cache
    query once computed (core.counts)."""
    return framework_assessment(requested_code(request), year, today)


def framework_assessment(code: str, year: int, today=None):
    """``assessment()`` of the framework whose code is ``code`` (else the current one)."""
    figures, (frameworks, indicators) = counted_all(
        figures_call(year, today),
        (_frameworks_and_indicators, f"reports:assessment:{year}", year),
    )
    framework = framework_of(code, frameworks)
    if framework is None:
        return frameworks, None, figures, []
    indicators = [i for i in indicators if i.heading.framework_id == framework.pk]
    headings = {}
    for indicator in indicators:
        heading = headings.setdefault(
            indicator.heading_id, {"heading": indicator.heading, "indicators": []}
        )
        indicator.figure = figures[indicator.metric]
        indicator.self_score = (
            IndicatorScore(
                pk=indicator.saved_pk,
                year=year,
                indicator=indicator,
                score=indicator.saved_score,
                comment=indicator.saved_comment,
            )
            if indicator.saved_pk
            else None
        )
        heading["indicators"].append(indicator)
    headings = sorted(headings.values(), key=lambda h: (h["heading"].order, h["heading"].pk))
    return frameworks, framework, figures, headings


def four_goods_context(
    year: int, code: str, *, opens_back_office: bool, can_edit: bool, posted=None, errors=None
) -> dict:
    """What the report's two parts (``four_goods_parts``) show: the year's figures and
    self-scores in the framework asked for, the scores as typed when a form was ``posted``
    with ``errors``, the evidence links this viewer opens and the form if they may edit."""
    today = timezone.localdate()
    frameworks, framework, _figures, headings = framework_assessment(code, year)
    errors = errors or {}
    for heading in headings:
        for indicator in heading["indicators"]:
            saved = indicator.self_score
            if posted is not None:
                indicator.form_score = posted.get(f"score-{indicator.pk}", "")
                indicator.form_comment = posted.get(f"comment-{indicator.pk}", "")
            else:
                indicator.form_score = "" if saved is None or saved.score is None else saved.score
                indicator.form_comment = saved.comment if saved else ""
            indicator.error = errors.get(indicator.pk)
    indicators = [indicator for heading in headings for indicator in heading["indicators"]]
    scored = [i for i in indicators if i.self_score and i.self_score.score is not None]
    for indicator in indicators:
        indicator.links = [
            evidence
            for evidence in indicator.figure.evidence
            if opens_back_office or not evidence.back_office
        ]
    return {
        "CHAMBER_NAME": settings.CHAMBER_NAME,
        "year": year,
        "frameworks": frameworks,
        "framework": framework,
        "headings": headings,
        "score_total": sum((i.self_score.score for i in scored), Decimal(0)),
        "full_marks_total": sum((i.full_marks for i in indicators), Decimal(0)),
        "scored_count": len(scored),
        "indicator_count": len(indicators),
        "data_date": min(today, datetime.date(year, 12, 31)),
        "can_edit": can_edit,
        "previous_year": year - 1,
        "next_year": year + 1 if year < today.year else None,
    }


def four_goods_parts(context: dict) -> tuple[str, str]:
    """The report rendered in two parts, around the form's opening tag and its CSRF token
    (the one thing on the page that is the viewer's own, left to the page): the head (title,
    toolbar, notices) and the body (the headings, the save button closing the form, the
    sign-off)."""
    return (
        get_template("reports/includes/_four_goods_head.html").render(context),
        get_template("reports/includes/_four_goods_body.html").render(context),
    )


@count_of(*dict.fromkeys((*FIGURE_TABLES, *ASSESSMENT_TABLES)))
def _four_goods_page(year: int, code: str, opens_back_office: bool, can_edit: bool) -> Expiring:
    """The report rendered (``four_goods_parts``), kept until a table it reads changes, a
    day passes (the data date; the name carries the day) or the year's next event starts
    (the events held, as the figures themselves)."""
    now = timezone.now()  # before counting: an event starting meanwhile ends the value at once
    context = four_goods_context(year, code, opens_back_office=opens_back_office, can_edit=can_edit)
    return Expiring(four_goods_parts(context), held_until(year, now))


class FourGoodsView(OverseersOnlyMixin, TemplateView):
    """The year's 四好商会 self-assessment; the secretariat fills in the self-scores.

    The report comes rendered from the shared cache (one cache query: ``_four_goods_page``),
    by year, framework, day, language and what the viewer's roles decide: the back office's
    evidence links, and the form for those who fill in the scores. Only a form sent back
    with errors, which shows what was typed, is rendered afresh."""

    template_name = "reports/four_goods.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = checked_year(self.kwargs["year"])
        code = requested_code(self.request)
        opens_back_office = allows("reports.open_back_office", self.request.roles)
        can_edit = allows("reports.score_four_goods", self.request.roles)
        posted = kwargs.get("posted")
        if posted is None:
            name = (
                f"reports:four-goods-page:{year}:{code}:{opens_back_office:d}{can_edit:d}:"
                f"{timezone.localdate()}:{get_language()}"
            )
            (parts,) = counted_all(
                (_four_goods_page, name, year, code, opens_back_office, can_edit)
            )
        else:
            parts = four_goods_parts(
                four_goods_context(
                    year,
                    code,
                    opens_back_office=opens_back_office,
                    can_edit=can_edit,
                    posted=posted,
                    errors=kwargs.get("errors"),
                )
            )
        head, body = parts
        context.update(
            year=year, can_edit=can_edit, report_head=mark_safe(head), report_body=mark_safe(body)
        )
        return context

    def post(self, request, *args, **kwargs):
        """Save every indicator's score and comment at once, or none if one is wrong."""
        require("reports.score_four_goods", request.roles)
        year = checked_year(self.kwargs["year"])
        _frameworks, framework = chosen_framework(request)
        if framework is None:
            raise Http404
        indicators = list(Indicator.objects.filter(heading__framework=framework))
        errors, values = {}, {}
        for indicator in indicators:
            raw = request.POST.get(f"score-{indicator.pk}", "").strip()
            comment = request.POST.get(f"comment-{indicator.pk}", "").strip()[:2000]
            score = None
            if raw:
                try:
                    score = Decimal(raw)
                except InvalidOperation:
                    score = None
                if score is None or not score.is_finite():  # NaN and Infinity parse too
                    errors[indicator.pk] = _("Enter a number, e.g. 8 or 8.5.")
                    continue
                if not Decimal(0) <= score <= indicator.full_marks or score != score.quantize(
                    Decimal("0.1")
                ):
                    errors[indicator.pk] = _(
                        "A score is between 0 and %(full)s, with at most one decimal."
                    ) % {"full": f"{indicator.full_marks.normalize():f}"}
                    continue
            values[indicator.pk] = (score, comment)
        if errors:
            messages.error(request, _("Nothing was saved: please correct the scores marked below."))
            context = self.get_context_data(errors=errors, posted=request.POST, **kwargs)
            return self.render_to_response(context, status=400)
        existing = {
            score.indicator_id: score
            for score in IndicatorScore.objects.filter(year=year, indicator__in=indicators)
        }
        with transaction.atomic():
            for indicator_id, (score, comment) in values.items():
                current = existing.get(indicator_id)
                if current is None:
                    if score is None and not comment:
                        continue
                    IndicatorScore.objects.create(
                        year=year,
                        indicator_id=indicator_id,
                        score=score,
                        comment=comment,
                        updated_by=request.user,
                    )
                elif (current.score, current.comment) != (score, comment):
                    current.score, current.comment = score, comment
                    current.updated_by = request.user
                    current.save()
        messages.success(request, _("The self-assessment was saved."))
        url = reverse("reports:four_goods", args=[year])
        return redirect(f"{url}?framework={framework.code}")


class FourGoodsExportView(OverseersOnlyMixin, View):
    """The self-assessment as an xlsx workbook, with Chinese headers."""

    def get(self, request, year):
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font

        year = checked_year(year)
        _frameworks, framework, _figures, headings = assessment(request, year)
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = str(year)
        title = _("%(year)s self-assessment: %(framework)s") % {
            "year": year,
            "framework": framework or "",
        }
        sheet.append([safe_cell(title)])
        sheet["A1"].font = Font(bold=True, size=14)
        header = [
            _("Heading"),
            _("Code"),
            _("Indicator"),
            _("Figure"),
            _("Computed from the records"),
            _("Self-score"),
            _("Comment"),
            _("Evidence"),
        ]
        sheet.append(header)
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        base = request.build_absolute_uri("/")[:-1]
        opens_back_office = allows("reports.open_back_office", request.roles)
        for heading in headings:
            for indicator in heading["indicators"]:
                score = indicator.self_score
                sheet.append(
                    [
                        safe_cell(value)
                        for value in (
                            heading["heading"].title,
                            indicator.code,
                            indicator.text,
                            indicator.figure.value,
                            indicator.figure.detail,
                            float(score.score) if score and score.score is not None else None,
                            score.comment if score else "",
                            "\n".join(
                                base + e.url
                                for e in indicator.figure.evidence
                                if opens_back_office or not e.back_office
                            ),
                        )
                    ]
                )
        for column, width in zip("ABCDEFGH", (12, 8, 40, 12, 50, 10, 40, 60), strict=True):
            sheet.column_dimensions[column].width = width
        for row in sheet.iter_rows(min_row=3):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        buffer = BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        code = framework.code if framework else "none"
        response["Content-Disposition"] = f'attachment; filename="four-goods-{year}-{code}.xlsx"'
        return response


class SummaryView(OverseersOnlyMixin, TemplateView):
    """The year's figures as one page to paste into the annual work report."""

    template_name = "reports/summary.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = checked_year(self.kwargs["year"])
        figures = compute(year)
        context.update(
            year=year,
            figures=list(figures.values()),
            previous_year=year - 1,
            next_year=year + 1 if year < timezone.localdate().year else None,
            generated_on=timezone.localdate(),
        )
        return context
