"""Who gave: the companies that chose to be listed among the contributors, and a campaign's
or a pairing's givers as the viewer may see them."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Q

from core.rules import allows
from members.models import Company

from ..models import ContributorPreference, Donation
from ..money import yuan
from .sums import money_sum

CONTRIBUTORS_SHOWN = 20  # on /charity/, and a campaign's or a pairing's page

LISTED = Q(company__contributor_preference__listed=True)


@transaction.atomic
def set_contributor_listing(
    *, company: Company, listed: bool, acting_user
) -> ContributorPreference:
    preference, _ = ContributorPreference.objects.select_for_update().get_or_create(
        company=company, defaults={"listed": listed, "updated_by": acting_user}
    )
    if preference.listed != listed or preference.updated_by_id != acting_user.pk:
        preference.listed = listed
        preference.updated_by = acting_user
        preference.save()
    return preference


def listed_contributors() -> dict:
    """The companies that chose to be listed, largest gift (received) first, the first
    CONTRIBUTORS_SHOWN of them; how many are listed; and the number and total of the givers
    who are not: two queries."""
    received = Donation.objects.received()
    summary = received.aggregate(
        listed_count=Count("company", distinct=True, filter=LISTED),
        others_count=Count("company", distinct=True, filter=~LISTED),
        others_total=money_sum(filter=~LISTED),
    )
    top = (
        received.filter(LISTED)
        .values("company", "company__name")
        .annotate(total=money_sum())
        .order_by("-total", "company__name")[:CONTRIBUTORS_SHOWN]
    )
    return {
        "listed": [
            {"pk": row["company"], "name": row["company__name"], "amount": yuan(row["total"])}
            for row in top
        ],
        "listed_count": summary["listed_count"],
        "others_count": summary["others_count"],
        "others_total": yuan(summary["others_total"]),
    }


def named_givers(roles) -> Q | None:
    """The givers this viewer may see named: those listed, the viewer's own company, and every
    one of them (None) for those who see the whole chamber."""
    if allows("charity.see_all_givers", roles):
        return None
    if roles.company:
        return LISTED | Q(company=roles.company)
    return LISTED


@dataclass
class Contributions:
    named: list  # the first named givers (see ``giver_entries``), largest first
    named_count: int  # how many givers may be named to this viewer in all
    others: dict  # count, received and pledged of the givers who may not be named
    received: Decimal
    pledged: Decimal

    @property
    def more(self) -> int:
        return self.named_count - len(self.named)


def giver_rows(donations, *, roles):
    """Received and pledged totals per company this viewer may see named, largest first: a
    queryset of dicts, to be sliced (a page, the first few) and passed to ``giver_entries``."""
    named = named_givers(roles)
    if named is not None:
        donations = donations.filter(named)
    return (
        donations.values("company", "company__name")
        .annotate(
            received=money_sum(status=Donation.Status.RECEIVED),
            pledged=money_sum(status=Donation.Status.PLEDGED),
            gifts=Count("pk"),
        )
        .order_by("-received", "-pledged", "company__name", "company")
    )


def giver_entries(rows, *, roles) -> list[dict]:
    own = roles.company.pk if roles.company else None
    return [
        {
            "pk": row["company"],
            "name": row["company__name"],
            "received": yuan(row["received"]),
            "pledged": yuan(row["pledged"]),
            "gifts": row["gifts"],
            "own": row["company"] == own,
        }
        for row in rows
    ]


def giver_summary(donations, *, roles) -> dict:
    """Totals received and pledged, how many givers may be named to this viewer, and the count
    and totals of the rest: one query."""
    named = named_givers(roles)
    aggregates = {
        "received": money_sum(status=Donation.Status.RECEIVED),
        "pledged": money_sum(status=Donation.Status.PLEDGED),
        "named_count": Count("company", distinct=True, filter=named),
    }
    if named is not None:
        aggregates.update(
            others_count=Count("company", distinct=True, filter=~named),
            others_received=money_sum(filter=~named & Q(status=Donation.Status.RECEIVED)),
            others_pledged=money_sum(filter=~named & Q(status=Donation.Status.PLEDGED)),
        )
    row = donations.aggregate(**aggregates)
    pledged = yuan(row["pledged"])
    return {
        "received": yuan(row["received"]),
        "pledged": pledged,
        "named_count": row["named_count"],
        "others": {
            "count": row.get("others_count", 0),
            "received": yuan(row.get("others_received")),
            "pledged": yuan(row.get("others_pledged")),
            "any_pledged": bool(pledged),
        },
    }


def contributions(donations, *, roles, limit: int = CONTRIBUTORS_SHOWN) -> Contributions:
    """Who gave (these donations), as this viewer may see them: the first ``limit`` named
    givers and the totals, in two queries."""
    summary = giver_summary(donations, roles=roles)
    return Contributions(
        named=giver_entries(giver_rows(donations, roles=roles)[:limit], roles=roles),
        named_count=summary["named_count"],
        others=summary["others"],
        received=summary["received"],
        pledged=summary["pledged"],
    )
