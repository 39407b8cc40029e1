"""What the charity pages and other apps (the journal, reports) ask of charity, one module per
concept: ``privacy`` (who may see a beneficiary's name, the log of unmasked views, the consent
rule), ``givers`` (who gave, as the viewer may see them, and the contributor listing),
``totals`` (what /charity/ shows), ``charts`` and ``sums`` (the database sums they build on).
"""

from .charts import bar_chart, percent
from .givers import (
    CONTRIBUTORS_SHOWN,
    contributions,
    giver_entries,
    giver_rows,
    giver_summary,
    set_contributor_listing,
)
from .privacy import (
    NameNotPublishable,
    beneficiary_names,
    beneficiary_public_label,
    beneficiary_public_name,
    log_unmasked,
    may_publish_name,
    sees_protected_names,
)
from .sums import count_of, money_sum, sum_of
from .totals import (
    AREAS_SHOWN,
    CAMPAIGN_PAIRINGS_SHOWN,
    CAMPAIGNS_SHOWN,
    PAIRINGS_SHOWN_PER_AREA,
    KnownCount,
    campaigns_with_pairing_counts,
    donation_totals,
    overview,
    pairings_with_totals,
    with_campaign_totals,
)

__all__ = [
    "AREAS_SHOWN",
    "CAMPAIGNS_SHOWN",
    "CAMPAIGN_PAIRINGS_SHOWN",
    "CONTRIBUTORS_SHOWN",
    "PAIRINGS_SHOWN_PER_AREA",
    "KnownCount",
    "NameNotPublishable",
    "bar_chart",
    "beneficiary_names",
    "beneficiary_public_label",
    "beneficiary_public_name",
    "campaigns_with_pairing_counts",
    "contributions",
    "count_of",
    "donation_totals",
    "giver_entries",
    "giver_rows",
    "giver_summary",
    "log_unmasked",
    "may_publish_name",
    "money_sum",
    "overview",
    "pairings_with_totals",
    "percent",
    "sees_protected_names",
    "set_contributor_listing",
    "sum_of",
    "with_campaign_totals",
]
