"""The problem ledger's figures, shared by the ledger page and the home page.

Counting a city federation's 300,000 problems takes PostgreSQL tens of milliseconds, so the
figures are kept in the shared cache until a table they read changes (``core.counts``; each
count names its tables, which ``ActivitiesConfig.ready`` tracks).
"""

import datetime

from django.db.models import Count, Q

from chamber.models import Term
from core.counts import count_of, counted
from core.rules import allows
from members.models import Company, Person

from ..models import Assignment, Problem, Visit


def scope_of(roles) -> str:
    """Whose ledger: everyone's, or one leader's."""
    if allows("activities.see_all_problems", roles):
        return "all"
    return f"person:{roles.person.pk}"


# A leader's ledger reads the problems they own, those heard on visits they led or joined and
# those of the companies assigned to them in the term in force (``ProblemQuerySet.followed_by``).
@count_of(Problem, Visit, Assignment, Term, Visit.companions.through)
def _summary(roles, today: datetime.date) -> dict:
    visible = Problem.objects.visible_to(roles)
    summary = visible.aggregate(
        unsettled=Count("pk", filter=Q(status__in=Problem.OPEN_STATUSES)),
        overdue=Count("pk", filter=Q(status__in=Problem.OPEN_STATUSES, due_on__lt=today)),
        awaiting=Count("pk", filter=Q(status=Problem.Status.SOLVED, confirmed_at=None)),
    )
    return summary


def summary_call(roles, today: datetime.date) -> tuple:
    """``ledger_summary()`` as a call of ``counted_all()``, to read it with other values."""
    # Named apart from the summary that also held the owner filter's people, which code
    # still running that version would read from a value without them.
    return (_summary, f"ledger:counts:{scope_of(roles)}:{today}", roles, today)


def ledger_summary(roles, today: datetime.date) -> dict:
    """Unsettled, overdue and awaiting-confirmation counts of the problems this viewer sees,
    in one cached value."""
    return counted(*summary_call(roles, today))


def ledger_owners():
    """The people who own a problem: the ledger's owner filter (hundreds at a city
    federation), by name."""
    owners = Problem.objects.exclude(owner=None).values("owner_id")
    return Person.objects.filter(pk__in=owners).only("pk", "name").order_by("name")


@count_of(Problem, Visit, Assignment, Term, Visit.companions.through, Company)
def found(problems) -> int:
    """How many problems the ledger's filters find: the ledger's tables, and the companies,
    whose names, initials and credit codes the company filter searches (a renamed company
    changes what a search finds)."""
    return problems.count()
