"""Notices (通知公告) with their read receipts, and the chamber's journal 《缘聚》 with its
enterprise spotlights (先进典型).

Who a notice is for is decided in one place: ``Notice.objects.visible_to(roles)`` for what a
person may read, ``notice.recipients()`` for the people it is addressed to (whose reading is
counted). The secretariat, the president and the supervisors may read every notice; they
count as readers only of the notices addressed to them.
"""

import datetime

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from chamber.models import (
    SECRETARIAT_GROUP,
    SUPERVISORS_GROUP,
    GroupMembership,
    Position,
    WorkingGroup,
)
from core.files import UploadTo
from core.images import ValidatedImageField
from core.models import Created, CreatedBy
from core.rules import allows
from members.models import Company, Person

from .html import clean_html, html_to_text
from .uploads import AttachmentField


def current_term_memberships(today: datetime.date):
    return GroupMembership.objects.filter(term__starts_on__lte=today, term__ends_on__gte=today)


def current_positions(today: datetime.date):
    return Position.objects.filter(term__starts_on__lte=today, term__ends_on__gte=today)


class NoticeQuerySet(models.QuerySet):
    def published(self, now: datetime.datetime | None = None):
        """Notices whose publication time has come (drafts and scheduled ones left out)."""
        return self.filter(publish_at__lte=now or timezone.now())

    def current(self, now: datetime.datetime | None = None):
        """Published and not yet expired: what lists and the home page show."""
        now = now or timezone.now()
        return self.published(now).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))

    def visible_to(self, roles, now: datetime.datetime | None = None):
        """The notices a person may read: the secretariat every one, drafts included; the
        president and supervisors every published one; others those for their audience —
        all members for everyone who sees the member directory, leadership notices for the
        leadership, a working group's for its members in the current term."""
        if allows("notices.publish", roles):
            return self
        conditions = []
        if roles.sees_directory:
            conditions.append(Q(audience=Notice.Audience.MEMBERS))
        if roles.is_leader or roles.sees_everything:
            conditions.append(Q(audience=Notice.Audience.LEADERSHIP))
        if roles.sees_everything:
            conditions.append(Q(audience=Notice.Audience.GROUP))
        elif roles.person is not None:
            in_group = current_term_memberships(timezone.localdate(now)).filter(
                group=OuterRef("group"), person=roles.person
            )
            conditions.append(Q(audience=Notice.Audience.GROUP) & Exists(in_group))
        if not conditions:
            return self.none()
        condition = conditions[0]
        for other in conditions[1:]:
            condition |= other
        return self.published(now).filter(condition)

    def with_read_by(self, person):
        """Each notice with ``is_read``: whether this person has opened it."""
        if person is None:
            return self.annotate(is_read=models.Value(False, output_field=models.BooleanField()))
        return self.annotate(
            is_read=Exists(NoticeRead.objects.filter(notice=OuterRef("pk"), person=person))
        )

    def search(self, query: str):
        return self.filter(Q(title__icontains=query) | Q(body_text__icontains=query))


class Notice(CreatedBy):
    """A notice (通知公告) the secretariat publishes to members, the leadership or a group."""

    class Audience(models.TextChoices):
        MEMBERS = "members", _("All members")
        LEADERSHIP = "leadership", _("Leadership")
        GROUP = "group", _("A working group")

    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(
        _("text"),
        blank=True,
        help_text=_(
            "Paragraphs, headings, bold, lists, links, tables and pictures of this site. "
            "Anything else (scripts, styles, frames) is removed when saving."
        ),
    )
    body_text = models.TextField(_("plain text"), blank=True, editable=False)
    audience = models.CharField(
        _("for"), max_length=20, choices=Audience.choices, default=Audience.MEMBERS
    )
    group = models.ForeignKey(
        WorkingGroup,
        verbose_name=_("working group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notices",
        help_text=_("Only for a notice to a working group."),
    )
    is_pinned = models.BooleanField(
        _("pinned"), default=False, help_text=_("Pinned notices come first.")
    )
    publish_at = models.DateTimeField(
        _("publish at"),
        null=True,
        blank=True,
        help_text=_(
            "Empty while it is a draft: 发布 publishes it now. A later time publishes it then."
        ),
    )
    expires_at = models.DateTimeField(
        _("expires at"),
        null=True,
        blank=True,
        help_text=_("Optional: after this time it leaves the lists and the home page."),
    )
    public_share = models.BooleanField(
        _("public share page"),
        default=False,
        help_text=_(
            "Anyone with the share link sees the title, date, place and summary, without "
            "logging in; nothing else."
        ),
    )
    reminded_at = models.DateTimeField(
        _("unread last reminded at"), null=True, blank=True, editable=False
    )
    announced_at = models.DateTimeField(_("announced at"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(
        excluded_fields=["updated_at", "body_text", "reminded_at", "announced_at"]
    )
    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-is_pinned", "-publish_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(audience="group", group__isnull=False)
                | (~Q(audience="group") & Q(group__isnull=True)),
                name="notices_notice_group_matches_audience",
                violation_error_message=_(
                    "Choose the working group for a notice to a working group, and only then."
                ),
            ),
            models.CheckConstraint(
                condition=Q(expires_at__isnull=True)
                | Q(publish_at__isnull=True)
                | Q(expires_at__gt=models.F("publish_at")),
                name="notices_notice_expires_after_publication",
                violation_error_message=_("A notice must expire after it is published."),
            ),
        ]
        indexes = [models.Index(fields=["publish_at"], name="notices_notice_publish_idx")]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Every write path (admin, demo, shell) stores only the sanitized text, and its plain
        # text for search.
        self.body = clean_html(self.body)
        self.body_text = html_to_text(self.body)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {*update_fields, "body_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("notices:notice_detail", args=[self.pk])

    @property
    def local_publish_at(self):
        return timezone.localtime(self.publish_at) if self.publish_at else None

    def state(self, now: datetime.datetime | None = None) -> str:
        """'draft', 'scheduled', 'published' or 'expired'."""
        now = now or timezone.now()
        if self.publish_at is None:
            return "draft"
        if self.publish_at > now:
            return "scheduled"
        if self.expires_at is not None and self.expires_at <= now:
            return "expired"
        return "published"

    def audience_label(self) -> str:
        if self.audience == self.Audience.GROUP and self.group_id:
            return self.group.name
        return self.get_audience_display()

    def recipients(self, today: datetime.date | None = None):
        """The people this notice is addressed to, who have an active login: everyone who
        sees the member directory, the leadership (班子成员), or the group's current members.
        Secretariat staff, who publish notices, are not counted."""
        today = today or timezone.localdate()
        people = Person.objects.filter(user__is_active=True, user__is_superuser=False).exclude(
            user__groups__name=SECRETARIAT_GROUP
        )
        positions = current_positions(today).filter(person=OuterRef("pk"))
        if self.audience == self.Audience.MEMBERS:
            return people.filter(
                Q(company__status=Company.Status.ACTIVE)
                | Exists(
                    positions.filter(
                        title__in=[*Position.LEADERSHIP_TITLES, *Position.SUPERVISORY_TITLES]
                    )
                )
                | Q(user__groups__name=SUPERVISORS_GROUP)
            ).distinct()
        if self.audience == self.Audience.LEADERSHIP:
            return people.filter(Exists(positions.filter(title__in=Position.LEADERSHIP_TITLES)))
        return people.filter(
            Exists(
                current_term_memberships(today).filter(group=self.group_id, person=OuterRef("pk"))
            )
        )


class NoticeAttachment(models.Model):
    """A file sent with a notice: a PDF, Word, Excel or PowerPoint file, or a picture."""

    notice = models.ForeignKey(
        Notice, verbose_name=_("notice"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = AttachmentField(_("file"), upload_to=UploadTo("notices", private=True))
    name = models.CharField(
        _("name"),
        max_length=200,
        blank=True,
        help_text=_("Shown to readers; the file's own name when left empty."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["notice", "order", "pk"]

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("notices:attachment", args=[self.notice_id, self.pk])

    def private_file_url(self, field_name: str) -> str:
        return self.get_absolute_url()

    @property
    def display_name(self) -> str:
        return self.name or self.file.name.rsplit("/", 1)[-1]

    @property
    def extension(self) -> str:
        return self.file.name.rsplit(".", 1)[-1].upper() if "." in self.file.name else ""


class NoticeRead(models.Model):
    """A read receipt: a person opened a notice (one per person and notice)."""

    notice = models.ForeignKey(
        Notice, verbose_name=_("notice"), on_delete=models.CASCADE, related_name="reads"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="notice_reads"
    )
    read_at = models.DateTimeField(_("read at"), default=timezone.now)

    class Meta:
        verbose_name = _("read receipt")
        verbose_name_plural = _("read receipts")
        ordering = ["notice", "read_at"]
        constraints = [
            models.UniqueConstraint(fields=["notice", "person"], name="notices_noticeread_once"),
        ]

    def __str__(self):
        return f"{self.person.name} · {self.notice.title}"


class PublishedQuerySet(models.QuerySet):
    def visible_to(self, roles):
        """Everyone logged in reads what is published; the secretariat also the drafts."""
        if allows("notices.publish", roles):
            return self
        return self.filter(is_published=True)


def companies_named(query: str):
    """Companies whose name contains the query, or whose trade name's pinyin initials start
    with it (hj → 上海虹泾投资…, not every name with h and j somewhere in it)."""
    return Company.objects.trade_name_first(query).filter(
        Q(name__icontains=query) | Q(search_rank=0)
    )


class JournalIssueQuerySet(PublishedQuerySet):
    def search(self, query: str):
        """Issues whose title or contents contain the query, or that featured a company by
        that name or those pinyin initials."""
        featured = companies_named(query).filter(journal_issues=OuterRef("pk"))
        return self.filter(
            Q(title__icontains=query) | Q(summary__icontains=query) | Exists(featured)
        )


class JournalIssue(Created):
    """An issue of the chamber's journal 《缘聚》."""

    number = models.PositiveSmallIntegerField(
        _("issue number"), unique=True, help_text=_("The running number: 总第N期.")
    )
    title = models.CharField(
        _("title"), max_length=200, help_text=_("E.g. 2026年第3期 · 商会“四好”建设专刊")
    )
    published_on = models.DateField(_("published on"))
    summary = models.TextField(_("contents"), blank=True, help_text=_("What this issue carries."))
    cover = ValidatedImageField(
        _("cover"), upload_to=UploadTo("journal/covers"), max_side=1200, blank=True
    )
    pdf = AttachmentField(
        _("PDF"),
        upload_to=UploadTo("journal", private=True),
        blank=True,
        kinds=("pdf",),
        max_bytes=50 * 2**20,
    )
    featured_companies = models.ManyToManyField(
        Company, verbose_name=_("featured companies"), blank=True, related_name="journal_issues"
    )
    is_published = models.BooleanField(_("published"), default=True)

    history = HistoricalRecords()
    objects = JournalIssueQuerySet.as_manager()

    class Meta:
        verbose_name = _("journal issue")
        verbose_name_plural = _("journal issues")
        ordering = ["-published_on", "-number"]

    def __str__(self):
        return _("Yuanju, issue %(number)s") % {"number": self.number}

    def get_absolute_url(self):
        return reverse("notices:journal_issue", args=[self.pk])

    def private_file_url(self, field_name: str) -> str:
        return reverse("notices:journal_pdf", args=[self.pk])


class SpotlightQuerySet(PublishedQuerySet):
    def search(self, query: str):
        return self.filter(
            Q(title__icontains=query)
            | Q(summary__icontains=query)
            | Q(story_text__icontains=query)
            | Exists(companies_named(query).filter(pk=OuterRef("company")))
        )


class Spotlight(Created):
    """An enterprise spotlight (先进典型): a member company's story, told as an example."""

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.PROTECT, related_name="spotlights"
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(
        _("lead paragraph"),
        max_length=300,
        blank=True,
        help_text=_("One or two sentences, shown in lists and link previews."),
    )
    story = models.TextField(_("story"), help_text=Notice._meta.get_field("body").help_text)
    story_text = models.TextField(_("plain text"), blank=True, editable=False)
    published_on = models.DateField(_("published on"), default=timezone.localdate)
    journal_issue = models.ForeignKey(
        JournalIssue,
        verbose_name=_("appeared in"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="spotlights",
    )
    is_published = models.BooleanField(_("published"), default=True)
    public_share = Notice._meta.get_field("public_share").clone()
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at", "story_text"])
    objects = SpotlightQuerySet.as_manager()

    class Meta:
        verbose_name = _("enterprise spotlight")
        verbose_name_plural = _("enterprise spotlights")
        ordering = ["-published_on", "-pk"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.story = clean_html(self.story)
        self.story_text = html_to_text(self.story)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "story" in update_fields:
            kwargs["update_fields"] = {*update_fields, "story_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("notices:spotlight_detail", args=[self.pk])


class SpotlightPhoto(models.Model):
    """A photo of a spotlighted company, stored scaled down."""

    spotlight = models.ForeignKey(
        Spotlight, verbose_name=_("spotlight"), on_delete=models.CASCADE, related_name="photos"
    )
    image = ValidatedImageField(
        _("photo"), upload_to=UploadTo("spotlights", private=True), max_side=1600
    )
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("spotlight photo")
        verbose_name_plural = _("spotlight photos")
        ordering = ["spotlight", "order", "pk"]

    def __str__(self):
        return self.caption or self.image.name.rsplit("/", 1)[-1]

    def get_absolute_url(self):
        """The photo, through the view that checks who may see the spotlight."""
        return reverse("notices:spotlight_photo", args=[self.pk])

    def private_file_url(self, field_name: str) -> str:
        return self.get_absolute_url()


class EditorImageQuerySet(models.QuerySet):
    def visible_to(self, roles):
        """The pictures a person may see: the secretariat every one (a picture not yet in a
        saved text included); others those in a notice or spotlight they may read; anyone,
        logged in or not, those in a notice or spotlight shared publicly (its public page)."""
        if allows("notices.publish", roles):
            return self
        from .public import PUBLIC

        notices = PUBLIC["notice"]()
        spotlights = PUBLIC["spotlight"]()
        if roles.user is not None:  # logged in (ANONYMOUS has no account)
            notices = notices | Notice.objects.visible_to(roles)
            spotlights = spotlights | Spotlight.objects.visible_to(roles)
        return self.filter(
            Exists(notices.filter(images=OuterRef("pk")))
            | Exists(spotlights.filter(images=OuterRef("pk")))
        )


class EditorImage(CreatedBy):
    """A picture the secretariat uploaded from the editor into a notice's or a spotlight's
    text. Stored privately: it is served to those who may read a text it is in
    (``visible_to``), which ``link_editor_images`` records when the text is saved."""

    image = ValidatedImageField(
        _("picture"), upload_to=UploadTo("notices/pictures", private=True), max_side=1600
    )
    notices = models.ManyToManyField(
        Notice, verbose_name=_("notices"), blank=True, related_name="images"
    )
    spotlights = models.ManyToManyField(
        Spotlight, verbose_name=_("enterprise spotlights"), blank=True, related_name="images"
    )

    objects = EditorImageQuerySet.as_manager()

    class Meta:
        verbose_name = _("picture in a text")
        verbose_name_plural = _("pictures in texts")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.image.name.rsplit("/", 1)[-1]

    def get_absolute_url(self):
        return reverse("notices:editor_image", args=[self.pk])

    def private_file_url(self, field_name: str) -> str:
        return self.get_absolute_url()
