"""Visits (班子成员联系走访企业制度).

Each leadership member is responsible for a set of member companies (the 联系服务表,
``Assignment``) and visits at least a quota of them every month (``Visit``, with photos).
``VisitReminder`` records the monthly reminders sent to leaders below the quota, so that nobody
is mailed twice for one month. The problems heard on a visit are in ``problems.py``.
"""

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from chamber.models import Position, Term
from core.files import UploadTo
from core.images import ValidatedImageField
from core.models import Created
from core.rules import allows
from members.models import Company, Person


def visits_per_month() -> int:
    """The monthly quota of member companies each leader visits (a setting, 2 by default)."""
    return getattr(settings, "CHAMBER_VISITS_PER_MONTH", 2)


def leaders_in_term(term: Term | None):
    """The leadership (班子成员) of a term: people with a leadership seat in it."""
    if term is None:
        return Person.objects.none()
    return Person.objects.filter(
        pk__in=Position.objects.filter(term=term, title__in=Position.LEADERSHIP_TITLES).values(
            "person_id"
        )
    )


class AssignmentQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None):
        """Assignments of the term in force on a day (today by default)."""
        on = on or timezone.localdate()
        return self.filter(term__starts_on__lte=on, term__ends_on__gte=on)


class Assignment(Created):
    """A leader's responsibility for a member company in a term: one line of the 联系服务表."""

    term = models.ForeignKey(
        Term, verbose_name=_("term"), on_delete=models.PROTECT, related_name="assignments"
    )
    leader = models.ForeignKey(
        Person,
        verbose_name=_("responsible leader"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )

    history = HistoricalRecords()
    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments (liaison table)")
        ordering = ["-term__starts_on", "leader__name", "company__name_pinyin"]
        constraints = [
            models.UniqueConstraint(
                fields=["term", "company", "leader"],
                name="activities_assignment_unique",
                violation_error_message=_(
                    "This leader is already responsible for this company in this term."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.leader.name} → {self.company.name}"


def _ids(*querysets):
    """The union of querysets of ids, for ``pk__in``.

    "Led it OR came along OR is responsible for the company" written as one WHERE with ORs
    makes PostgreSQL read every row of a 200,000-visit table; as a UNION each branch uses its
    own index and only the few hundred rows that match are read.
    """
    first, *rest = (queryset.order_by() for queryset in querysets)
    return first.union(*rest) if rest else first


class VisitQuerySet(models.QuerySet):
    def _led_or_joined(self, person):
        return (
            Visit.objects.filter(leader=person).values("pk"),
            Visit.companions.through.objects.filter(person=person).values("visit_id"),
        )

    def involving(self, person):
        """Visits a person led or came along on."""
        return self.filter(pk__in=_ids(*self._led_or_joined(person)))

    def visible_to(self, roles):
        """The president, the secretariat and supervisors see every visit; a leader those they
        led or joined and those to the companies they are responsible for; others none."""
        if allows("activities.see_all_visits", roles):
            return self
        if roles.is_leader and roles.person is not None:
            person = roles.person
            assigned = Assignment.objects.current().filter(leader=person).values("company_id")
            return self.filter(
                pk__in=_ids(
                    *self._led_or_joined(person),
                    Visit.objects.filter(company_id__in=assigned).values("pk"),
                )
            )
        return self.none()

    def editable_by(self, roles):
        """The visits the rule "activities.edit_visit" lets the person edit: every one for the
        secretariat and the president, a leader those they logged."""
        if allows("activities.edit_all_records", roles):
            return self
        if roles.is_leader and roles.person is not None:
            return self.filter(leader=roles.person)
        return self.none()


class Visit(models.Model):
    """A visit (走访) by leadership members to a member company."""

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.PROTECT, related_name="visits"
    )
    visited_on = models.DateField(_("date of the visit"))
    leader = models.ForeignKey(
        Person,
        verbose_name=_("leadership member"),
        on_delete=models.PROTECT,
        related_name="visits_led",
        help_text=_("The leadership member who logged the visit."),
    )
    companions = models.ManyToManyField(
        Person,
        verbose_name=_("fellow leaders"),
        blank=True,
        related_name="visits_joined",
        help_text=_("Other leadership members who came along."),
    )
    with_economic_office = models.BooleanField(
        _("with the economic development office (经发办)"), default=False
    )
    with_community_centre = models.BooleanField(
        _("with the community affairs service centre (社区事务受理中心)"), default=False
    )
    other_partners = models.CharField(
        _("other offices that came along"),
        max_length=200,
        blank=True,
        help_text=_("E.g. 镇人社所, 派出所; separate several with 、"),
    )
    summary = models.TextField(_("summary"), max_length=4000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("logged by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("logged at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_on", "-pk"]
        indexes = [
            # The month's visits read from the index alone (the board, the dashboard).
            models.Index(
                fields=["visited_on", "leader", "company", "id"], name="activities_visit_month_idx"
            ),
            # A leader's latest visits, a page at a time (``/visits/``), from the index alone.
            models.Index(fields=["leader", "visited_on", "id"], name="activities_visit_leader_idx"),
            # A company's last visit, one probe of the index each (the coverage lists).
            models.Index(fields=["company", "visited_on"], name="activities_visit_company_idx"),
        ]

    def __str__(self):
        return _("%(company)s on %(date)s") % {
            "company": self.company.name,
            "date": self.visited_on.isoformat(),
        }

    def get_absolute_url(self):
        return reverse("activities:visit_detail", args=[self.pk])

    @property
    def partner_names(self) -> list[str]:
        """The offices that came along, by name."""
        names = []
        if self.with_economic_office:
            names.append(str(_("Economic development office")))
        if self.with_community_centre:
            names.append(str(_("Community affairs service centre")))
        names += [name.strip() for name in self.other_partners.split("、") if name.strip()]
        return names


class VisitMonth(models.Model):
    """How many member companies a person visited in a month, led or came along: the visit
    rule's figure, kept on write (``activities.visits.rollups``) so that the compliance board,
    the dashboard and the 四好 report read a few thousand small rows instead of counting a
    year's 100,000 visits. Only months with at least one company have a row.

    A derived table: every write recomputes the rows it touches from the visits themselves,
    and ``rebuild_visit_months()`` (the command ``rebuild_visit_months``) recomputes all of it.
    """

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    companies = models.PositiveIntegerField(_("companies visited"))

    class Meta:
        verbose_name = _("companies visited in a month")
        verbose_name_plural = _("companies visited per month")
        constraints = [
            models.UniqueConstraint(fields=["person", "month"], name="activities_visitmonth_once"),
        ]
        # Everyone's months of a year (the board) read from the index alone.
        indexes = [
            models.Index(fields=["month", "person", "companies"], name="activities_visitmonth_idx")
        ]

    def __str__(self):
        return f"{self.person_id} · {self.month:%Y-%m}: {self.companies}"


class CompanyLastVisit(models.Model):
    """A company's last visit, kept on write like ``VisitMonth``: the coverage lists (the
    companies longest without a visit, out of a city federation's 20,000) join it instead of
    probing every company's visits, which took PostgreSQL 0.2 s after each visit logged.
    A company never visited has no row."""

    company = models.OneToOneField(
        Company,
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="latest_visit",
    )
    visited_on = models.DateField(_("last visit"))

    class Meta:
        verbose_name = _("last visit")
        verbose_name_plural = _("last visits")

    def __str__(self):
        return f"{self.company_id}: {self.visited_on}"


class VisitPhoto(models.Model):
    """A photo taken on a visit, stored scaled down, with a thumbnail for lists."""

    MAX_SIDE = 1600
    THUMBNAIL_SIDE = 360

    visit = models.ForeignKey(
        Visit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="photos"
    )
    image = ValidatedImageField(
        _("photo"), upload_to=UploadTo("visits", private=True), max_side=MAX_SIDE
    )
    thumbnail = models.ImageField(
        _("thumbnail"),
        upload_to=UploadTo("visits/thumbs", private=True),
        blank=True,
        editable=False,
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("visit photo")
        verbose_name_plural = _("visit photos")
        ordering = ["pk"]

    def __str__(self):
        return self.image.name.rsplit("/", 1)[-1]

    def get_absolute_url(self):
        """The photo, through the view that checks who may see the visit."""
        return reverse("activities:visit_photo", args=[self.pk])

    @property
    def thumbnail_url(self) -> str:
        return reverse("activities:visit_photo_thumbnail", args=[self.pk])

    def private_file_url(self, field_name: str) -> str:
        return self.thumbnail_url if field_name == "thumbnail" else self.get_absolute_url()


class VisitReminder(models.Model):
    """A reminder emailed to a leader below the visit quota: at most one per leader and month."""

    leader = models.ForeignKey(
        Person,
        verbose_name=_("leadership member"),
        on_delete=models.CASCADE,
        related_name="visit_reminders",
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    visits_done = models.PositiveSmallIntegerField(_("companies visited when reminded"))
    email = models.EmailField(_("sent to"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when the daily job sent it."),
    )

    class Meta:
        verbose_name = _("visit reminder")
        verbose_name_plural = _("visit reminders")
        ordering = ["-month", "leader__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["leader", "month"],
                name="activities_visitreminder_once_a_month",
                violation_error_message=_("This leader was already reminded for this month."),
            ),
        ]

    def __str__(self):
        return f"{self.leader.name} · {self.month:%Y-%m}"
