"""Events (活动): the calendar, sign-ups, check-in and the quarterly sharing meetings.

An ``Event`` is anything the chamber holds on a date, from a 红色课堂 to the 重阳节 visit;
members sign up (``Registration``), a full event keeps a waiting list, and people check in at
the door by scanning the event's QR code. The quarterly 例会暨经验分享会 is an event of its own
type with its ``Talk`` rows. The calendar subscriptions and the day-before reminders are in
``subscriptions``.

Who may see an event is decided in one place, ``Event.objects.visible_to(roles)``.
"""

import datetime
import secrets

from django.conf import settings
from django.db import connections, models
from django.db.models import Count, F, Func, OuterRef, Q, Subquery, Window
from django.db.models.functions import Coalesce, RowNumber, TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.files import UploadTo
from core.images import ValidatedImageField
from core.models import CreatedBy
from core.rules import allows
from members.models import Company, Person

CHECK_IN_OPENS_BEFORE = datetime.timedelta(hours=1)


def new_check_in_code() -> str:
    return secrets.token_urlsafe(12)


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


def quarter_of(day: datetime.date) -> int:
    return (day.month - 1) // 3 + 1


# An event ending at midnight does not take up the next day.
_LAST_MOMENT = models.ExpressionWrapper(
    F("ends_at") - datetime.timedelta(microseconds=1), output_field=models.DateTimeField()
)


class _TimeRange(Func):
    """``TSTZRANGE(start, end)``: a PostgreSQL range, as the GiST index on events holds."""

    function = "TSTZRANGE"
    output_field = models.Field()


class _Overlaps(Func):
    """``a && b`` for two ranges (PostgreSQL)."""

    arg_joiner = " && "
    template = "(%(expressions)s)"
    output_field = models.BooleanField()


def _count_of(status):
    """The number of an event's sign-ups in ``status``, as a subquery: reading only the
    events shown (the (event, status) index answers it), not every sign-up of every event
    a filter passes before LIMIT."""
    return Coalesce(
        Subquery(
            Registration.objects.filter(event=OuterRef("pk"), status=status)
            .order_by()
            .values("event")
            .annotate(n=Count("*"))
            .values("n")
        ),
        0,
    )


class EventQuerySet(models.QuerySet):
    def visible_to(self, roles):
        """The events a person may see: the secretariat every one; the leadership and the
        president and supervisors those for members and for the leadership; members those
        for members; anyone else none."""
        audiences = self.audiences_for(roles)
        if audiences is None:
            return self
        if not audiences:
            return self.none()
        return self.filter(audience__in=audiences)

    @staticmethod
    def audiences_for(roles) -> list | None:
        """The audiences of the events a person may see, None for every event: what
        ``visible_to`` filters by, and what a cached calendar is keyed by."""
        if allows("activities.manage_events", roles):
            return None
        audiences = []
        if roles.sees_directory:
            audiences.append(Event.Audience.MEMBERS)
        if roles.is_leader or roles.sees_everything:
            audiences.append(Event.Audience.LEADERSHIP)
        return audiences

    def in_range(self, start: datetime.datetime, end: datetime.datetime):
        """Events that overlap the time from ``start`` to ``end``.

        On PostgreSQL the test is written as an overlap of ranges, which the GiST index
        ``activities_event_span_idx`` answers by reading only the events in the range: two
        comparisons would read every event that started before ``end``."""
        if connections[self.db].vendor == "postgresql":
            return self.filter(
                _Overlaps(
                    _TimeRange(F("starts_at"), F("ends_at")),
                    _TimeRange(models.Value(start), models.Value(end)),
                )
            )
        return self.filter(starts_at__lt=end, ends_at__gt=start)

    def upcoming(self, now: datetime.datetime | None = None):
        return self.filter(ends_at__gt=now or timezone.now(), is_cancelled=False)

    def with_counts(self):
        """Each event with the number of places taken and of people waiting."""
        return self.annotate(
            taken=_count_of(Registration.Status.REGISTERED),
            waiting=_count_of(Registration.Status.WAITLISTED),
        )

    def with_attended(self):
        """Each event with ``attended``: the people checked in, counted by a subquery for the
        rows fetched (a join would count every sign-up of every event first)."""
        return self.annotate(
            attended=Coalesce(
                Subquery(
                    Registration.objects.attended()
                    .filter(event=OuterRef("pk"))
                    .order_by()
                    .values("event")
                    .annotate(n=Count("*"))
                    .values("n")
                ),
                0,
            )
        )

    def with_status_of(self, person):
        """Each event with ``my_status``: the person's active registration's status, or None."""
        if person is None:
            return self.annotate(my_status=models.Value(None, output_field=models.CharField()))
        return self.annotate(
            my_status=Subquery(
                Registration.objects.active()
                .filter(event=OuterRef("pk"), person=person)
                .order_by()
                .values("status")[:1]
            )
        )

    def day_spans(self):
        """``(first day, last day, number of events)`` for the events, grouped by the days
        (in Shanghai) they begin and end on: one row per pair of days, not per event."""
        zone = timezone.get_default_timezone()
        return (
            self.order_by()
            .annotate(
                first_day=TruncDate("starts_at", tzinfo=zone),
                last_day=TruncDate(_LAST_MOMENT, tzinfo=zone),
            )
            .values("first_day", "last_day")
            # COUNT(*), not of a column, lets PostgreSQL count from the index alone.
            .annotate(n=Count("*"))
            .values_list("first_day", "last_day", "n")
        )

    def first_pks_of_each_day(self, limit: int, multi_day_limit: int):
        """The numbers of the first ``limit`` events to begin on each day (in Shanghai) and
        of the first ``multi_day_limit`` events that last several days (they head the days
        after their first): what a month grid shows, whatever the number of events. Fetch
        the events themselves by number afterwards: filtering on this subquery leads
        PostgreSQL to read the whole table."""
        zone = timezone.get_default_timezone()
        first_day = TruncDate("starts_at", tzinfo=zone)
        spans_days = models.ExpressionWrapper(
            ~Q(first_day=F("last_day")), output_field=models.BooleanField()
        )
        order = [F("starts_at").asc(), F("pk").asc()]
        return (
            self.order_by()
            .annotate(first_day=first_day, last_day=TruncDate(_LAST_MOMENT, tzinfo=zone))
            .annotate(
                spans_days=spans_days,
                nth_of_day=Window(RowNumber(), partition_by=[first_day], order_by=order),
            )
            .annotate(nth_long=Window(RowNumber(), partition_by=[spans_days], order_by=order))
            .filter(Q(nth_of_day__lte=limit) | Q(spans_days=True, nth_long__lte=multi_day_limit))
            .values_list("pk", flat=True)
        )


class Event(CreatedBy):
    """Something the chamber holds on a date: a class, a briefing, a visit, a meeting."""

    class Kind(models.TextChoices):
        PARTY = "party", _("Party building / red classroom")
        POLICY = "policy", _("Policy briefing")
        LEGAL = "legal", _("Legal consultation")
        HEALTH = "health", _("Health talk / check-up")
        TALENT = "talent", _("Talent / residence permit points")
        EDUCATION = "education", _("Education")
        SOCIAL = "social", _("Social / sports")
        ENVIRONMENT = "environment", _("Environmental volunteering")
        CHARITY = "charity", _("Charity")
        SHARING = "sharing", _("Quarterly meeting and experience sharing")
        OTHER = "other", _("Other")

    class Audience(models.TextChoices):
        MEMBERS = "members", _("All members")
        LEADERSHIP = "leadership", _("Leadership")
        STAFF = "staff", _("Secretariat")

    class Recurrence(models.TextChoices):
        NONE = "", _("Does not recur")
        YEARLY = "yearly", _("Every year on the same date")
        DOUBLE_NINTH = (
            "double_ninth",
            _("Every year at the Double Ninth (9th day of the 9th lunar month)"),
        )

    # Changing one of these changes what a phone's calendar shows: SEQUENCE goes up.
    CALENDAR_FIELDS = frozenset(
        {"title", "kind", "starts_at", "ends_at", "venue", "description", "is_cancelled"}
    )

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(
        _("places"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    # Events for staff, their children, health checks (年青男女, 体检 …): a company's contact
    # signs up colleagues and guests, within its share of the places.
    places_per_company = models.PositiveSmallIntegerField(
        _("places per company"),
        null=True,
        blank=True,
        help_text=_(
            "Empty: each person signs up themselves. A number: a member company may also sign "
            "up colleagues and guests, up to this many people in all."
        ),
    )
    audience = models.CharField(
        _("open to"), max_length=20, choices=Audience.choices, default=Audience.MEMBERS
    )
    organisers = models.CharField(
        _("organised by"), max_length=200, blank=True, help_text=_("E.g. 徐泾镇商会")
    )
    partners = models.CharField(
        _("partners"),
        max_length=200,
        blank=True,
        help_text=_("E.g. 经发办、社区事务受理中心; separate several with 、"),
    )
    description = models.TextField(_("description"), blank=True)
    registration_open = models.BooleanField(
        _("sign-up open"),
        default=True,
        help_text=_("Untick to close sign-up; people already signed up keep their places."),
    )
    is_cancelled = models.BooleanField(_("cancelled"), default=False)
    public_share = models.BooleanField(
        _("public share page"),
        default=False,
        help_text=_(
            "Anyone with the share link sees the title, date, place and summary, without "
            "logging in; nothing else."
        ),
    )
    recurrence = models.CharField(
        _("recurs"), max_length=20, choices=Recurrence.choices, default=Recurrence.NONE, blank=True
    )
    copied_from = models.OneToOneField(
        "self",
        verbose_name=_("copied from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="next_copy",
        editable=False,
    )
    minutes = models.TextField(
        _("minutes"), blank=True, help_text=_("What happened, written after the event.")
    )
    sequence = models.PositiveIntegerField(
        _("revision"),
        default=0,
        editable=False,
        help_text=_("Goes up with each change that subscribed calendars must pick up."),
    )
    check_in_code = models.CharField(
        _("check-in code"), max_length=32, default=new_check_in_code, unique=True, editable=False
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="activities_event_ends_after_start",
                violation_error_message=_("An event must end after it starts."),
            ),
        ]
        indexes = [
            models.Index(fields=["starts_at", "ends_at"], name="activities_event_time_idx"),
        ]

    def __str__(self):
        start = timezone.localtime(self.starts_at) if self.starts_at else None
        return f"{start:%Y-%m-%d} {self.title}" if start else self.title

    def get_absolute_url(self):
        return reverse("activities:event_detail", args=[self.pk])

    @property
    def local_start(self) -> datetime.datetime:
        return timezone.localtime(self.starts_at)

    @property
    def local_end(self) -> datetime.datetime:
        return timezone.localtime(self.ends_at)

    @property
    def is_multi_day(self) -> bool:
        return self.local_start.date() != self.local_end.date()

    @property
    def check_in_opens_at(self) -> datetime.datetime:
        return self.starts_at - CHECK_IN_OPENS_BEFORE

    def check_in_is_open(self, now: datetime.datetime | None = None) -> bool:
        """Check-in opens an hour before the start and closes at the end."""
        now = now or timezone.now()
        return self.check_in_opens_at <= now < self.ends_at and not self.is_cancelled

    def has_started(self, now: datetime.datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.starts_at

    def has_ended(self, now: datetime.datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.ends_at

    def accepts_sign_ups(self, now: datetime.datetime | None = None) -> bool:
        return self.registration_open and not self.is_cancelled and not self.has_started(now)

    def places_left(self, taken: int | None = None) -> int | None:
        """Places still free (None: no limit). ``taken`` defaults to the annotation."""
        if self.capacity is None:
            return None
        if taken is None:
            taken = getattr(self, "taken", None)
            if taken is None:
                taken = self.registrations.filter(status=Registration.Status.REGISTERED).count()
        return max(self.capacity - taken, 0)

    @property
    def partner_list(self) -> list[str]:
        parts = self.partners.replace(",", "、").replace("，", "、").split("、")
        return [part.strip() for part in parts if part.strip()]

    @property
    def quarter(self) -> int:
        return quarter_of(self.local_start.date())


class RegistrationQuerySet(models.QuerySet):
    def active(self):
        """Registrations that hold a place or a spot on the waiting list."""
        return self.exclude(status=Registration.Status.CANCELLED)

    def registered(self):
        return self.filter(status=Registration.Status.REGISTERED)

    def waitlisted(self):
        return self.filter(status=Registration.Status.WAITLISTED)

    def attended(self):
        return self.filter(status=Registration.Status.REGISTERED, checked_in_at__isnull=False)

    def waiting_order(self):
        return self.waitlisted().order_by("created_at", "pk")


class Registration(models.Model):
    """A person's sign-up (报名) for an event: a place, a spot on the waiting list, or
    cancelled; and when they checked in."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Signed up")
        WAITLISTED = "waitlisted", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="registrations"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="registrations"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REGISTERED
    )
    created_at = models.DateTimeField(_("signed up at"), default=timezone.now)
    promoted_at = models.DateTimeField(
        _("moved up from the waiting list at"), null=True, blank=True
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked in by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when the person scanned the code themselves."),
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed up by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The member company whose places the sign-up takes (its own people's, and the colleagues
    # and guests its contact signed up); a guest is a person of no company.
    company = models.ForeignKey(
        Company,
        verbose_name=_("for the company"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # A database default too: the city demo loads sign-ups by COPY, naming its columns.
    is_guest = models.BooleanField(_("guest"), default=False, db_default=False)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        ordering = ["event", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "person"],
                condition=~Q(status="cancelled"),
                name="activities_registration_one_active",
                violation_error_message=_("This person has already signed up for this event."),
            ),
            models.CheckConstraint(
                condition=Q(checked_in_at__isnull=True) | Q(status="registered"),
                name="activities_registration_check_in_needs_place",
                violation_error_message=_("Only someone with a place can be checked in."),
            ),
        ]
        indexes = [
            models.Index(fields=["event", "status"], name="activities_registration_idx"),
            # Check-ins per event (attendance on the dashboard and the 四好 report).
            models.Index(
                fields=["event"],
                condition=Q(status="registered", checked_in_at__isnull=False),
                name="activities_reg_checked_in_idx",
            ),
        ]

    def __str__(self):
        return f"{self.person.name} · {self.event.title}"

    @property
    def is_active(self) -> bool:
        return self.status != self.Status.CANCELLED


class Talk(models.Model):
    """A talk at a quarterly sharing meeting: a member entrepreneur shares how their firm
    grew stronger."""

    event = models.ForeignKey(
        Event,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="talks",
        limit_choices_to={"kind": Event.Kind.SHARING},
    )
    company = models.ForeignKey(
        Company,
        verbose_name=_("speaker's company"),
        on_delete=models.PROTECT,
        related_name="talks",
    )
    speaker = models.ForeignKey(
        Person,
        verbose_name=_("speaker"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="talks",
    )
    topic = models.CharField(_("topic"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("talk")
        verbose_name_plural = _("talks")
        ordering = ["event", "order", "pk"]

    def __str__(self):
        return self.topic


class EventPhoto(models.Model):
    """A photo of an event, stored scaled down, with a thumbnail for the event page."""

    MAX_SIDE = 1600
    THUMBNAIL_SIDE = 360

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="photos"
    )
    image = ValidatedImageField(
        _("photo"), upload_to=UploadTo("events", private=True), max_side=MAX_SIDE
    )
    thumbnail = models.ImageField(
        _("thumbnail"),
        upload_to=UploadTo("events/thumbs", private=True),
        blank=True,
        editable=False,
    )
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("event photo")
        verbose_name_plural = _("event photos")
        ordering = ["pk"]

    def __str__(self):
        return self.caption or self.image.name.rsplit("/", 1)[-1]

    def get_absolute_url(self):
        """The photo, through the view that checks who may see the event."""
        return reverse("activities:event_photo", args=[self.pk])

    @property
    def thumbnail_url(self) -> str:
        return reverse("activities:event_photo_thumbnail", args=[self.pk])

    def private_file_url(self, field_name: str) -> str:
        return self.thumbnail_url if field_name == "thumbnail" else self.get_absolute_url()
