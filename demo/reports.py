"""Demo self-scores: last year's four-goods self-assessment, as the secretary filled it in.

The figures themselves are never seeded: the report computes them from the demo records.
"""

from django.utils import timezone

from reports.models import Indicator, IndicatorScore

COMMENTS = {
    "party_events": "红色课堂每季度一次，班子成员带头参加。",
    "visits": "部分班子成员个别月份走访不足，已在例会上通报。",
    "problems": "诉求全部建立台账，办结情况逐件回访。",
    "charity": "结对帮扶与重阳敬老持续开展。",
}


def seed_reports(seed):
    """Scores for last year under the current wording (safe to run again)."""
    year = timezone.localdate().year - 1
    secretary = seed.users.get("secretary")
    for indicator in Indicator.objects.filter(heading__framework__is_current=True):
        IndicatorScore.objects.get_or_create(
            year=year,
            indicator=indicator,
            defaults={
                "score": 9 if indicator.metric != "visits" else 7,
                "comment": COMMENTS.get(indicator.metric, ""),
                "updated_by": secretary,
            },
        )
