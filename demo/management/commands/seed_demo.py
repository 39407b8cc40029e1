"""``manage.py seed_demo``: load the demo chamber drawn from the seed article.

Every row is found by its natural key (term number, company name, username …) and written only
when it is missing or differs from the tables in ``demo.data``, so a second run creates nothing
and changes nothing. Later features add their demo data (visits, events, donations …) as one
more function in ``STEPS``: each step receives the ``Seed`` and may use what earlier steps
stored on it (``seed.terms``, ``seed.companies``, ``seed.people``, ``seed.users``).
"""

import datetime
from collections import Counter, defaultdict

from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction
from django.utils import timezone

from chamber.models import Document, GroupMembership, Honor, Position, Term, User, WorkingGroup
from core.counts import written
from demo import data
from demo.activities import seed_visits
from demo.charity import seed_charity
from demo.city import load_city
from demo.dues import seed_dues
from demo.events import seed_events
from demo.flag import mark_loaded
from demo.join import seed_join
from demo.notices import seed_notices
from demo.reports import seed_reports
from members.models import Company, Person, Prospect, Tag


class Seed:
    """What the steps have written so far, and a tally of created/updated/unchanged rows."""

    def __init__(self, today: datetime.date):
        self.today = today
        self.tally: dict[str, Counter] = defaultdict(Counter)
        self.terms: dict[str, Term] = {}
        self.tags: dict[str, Tag] = {}
        self.companies: dict[str, Company] = {}
        self.people: dict[str, Person] = {}  # by name; the demo's names are unique
        self.groups: dict[str, WorkingGroup] = {}
        self.users: dict[str, User] = {}
        self.company_specs: list[data.CompanySpec] = []
        self.roster: list[data.PersonSpec] = []

    def count(self, model, outcome: str, n: int = 1):
        self.tally[model._meta.label][outcome] += n

    def upsert(self, model, lookup: dict, values: dict | None = None, *, found=...):
        """Get the row matching ``lookup`` and bring it in line with ``values``.

        Saves only when something differs, so unchanged rows get no new history entries.
        ``found`` is the row if the caller already fetched it (or None if it knows there is
        none); by default it is looked up.
        """
        values = values or {}
        obj = model._default_manager.filter(**lookup).first() if found is ... else found
        if obj is None:
            obj = model(**lookup, **values)
            self._validate(obj)
            obj.save()
            self.count(model, "created")
            return obj
        changed = [name for name, value in values.items() if _differs(obj, name, value)]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            self._validate(obj)
            obj.save()
            self.count(model, "updated")
        else:
            self.count(model, "unchanged")
        return obj

    @staticmethod
    def _validate(obj):
        # Field validators (credit code, mobile, email) catch a typo in the tables; uniqueness
        # is the database's job.
        derived = [field.name for field in obj._meta.fields if not field.editable]
        obj.full_clean(exclude=derived, validate_unique=False, validate_constraints=False)


def _differs(obj, name: str, value) -> bool:
    field = obj._meta.get_field(name)
    if isinstance(field, models.ForeignKey | models.OneToOneField):
        # Compare ids: reading the related object would cost a query per row.
        return getattr(obj, field.attname) != (value.pk if value is not None else None)
    return getattr(obj, name) != value


def seed_terms(seed: Seed):
    """The current term (the one in force today) and the one before it."""
    number, starts_on, ends_on = data.term_for(seed.today)
    previous_start = starts_on.replace(year=starts_on.year - data.TERM_YEARS)
    for key, (num, start, end) in {
        "current": (number, starts_on, ends_on),
        "previous": (number - 1, previous_start, starts_on - datetime.timedelta(days=1)),
    }.items():
        seed.terms[key] = seed.upsert(Term, {"number": num}, {"starts_on": start, "ends_on": end})


def seed_companies(seed: Seed):
    """The 146 active member companies (and a few that left), with their tags."""
    for name in data.TAGS:
        seed.tags[name] = seed.upsert(Tag, {"name": name})
    specs = seed.company_specs = data.companies()
    existing = {c.name: c for c in Company.objects.filter(name__in=[s.name for s in specs])}
    for spec in specs:
        seed.companies[spec.name] = seed.upsert(
            Company,
            {"name": spec.name},
            {
                # Real companies' credit codes are not made up.
                "credit_code": "" if spec.from_article else data.credit_code(spec.name),
                "industry": spec.industry,
                "tier": spec.tier,
                "status": spec.status,
                "member_since": spec.member_since,
                "address": spec.address,
                "profile": spec.profile,
                "party_organisation": spec.party,
                "party_members": spec.party_members,
            },
            found=existing.get(spec.name),
        )
    # Tags in two queries rather than one per company.
    Through = Company.tags.through
    ids = [company.pk for company in seed.companies.values()]
    wanted = {
        (seed.companies[spec.name].pk, seed.tags[tag].pk) for spec in specs for tag in spec.tags
    }
    have = set(Through.objects.filter(company_id__in=ids).values_list("company_id", "tag_id"))
    Through.objects.bulk_create(
        [Through(company_id=company, tag_id=tag) for company, tag in sorted(wanted - have)]
    )
    stale = have - wanted
    for company, tag in stale:
        Through.objects.filter(company_id=company, tag_id=tag).delete()
    seed.count(Through, "created", len(wanted - have))
    seed.count(Through, "deleted", len(stale))
    seed.count(Through, "unchanged", len(wanted & have))


def seed_people(seed: Seed):
    """Seat holders, secretariat staff, and each company's main contact and a few others."""
    roster = seed.roster = data.people(seed.company_specs)
    existing = {
        (p.company_id, p.name): p for p in Person.objects.filter(name__in=[r.name for r in roster])
    }
    main_contacts = {p.company_id: p for p in Person.objects.main_contacts()}
    for spec in roster:
        company = seed.companies[spec.company] if spec.company else None
        values = {
            "title": spec.title,
            "mobile": spec.mobile,
            "email": spec.email,
            "is_main_contact": spec.is_main_contact,
            "is_cppcc_member": spec.is_cppcc_member,
            "is_npc_deputy": spec.is_npc_deputy,
            "political_title": spec.political_title,
        }
        if spec.is_main_contact:
            # A company has one main contact: if the tables name someone else, rename the row.
            found = main_contacts.get(company.pk)
            lookup = {"company": company, "is_main_contact": True}
            values = {"name": spec.name, **values}
            del values["is_main_contact"]
        else:
            found = existing.get((company.pk if company else None, spec.name))
            lookup = {"company": company, "name": spec.name}
        seed.people[spec.name] = seed.upsert(Person, lookup, values, found=found)


def seed_organisation(seed: Seed):
    """Seats in both terms, and the three working groups of the current term."""
    current, previous = seed.terms["current"], seed.terms["previous"]
    orders = Counter()
    previous_orders = Counter()
    for seat in data.SEATS:
        person = seed.people[seat.person]
        orders[seat.title] += 1
        seed.upsert(
            Position,
            {"person": person, "term": current, "title": seat.title},
            {"order": orders[seat.title], "portfolio": seat.portfolio},
        )
        if seat.previous_title:
            previous_orders[seat.previous_title] += 1
            seed.upsert(
                Position,
                {"person": person, "term": previous, "title": seat.previous_title},
                {"order": previous_orders[seat.previous_title]},
            )

    for order, (name, kind, description) in enumerate(data.WORKING_GROUPS, start=1):
        seed.groups[kind] = seed.upsert(
            WorkingGroup, {"name": name}, {"kind": kind, "description": description, "order": order}
        )
    Title, Role = Position.Title, GroupMembership.Role
    leadership_roles = {
        Title.PRESIDENT: Role.LEAD,
        Title.EXECUTIVE_VICE_PRESIDENT: Role.DEPUTY,
        Title.VICE_PRESIDENT: Role.DEPUTY,
        Title.EXECUTIVE: Role.MEMBER,
    }
    supervisory_roles = {Title.CHIEF_SUPERVISOR: Role.LEAD, Title.SUPERVISOR: Role.MEMBER}
    seats = []
    for seat in data.SEATS:
        if seat.title in leadership_roles:
            seats.append(("leadership", seat.person, leadership_roles[seat.title]))
        elif seat.title in supervisory_roles:
            seats.append(("supervisory", seat.person, supervisory_roles[seat.title]))
    seats.append(("membership", data.MEMBERSHIP_GROUP_LEAD, Role.LEAD))
    seats += [("membership", name, Role.MEMBER) for name in data.INVESTMENT_MANAGERS.values()]
    for kind, name, role in seats:
        seed.upsert(
            GroupMembership,
            {"group": seed.groups[kind], "person": seed.people[name], "term": current},
            {"role": role},
        )


def seed_rules(seed: Seed):
    """The four published rules: 章程, 工作制度, 会议制度, 联系制度."""
    for order, (title, kind, effective_on, body) in enumerate(data.RULES, start=1):
        seed.upsert(
            Document,
            {"title": title},
            {
                "kind": kind,
                "body": body,
                "is_published": True,
                "effective_on": effective_on,
                "order": order,
            },
        )


def seed_honors(seed: Seed):
    """The chamber's honors, 2015 to the national “四好” title of 2018–2019."""
    for year, year_end, title, awarded_by in data.HONORS:
        description = data.FOUR_GOODS if "四好" in title else ""
        seed.upsert(
            Honor,
            {"year": year, "title": title, "company": None},
            {"year_end": year_end, "awarded_by": awarded_by, "description": description},
        )


def seed_prospects(seed: Seed):
    """The membership development group's pipeline, one prospect already a member."""
    for spec in data.PROSPECTS:
        converted = seed.companies[spec.converted_company] if spec.converted_company else None
        seed.upsert(
            Prospect,
            {"company_name": spec.company_name},
            {
                "source": spec.source,
                "owner": seed.people[spec.owner],
                "stage": spec.stage,
                "contact": spec.contact,
                "notes": spec.notes,
                "converted_company": converted,
            },
        )


def seed_logins(seed: Seed):
    """The five demo logins, each with a verified primary email for password resets."""
    for spec in data.logins(seed.roster):
        person = seed.people[spec.person]
        user = User.objects.filter(username=spec.username).first()
        values = {"email": person.email, "person": person, "is_staff": spec.is_staff}
        if user is None:
            user = User(username=spec.username, **values)
            user.set_password(data.DEMO_PASSWORD)
            user.save()
            seed.count(User, "created")
        else:
            user = seed.upsert(User, {"username": spec.username}, values, found=user)
        if spec.group and not user.groups.filter(name=spec.group).exists():
            user.groups.add(Group.objects.get(name=spec.group))
        seed.upsert(
            EmailAddress,
            {"user": user, "email": person.email},
            {"primary": True, "verified": True},
        )
        seed.users[spec.username] = user


STEPS = [
    seed_terms,
    seed_companies,
    seed_people,
    seed_organisation,
    seed_rules,
    seed_honors,
    seed_prospects,
    seed_logins,
    seed_charity,
    seed_visits,
    seed_events,
    seed_join,
    seed_notices,
    seed_dues,
    seed_reports,
]


def seed_demo(today: datetime.date | None = None) -> Seed:
    """Run every step in one transaction and return the Seed with its tally; the pages then
    carry the demo banner."""
    seed = Seed(today or timezone.localdate())
    with transaction.atomic():
        for step in STEPS:
            step(seed)
        mark_loaded()
    return seed


class Command(BaseCommand):
    help = "Load the demo chamber (徐泾镇商会) and its demo logins. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load the demo data even though DEBUG is off.",
        )
        parser.add_argument(
            "--scale",
            choices=["demo", "city"],
            default="demo",
            help="city: add a city chamber's load on top of the demo (20,000 companies, "
            "200,000 visits …), to measure the pages at scale. Takes a few minutes.",
        )
        parser.add_argument(
            "--city-factor",
            type=float,
            default=1.0,
            help="Scale the city's counts by this factor (e.g. 0.01 for a quick look).",
        )

    def handle(self, *args, force=False, scale="demo", city_factor=1.0, verbosity=1, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: this looks like a production site, so no demo data was loaded. "
                "Pass --force if this really is a demo site."
            )
        if Company.objects.filter(name__in=data.RETIRED_NAMES).exists():
            raise CommandError(
                "This database holds an older demo, which attached invented people, seats and "
                "donations to the real companies the article names; rows are only ever added or "
                "updated, so it cannot be turned into this one. Load the demo into a new "
                "database (make clean, or drop and create the PostgreSQL database)."
            )
        seed = seed_demo()
        city = load_city(seed, factor=city_factor) if scale == "city" else None
        # The seed writes in bulk, which sends no signals: every cached figure is out of date.
        for model in apps.get_models(include_auto_created=True):
            written(model)
        if verbosity < 1:
            return
        self.stdout.write("Demo data:")
        for label, outcomes in sorted(seed.tally.items()):
            counts = ", ".join(f"{n} {outcome}" for outcome, n in outcomes.items() if n)
            self.stdout.write(f"  {label:<32} {counts or 'nothing'}")
        term = seed.terms["current"]
        self.stdout.write(
            f"Current term: {term.number} ({term.starts_on:%Y-%m-%d} to {term.ends_on:%Y-%m-%d}), "
            f"{Company.objects.active().count()} active member companies."
        )
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password {data.DEMO_PASSWORD}):"))
        for spec in data.logins(seed.roster):
            user = seed.users[spec.username]
            self.stdout.write(f"  {spec.username:<11} {user.person.name}  {spec.description}")
        if city is not None:
            self.stdout.write("City-scale data:")
            for line in city.lines():
                self.stdout.write(line)
