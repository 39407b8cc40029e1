"""Member companies and the people the chamber knows."""

from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from pypinyin import Style, lazy_pinyin
from simple_history.models import HistoricalRecords

from core.files import UploadTo
from core.images import ValidatedImageField
from core.models import Created

from .validators import normalize_credit_code, validate_credit_code, validate_mobile


def pinyin_initials(text: str) -> str:
    """Lower-case pinyin initials of a name: 上好佳 → shj; Latin letters and digits kept."""
    parts = lazy_pinyin(text or "", style=Style.FIRST_LETTER, errors="default")
    return "".join(ch for ch in "".join(parts).lower() if ch.isalnum())[:100]


def pinyin_sort_key(text: str) -> str:
    """Full pinyin of a name, for sorting the way a Chinese reader expects."""
    return " ".join(lazy_pinyin(text or "", errors="default")).lower()[:400]


class Industry(models.TextChoices):
    """Sections of GB/T 4754-2017, the national industry classification."""

    AGRICULTURE = "agriculture", _("Agriculture, forestry, animal husbandry and fishery")
    MINING = "mining", _("Mining")
    MANUFACTURING = "manufacturing", _("Manufacturing")
    UTILITIES = "utilities", _("Electricity, heat, gas and water supply")
    CONSTRUCTION = "construction", _("Construction")
    TRADE = "trade", _("Wholesale and retail")
    LOGISTICS = "logistics", _("Transport, storage and postal services")
    HOSPITALITY = "hospitality", _("Accommodation and catering")
    IT = "it", _("Information technology and software")
    FINANCE = "finance", _("Finance")
    REAL_ESTATE = "real_estate", _("Real estate")
    BUSINESS_SERVICES = "business_services", _("Leasing and business services")
    RESEARCH = "research", _("Scientific research and technical services")
    PUBLIC_FACILITIES = "public_facilities", _("Water, environment and public facilities")
    RESIDENT_SERVICES = "resident_services", _("Resident and other services")
    EDUCATION = "education", _("Education")
    HEALTH = "health", _("Health and social work")
    CULTURE = "culture", _("Culture, sports and entertainment")
    PUBLIC_ADMINISTRATION = (
        "public_administration",
        _("Public administration, social security and social organisations"),
    )
    INTERNATIONAL = "international", _("International organisations")
    OTHER = "other", _("Other")


class Tag(models.Model):
    """A label the secretariat puts on companies, e.g. 上市企业 or 亿元楼."""

    name = models.CharField(_("name"), max_length=30, unique=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self):
        return self.name


class CompanyQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Company.Status.ACTIVE)

    def search(self, query: str):
        """Companies whose name or pinyin initials contain the query, or whose credit code it is.

        Written so that PostgreSQL can use the trigram indexes of migration 0002 at a city
        federation's 20,000 companies: the initials are stored in lower case and compared as
        such, a credit code (stored in upper case) exactly, and a query without Latin letters
        (nearly every Chinese one) compares the name without case folding, which is also what
        keeps a two-character query like 物流 quick when no index can serve it.
        """
        query = (query or "").strip()
        if not query:
            return self
        if any("a" <= char.lower() <= "z" for char in query):
            by_name = Q(name__icontains=query)
        else:
            by_name = Q(name__contains=query)
        matches = by_name | Q(name_initials__contains=query.lower())
        if len(query) == 18:
            matches |= Q(credit_code=query.upper())
        return self.filter(matches)

    def trade_name_first(self, query: str):
        """Rank first the companies whose trade name (字号) starts with the query: adds the alias
        ``search_rank``, 0 for those and 1 for the rest, for the caller's ``order_by``.

        Nearly every member's name starts with the city (上海佳禾食品…), so "shj" also matches the
        initials of dozens of 上海J… companies; the one whose own name starts with it, 上好佳,
        should lead. The city is skipped by name prefix, as in ``Company.initial``; the initials
        have one letter per Chinese character.
        """
        query = query.strip()
        trade_name = Case(
            When(name__startswith="上海市", then=Substr("name", 4)),
            When(name__startswith="上海", then=Substr("name", 3)),
            default=F("name"),
        )
        trade_initials = Case(
            When(name__startswith="上海市", then=Substr("name_initials", 4)),
            When(name__startswith="上海", then=Substr("name_initials", 3)),
            default=F("name_initials"),
        )
        return self.alias(trade_name=trade_name, trade_initials=trade_initials).alias(
            search_rank=Case(
                When(
                    Q(name__startswith=query)
                    | Q(trade_name__startswith=query)
                    | Q(trade_initials__startswith=query.lower()),
                    then=Value(0),
                ),
                default=Value(1),
            )
        )


class Company(Created):
    """A member company (会员企业) of the chamber."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        LEFT = "left", _("Left")

    class Tier(models.TextChoices):
        PRESIDENT = "president", _("President's company")
        VICE_PRESIDENT = "vice_president", _("Vice-president's company")
        EXECUTIVE = "executive", _("Executive member's company")
        MEMBER = "member", _("Member company")

    class PartyOrganisation(models.TextChoices):
        NONE = "none", _("None")
        BRANCH = "branch", _("Party branch")
        JOINT_BRANCH = "joint_branch", _("Joint party branch")

    name = models.CharField(_("company name"), max_length=200, unique=True)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        blank=True,
        validators=[validate_credit_code],
        help_text=_("18 characters, as on the business licence."),
    )
    industry = models.CharField(
        _("industry"), max_length=30, choices=Industry.choices, default=Industry.OTHER
    )
    # What the secretary wrote (物流, 汽配 …); ``industry`` is where statistics count it.
    industry_text = models.CharField(
        _("industry as written"),
        max_length=50,
        blank=True,
        help_text=_("In everyday words, e.g. 物流 or 汽配; empty shows the industry above."),
    )
    tier = models.CharField(
        _("membership tier"), max_length=20, choices=Tier.choices, default=Tier.MEMBER
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    member_since = models.DateField(_("member since"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    profile = models.TextField(
        _("short profile"), max_length=1000, blank=True, help_text=_("A few sentences.")
    )
    logo = ValidatedImageField(_("logo"), upload_to=UploadTo("logos"), blank=True)
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="companies")
    party_organisation = models.CharField(
        _("party organisation"),
        max_length=20,
        choices=PartyOrganisation.choices,
        default=PartyOrganisation.NONE,
    )
    party_members = models.PositiveIntegerField(_("party members"), default=0)
    name_initials = models.CharField(_("pinyin initials"), max_length=100, editable=False)
    name_pinyin = models.CharField(_("pinyin"), max_length=400, editable=False, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["name_initials", "name_pinyin", "updated_at"])
    objects = CompanyQuerySet.as_manager()

    class Meta:
        verbose_name = _("member company")
        verbose_name_plural = _("member companies")
        ordering = ["name_pinyin"]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~Q(credit_code=""),
                name="members_company_credit_code_unique",
                violation_error_message=_(
                    "Another member company already has this unified social credit code."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "name_pinyin"], name="members_company_status_idx"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # Derived search and sort keys: cheap to keep in step here, and every write path
        # (admin, import, seeding) goes through save().
        self.name_initials = pinyin_initials(self.name)
        self.name_pinyin = pinyin_sort_key(self.name)
        self.credit_code = normalize_credit_code(self.credit_code)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_initials", "name_pinyin"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("members:company_detail", args=[self.pk])

    def clean(self):
        # Store the code as the validator read it, so the uniqueness check sees what is saved.
        super().clean()
        self.credit_code = normalize_credit_code(self.credit_code)

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def initial(self) -> str:
        """The logo placeholder's character: the first after the city. Nearly every member's
        name starts with 上海, so 上海虹泾投资 shows 虹, not 上; "·" when nothing follows."""
        for city in ("上海市", "上海"):
            if self.name.startswith(city):
                return self.name[len(city) : len(city) + 1] or "·"
        return self.name[:1] or "·"

    @property
    def industry_label(self) -> str:
        """The industry as the chamber wrote it, else the section's name."""
        return self.industry_text or self.get_industry_display()


# A mobile logs in one account (chamber.adapters), so two people with accounts may not share one.
MOBILE_TAKEN = _(
    "Another person with an account already has the mobile %(mobile)s: a mobile can log in "
    "to one account only."
)


class PersonQuerySet(models.QuerySet):
    def main_contacts(self):
        return self.filter(is_main_contact=True)

    def current(self):
        """People still with their company (or with none): not marked as having left it."""
        return self.filter(left_on__isnull=True)


class Person(Created):
    """A person the chamber knows: a leader, a company's contact, or secretariat staff."""

    name = models.CharField(_("full name"), max_length=50)
    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        help_text=_("Empty for secretariat staff who do not represent a company."),
    )
    title = models.CharField(_("job title"), max_length=50, blank=True)
    mobile = models.CharField(
        _("mobile"), max_length=11, blank=True, validators=[validate_mobile], db_index=True
    )
    email = models.EmailField(_("email"), blank=True)
    is_main_contact = models.BooleanField(
        _("main contact"), default=False, help_text=_("The company's contact for the chamber.")
    )
    is_cppcc_member = models.BooleanField(_("CPPCC member"), default=False)
    is_npc_deputy = models.BooleanField(_("People's Congress deputy"), default=False)
    political_title = models.CharField(
        _("political office"),
        max_length=100,
        blank=True,
        help_text=_("E.g. 青浦区政协委员; lets the person carry proposals to the district."),
    )
    notes = models.TextField(_("notes"), blank=True)
    # Kept on the company's record (its history, sign-ups and visits name them), no longer
    # among its people, and no longer a member through it.
    left_on = models.DateField(_("left the company on"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name"]
        # The back office lists 40,000 people of a city by name (the admin adds "-id"): read
        # in that order, the first page costs 100 rows rather than a sort of every person.
        indexes = [models.Index(fields=["name", "-id"], name="members_person_by_name")]
        constraints = [
            models.UniqueConstraint(
                fields=["company"],
                condition=Q(is_main_contact=True),
                name="members_person_one_main_contact",
                violation_error_message=_("This company already has a main contact."),
            ),
        ]

    def __str__(self):
        if self.company_id:
            return f"{self.name}（{self.company}）"
        return self.name

    def mobile_taken(self) -> bool:
        """Whether this person has an account and another person with an account has the
        same mobile (MOBILE_TAKEN). Checked where a mobile is edited one person at a time
        (the admin's person forms, chamber.User.clean), not in Person.clean: an import of
        thousands of rows would pay two queries a row."""
        return bool(
            self.mobile
            and self.pk
            and Person.objects.filter(pk=self.pk, user__isnull=False).exists()
            and Person.objects.filter(mobile=self.mobile, user__isnull=False)
            .exclude(pk=self.pk)
            .exists()
        )

    @property
    def can_carry_proposals(self) -> bool:
        return self.is_cppcc_member or self.is_npc_deputy


class AccountMobiles:
    """The rule of ``Person.mobile_taken()`` for a whole file (the imports of people and of
    companies' contacts), read in one query: a person with an account may not take a mobile
    another person with an account has, nor one an earlier row gave to such a person.

    ``mobiles`` are the file's numbers and ``people`` the pks of the people it may change;
    ``refuses(person, mobile)`` is asked for each row that changes a person's mobile.
    """

    def __init__(self, mobiles, people):
        mobiles = {mobile for mobile in mobiles if mobile}
        rows = Person.objects.filter(user__isnull=False).filter(
            Q(mobile__in=mobiles) | Q(pk__in={pk for pk in people if pk})
        )
        self.holders: dict[str, set[int]] = {}
        self.mobile_of: dict[int, str] = {}
        for pk, mobile in rows.values_list("pk", "mobile").order_by():
            self.mobile_of[pk] = mobile
            self.holders.setdefault(mobile, set()).add(pk)

    def refuses(self, person, mobile) -> bool:
        """Whether ``person`` may not take ``mobile`` (MOBILE_TAKEN); if they may, the rows
        after this one see the number as theirs."""
        if not mobile or person.pk not in self.mobile_of:
            return False  # no account: their mobile logs in nobody
        if self.holders.get(mobile, set()) - {person.pk}:
            return True
        self.holders.get(self.mobile_of[person.pk], set()).discard(person.pk)
        self.holders.setdefault(mobile, set()).add(person.pk)
        self.mobile_of[person.pk] = mobile
        return False


class Prospect(Created):
    """A company the membership development group (会员发展工作小组) is courting."""

    class Source(models.TextChoices):
        INVESTMENT_AGENCY = "investment_agency", _("Investment promotion company")
        MEMBER_REFERRAL = "member_referral", _("Referred by a member")
        VISIT = "visit", _("Met on a visit")
        GOVERNMENT = "government", _("Referred by the town government")
        SELF = "self", _("Applied on its own")
        OTHER = "other", _("Other")

    class Stage(models.TextChoices):
        LEAD = "lead", _("Lead")
        CONTACTED = "contacted", _("Contacted")
        INTERESTED = "interested", _("Interested")
        APPLIED = "applied", _("Applied")
        JOINED = "joined", _("Joined")
        DECLINED = "declined", _("Declined")

    company_name = models.CharField(_("company name"), max_length=200)
    source = models.CharField(
        _("source"), max_length=30, choices=Source.choices, default=Source.INVESTMENT_AGENCY
    )
    # Empty for an application sent from /join/ until the group gives it someone to follow it.
    owner = models.ForeignKey(
        Person,
        verbose_name=_("followed up by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="prospects",
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.LEAD)
    contact = models.CharField(_("contact"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    next_step = models.CharField(_("next step"), max_length=200, blank=True)
    next_step_on = models.DateField(_("next step on"), null=True, blank=True)
    converted_company = models.OneToOneField(
        Company,
        verbose_name=_("member company"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="prospect",
        help_text=_("The member company this prospect became."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("prospective member")
        verbose_name_plural = _("prospective members")
        ordering = ["-updated_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(stage="joined") | Q(converted_company__isnull=False),
                name="members_prospect_joined_has_company",
                violation_error_message=_("A prospect that joined must name its member company."),
            ),
        ]

    def __str__(self):
        return self.company_name


class CompanyChangeRequest(Created):
    """A member's request to change a fact of the register (name, credit code, tier, status),
    which the secretariat approves or refuses in the back office."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for the secretariat")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    # The facts a member cannot change themselves, in the register's order.
    FACTS = ("name", "credit_code", "tier", "status")

    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="change_requests",
    )
    requested_by = models.ForeignKey(
        "chamber.User",
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    name = models.CharField(_("new company name"), max_length=200, blank=True)
    credit_code = models.CharField(
        _("new unified social credit code"),
        max_length=18,
        blank=True,
        validators=[validate_credit_code],
    )
    tier = models.CharField(
        _("new membership tier"), max_length=20, choices=Company.Tier.choices, blank=True
    )
    status = models.CharField(
        _("new status"), max_length=20, choices=Company.Status.choices, blank=True
    )
    reason = models.TextField(_("reason"), max_length=1000)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.PENDING
    )
    decided_by = models.ForeignKey(
        "chamber.User",
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(name="", credit_code="", tier="", status=""),
                name="members_companychangerequest_changes_something",
                violation_error_message=_("Say what should change."),
            ),
        ]

    def __str__(self):
        return f"{self.company} · {self.created_at:%Y-%m-%d}"

    def changes(self) -> list[tuple[str, str, str]]:
        """(field label, as registered, as requested) for each fact the request changes."""
        rows = []
        for name in self.FACTS:
            wanted = getattr(self, name)
            if not wanted:
                continue
            field = Company._meta.get_field(name)
            if field.choices:
                current = getattr(self.company, f"get_{name}_display")()
                wanted = dict(field.choices).get(wanted, wanted)
            else:
                current = getattr(self.company, name)
            rows.append((str(field.verbose_name), str(current), str(wanted)))
        return rows
