"""Who a user is to the chamber, read from the data: positions, company, groups.

``roles_for(user)`` is computed once per request and cached on the user. The account loaded by
the authentication backend carries its groups and this term's titles (``with_roles()``, in the
same query), so the roles cost no query of their own on a page; an account loaded some other way
costs up to three small queries. Views and templates ask it rather than checking positions or
groups themselves.
"""

from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser, Group
from django.db.models import Aggregate, CharField, OuterRef, Subquery
from django.utils import timezone

from members.models import Company, Person

from .models import SECRETARIAT_GROUP, SUPERVISORS_GROUP, Position, User


@dataclass(frozen=True)
class Roles:
    person: Person | None = None
    company: Company | None = None
    titles: frozenset = field(default_factory=frozenset)
    is_secretariat: bool = False
    is_supervisor: bool = False
    is_member: bool = False
    # The account itself, for the few rules that compare it with another account's rights
    # (chamber.manage_account); everything else reads the flags above.
    user: object = field(default=None, compare=False, repr=False)

    @property
    def is_president(self) -> bool:
        return Position.Title.PRESIDENT in self.titles

    @property
    def is_leader(self) -> bool:
        """A member of the leadership (班子成员): 会长, 常务副会长, 副会长 or 执委."""
        return any(title in Position.LEADERSHIP_TITLES for title in self.titles)

    @property
    def sees_directory(self) -> bool:
        return self.is_secretariat or self.is_leader or self.is_supervisor or self.is_member

    @property
    def sees_contacts(self) -> bool:
        """Mobile numbers and emails are for the secretariat and the leadership."""
        return self.is_secretariat or self.is_leader

    @property
    def sees_everything(self) -> bool:
        """President, secretariat and supervisors see the whole chamber's records."""
        return self.is_secretariat or self.is_president or self.is_supervisor

    @property
    def is_outsider(self) -> bool:
        return not (self.sees_directory or self.titles)


ANONYMOUS = Roles()


# Joins a column's values into one string; none of our group names or title values holds it.
SEPARATOR = "\x1f"


class Joined(Aggregate):
    """The values of a column as one string, separated by ``SEPARATOR`` (unordered)."""

    function = "STRING_AGG"
    template = "%(function)s(%(expressions)s, CHR(31))"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            function="GROUP_CONCAT",
            template="%(function)s(%(expressions)s, CHAR(31))",
            **extra_context,
        )


def with_roles(accounts, today=None):
    """``accounts`` (a queryset of users) annotated with what ``roles_for()`` reads besides the
    person and company: the names of their groups and their titles in the term running
    ``today`` (by default today), as subqueries of the same query."""
    today = today or timezone.localdate()
    groups = (
        User.groups.through.objects.filter(user=OuterRef("pk"))
        .order_by()
        .values("user")
        .annotate(names=Joined("group__name"))
        .values("names")
    )
    titles = (
        Position.objects.filter(
            person=OuterRef("person_id"), term__starts_on__lte=today, term__ends_on__gte=today
        )
        .order_by()
        .values("person")
        .annotate(titles=Joined("title"))
        .values("titles")
    )
    return accounts.annotate(roles_groups=Subquery(groups), roles_titles=Subquery(titles))


def _split(joined) -> set[str]:
    return set(joined.split(SEPARATOR)) if joined else set()


def roles_for(user) -> Roles:
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated:
        return ANONYMOUS
    cached = getattr(user, "_chamber_roles", None)
    if cached is not None:
        return cached
    # Read with the account (with_roles(), for this request), or asked now.
    preloaded = hasattr(user, "roles_groups")
    if preloaded:
        group_names = _split(user.roles_groups)
    else:
        group_names = set(user.groups.values_list("name", flat=True))
    person = None
    if user.person_id:
        # The authentication backend loads the person and company with the user; a user
        # loaded some other way (e.g. by a calendar feed's token) costs one query here.
        person_field = User._meta.get_field("person")
        if person_field.is_cached(user) and (
            user.person.company_id is None
            or Person._meta.get_field("company").is_cached(user.person)
        ):
            person = user.person
        else:
            person = Person.objects.select_related("company").filter(pk=user.person_id).first()
    titles: set[str] = set()
    company = None
    if person is not None:
        if preloaded:
            titles = _split(user.roles_titles)
        else:
            today = timezone.localdate()
            titles = set(
                Position.objects.filter(
                    person=person, term__starts_on__lte=today, term__ends_on__gte=today
                ).values_list("title", flat=True)
            )
        # Someone marked as having left their company is no longer a member through it.
        company = person.company if person.left_on is None else None
    roles = Roles(
        person=person,
        company=company,
        titles=frozenset(titles),
        is_secretariat=user.is_superuser or SECRETARIAT_GROUP in group_names,
        is_supervisor=SUPERVISORS_GROUP in group_names
        or any(title in Position.SUPERVISORY_TITLES for title in titles),
        is_member=company is not None and company.is_active,
        user=user,
    )
    user._chamber_roles = roles
    return roles


def secretariat_accounts() -> list:
    """The secretariat's active accounts (with their people), for messages nobody else is
    answerable for yet."""
    return list(
        User.objects.filter(groups__name=SECRETARIAT_GROUP, is_active=True)
        .select_related("person")
        .order_by("pk")
    )


def secretariat_emails() -> list[str]:
    """The addresses of the secretariat's active accounts, for what nobody else is answerable
    for yet (a problem with no leader to own it)."""
    group = Group.objects.filter(name=SECRETARIAT_GROUP).first()
    if group is None:
        return []
    return sorted(
        {email for email in group.user_set.filter(is_active=True).values_list("email", flat=True)}
        - {""}
    )
