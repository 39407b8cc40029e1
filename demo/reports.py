"""Demo self-scores: last year's four-goods self-assessment, scored from the demo's records.

The figures themselves are never seeded: the report computes them from the demo records. The
self-scores say no more than those records do:

- where the demo's records of a kind cover the whole year (donations since 2017, the member
  companies' joining dates, the rules), the score is derived from the year's figure (``score``)
  and its comment gives the figure;
- where they do not (visits and problems cover the twelve months up to the day the demo is
  loaded, events the last ``PAST_DAYS`` days, sharing meetings the last five quarters, honors
  the article's years, the development group's pipeline this year), the indicator is left
  unscored and its comment says what the demo holds: a score there would claim what no record
  shows, either way.

A score is out of ``FULL_MARKS``.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from core.time import add_months, month_start
from reports.metrics import compute_afresh
from reports.models import Indicator, IndicatorScore, Metric

from . import data
from .events.seed import PAST_DAYS

FULL_MARKS = 10
# What a year should show for full marks, for the figures that are counts.
TARGETS = {
    Metric.LEADERSHIP_MEETINGS: ("held", 4, "次班子会议"),
    Metric.PROPOSALS: ("submitted", 1, "件提案议案"),
    Metric.PARTY_EVENTS: ("held", 4, "次党建活动"),
    Metric.TRAINING_EVENTS: ("held", 4, "次培训"),
    Metric.POLICY_EVENTS: ("held", 4, "次政策宣讲"),
    Metric.ALL_EVENTS: ("held", 12, "次活动"),
    Metric.NEW_MEMBERS: ("joined", 1, "家新会员"),
    Metric.DEVELOPMENT_GROUP: ("from_group", 1, "家经发展小组入会的会员"),
    Metric.RULES: ("in_force", 4, "项有效制度"),
    Metric.HONORS: ("count", 1, "项荣誉"),
}
RECORDS = {
    Metric.VISITS: "visits",
    Metric.PROBLEMS: "visits",
    Metric.PROPOSALS: "visits",
    Metric.LEADERSHIP_MEETINGS: "events",
    Metric.PARTY_EVENTS: "events",
    Metric.TRAINING_EVENTS: "events",
    Metric.POLICY_EVENTS: "events",
    Metric.ALL_EVENTS: "events",
    Metric.SHARING_MEETINGS: "meetings",
    Metric.HONORS: "honors",
    Metric.DEVELOPMENT_GROUP: "prospects",
}
RECORD_NAMES = {
    "visits": "走访和诉求",
    "events": "活动",
    "meetings": "季度例会",
    "honors": "荣誉",
    "prospects": "会员发展",
}


def coverage(today: datetime.date) -> dict[str, tuple[datetime.date, datetime.date]]:
    """The days each kind of demo record covers (see the modules that seed them)."""
    this_quarter = datetime.date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    honors_end = max(year_end or year for year, year_end, *_rest in data.HONORS)
    return {
        "visits": (add_months(month_start(today), -11), today),
        "events": (today - datetime.timedelta(days=PAST_DAYS), today),
        "meetings": (add_months(this_quarter, -12), today),
        "honors": (datetime.date(2015, 1, 1), datetime.date(honors_end, 12, 31)),
        # The development group's pipeline is this year's (demo.data.prospects).
        "prospects": (datetime.date(today.year, 1, 1), today),
    }


def _day(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _points(done, target) -> Decimal:
    share = min(Decimal(done) / Decimal(target), Decimal(1)) if target else Decimal(0)
    return (share * FULL_MARKS).quantize(Decimal("0.1"))


def score(metric: str, numbers: dict, year: int) -> tuple[Decimal | None, str]:
    """The self-score the year's figures support, and a comment saying which figures."""
    prefix = f"按{year}年的记录计："
    if metric == Metric.VISITS:
        done, required = numbers["done"], numbers["required"]
        if not required:
            return None, prefix + "本年没有应走访的月份，不评分。"
        return _points(done, required), prefix + f"应走访{required}家次，完成{done}家次。"
    if metric == Metric.PROBLEMS:
        raised, solved = numbers["raised"], numbers["solved"]
        if not raised:
            return None, prefix + "本年没有登记诉求，不评分。"
        return _points(solved, raised), prefix + f"登记诉求{raised}件，办结{solved}件。"
    if metric == Metric.SHARING_MEETINGS:
        covered = numbers["quarters_covered"]
        return _points(covered, 4), prefix + f"{covered}个季度召开了例会暨分享会（应为4个）。"
    if metric == Metric.CHARITY:
        total = numbers["total"]
        if not total:
            return Decimal(0), prefix + "本年没有收到捐赠。"
        received = f"收到捐赠{total:,.2f}元，来自{numbers['donors']}家企业。"
        return Decimal(FULL_MARKS), prefix + received
    if metric == Metric.DUES:
        billed, collected = numbers["billed"], numbers["collected"]
        if not billed:
            return None, prefix + "本年没有会费账单，不评分。"
        return _points(
            collected, billed
        ), prefix + f"应收会费{billed:,.2f}元，实收{collected:,.2f}元。"
    key, target, what = TARGETS[metric]
    done = numbers[key]
    return _points(done, target), prefix + f"{done}{what}（满分需{target}）。"


def self_score(metric: str, numbers: dict, year: int, today: datetime.date):
    """``score`` where the demo's records cover the year; else no score, and why."""
    kind = RECORDS.get(metric)
    if kind is not None:
        first, last = coverage(today)[kind]
        if first > datetime.date(year, 1, 1) or last < datetime.date(year, 12, 31):
            return None, (
                f"演示数据的{RECORD_NAMES[kind]}记录只有{_day(first)}至{_day(last)}，"
                f"不足以评{year}年的分，未自评。"
            )
    return score(metric, numbers, year)


def seed_reports(seed):
    """Last year's scores under the current wording, from last year's figures (safe to run
    again: a score the records no longer support is brought in line)."""
    year = seed.today.year - 1
    secretary = seed.users.get("secretary")
    # Afresh: the seed writes in bulk, without signals, so a cached figure could be stale here.
    figures = compute_afresh(year, timezone.localdate())
    for indicator in Indicator.objects.filter(heading__framework__is_current=True):
        numbers = figures[indicator.metric].numbers
        points, comment = self_score(indicator.metric, numbers, year, seed.today)
        seed.upsert(
            IndicatorScore,
            {"year": year, "indicator": indicator},
            {"score": points, "comment": comment, "updated_by": secretary},
        )
