"""Notices for the person, the journal 《缘聚》 with its spotlights, share posters, and the one
search box over everything the person may see.

Every page asks the models' ``visible_to(roles)`` what it may show: a notice the person may not
read is a 404, as if it did not exist. Each page costs a fixed number of queries.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import DetailView, ListView, TemplateView

from activities.models import Event
from chamber.models import Document
from core.files import serve_private
from core.rules import allows, rule_required
from core.share_links import public_path
from members.models import Company

from . import services
from .forms import JournalSearchForm, SearchForm
from .models import (
    EditorImage,
    JournalIssue,
    Notice,
    NoticeAttachment,
    Spotlight,
    SpotlightPhoto,
)
from .public import is_shared, public_summary, too_many_from_address
from .share import KINDS, poster_for

NOTICES_PER_PAGE = 20
SEARCH_LIMIT = 8


# --- Notices -------------------------------------------------------------------------------


class NoticeListView(ListView):
    """The notices for the person, pinned first, unread marked. The secretariat also sees
    drafts, scheduled and expired notices, and how many have read each."""

    template_name = "notices/notice_list.html"
    context_object_name = "notices"
    paginate_by = NOTICES_PER_PAGE

    def get_queryset(self):
        roles = self.request.roles
        notices = Notice.objects.visible_to(roles).with_read_by(roles.person)
        self.unread_only = self.request.GET.get("show") == "unread" and marks_unread(roles)
        if allows("notices.publish", roles):
            notices = notices.annotate(read_count=Count("reads"))
        else:
            notices = notices.current()
        if self.unread_only:
            notices = notices.filter(is_read=False)
        return notices.select_related("group").order_by("-is_pinned", "-publish_at", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(unread_only=self.unread_only, marks_unread=marks_unread(self.request.roles))
        return context


def marks_unread(roles) -> bool:
    """Unread notices are marked for the people they go to; the secretariat, who publish
    them, are not counted as readers."""
    return roles.person is not None and not roles.is_secretariat


def visible_notice(request, pk) -> Notice:
    roles = request.roles
    return get_object_or_404(
        Notice.objects.visible_to(roles).with_read_by(roles.person).select_related("group"),
        pk=pk,
    )


class NoticeDetailView(DetailView):
    """A notice. Opening it counts as reading it; the secretariat, the president and the
    supervisors see who has read it, and the secretariat can email those who have not."""

    template_name = "notices/notice_detail.html"
    context_object_name = "notice"

    def get_object(self, queryset=None):
        return visible_notice(self.request, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        notice = self.object
        roles = self.request.roles
        now = timezone.now()
        state = notice.state(now)
        if not notice.is_read and state in ("published", "expired") and marks_unread(roles):
            services.record_read(notice=notice, person=roles.person)
        context.update(
            state=state,
            attachments=list(notice.attachments.all()),
            reading=services.reading_of(notice) if allows("notices.see_reading", roles) else None,
            can_remind=allows("notices.remind_readers", roles),
        )
        return context


@require_GET
def notice_attachment(request, pk, attachment_pk):
    """An attachment of a notice, for those who may read the notice, under its own name."""
    attachment = get_object_or_404(
        NoticeAttachment.objects.filter(notice__in=Notice.objects.visible_to(request.roles)),
        pk=attachment_pk,
        notice_id=pk,
    )
    filename = attachment.display_name
    extension = attachment.file.name.rsplit(".", 1)[-1].lower()
    if not filename.lower().endswith("." + extension):
        filename = f"{filename}.{extension}"
    return serve_private(request, attachment.file, filename=filename, as_attachment=True)


@require_POST
@rule_required("notices.remind_readers")
def notice_remind(request, pk):
    """Email the people who have not read the notice a link to it (the secretariat)."""
    notice = get_object_or_404(Notice.objects.current(), pk=pk)
    try:
        sent, without_email = services.email_unread(
            notice=notice, acting_user=request.user, request=request
        )
    except OSError:  # smtplib's errors included: the mail server did not take it.
        messages.error(request, _("The reminders could not be sent: the mail server refused."))
        return redirect(notice)
    if sent:
        messages.success(
            request,
            ngettext(
                "Reminded %(count)d person who had not read it.",
                "Reminded %(count)d people who had not read it.",
                len(sent),
            )
            % {"count": len(sent)},
        )
    else:
        messages.info(request, _("Nobody to remind: everyone with an email address has read it."))
    if without_email:
        messages.warning(
            request,
            _("No email address, not reminded: %(names)s.")
            % {"names": "、".join(person.name for person in without_email)},
        )
    return redirect(notice)


@login_not_required
@require_GET
def editor_image(request, pk):
    """A picture in a notice's or spotlight's text, for those who may read that text; for
    anyone when the text is shared publicly; a picture in no saved text, for the secretariat
    alone. Anyone else: 404, as if it did not exist."""
    if not request.user.is_authenticated and (refused := too_many_from_address(request)):
        return refused
    picture = get_object_or_404(EditorImage.objects.visible_to(request.roles), pk=pk)
    return serve_private(request, picture.image)


# --- The journal and spotlights ------------------------------------------------------------


class JournalView(ListView):
    """The archive of 《缘聚》, searchable by title and by the companies featured, and the
    enterprise spotlights."""

    template_name = "notices/journal.html"
    context_object_name = "issues"
    paginate_by = 12

    def get_queryset(self):
        roles = self.request.roles
        self.form = JournalSearchForm(self.request.GET or None)
        self.query = self.form.cleaned_data["q"] if self.form.is_valid() else ""
        issues = JournalIssue.objects.visible_to(roles)
        if self.query:
            issues = issues.search(self.query)
        return issues.prefetch_related(
            Prefetch("featured_companies", queryset=Company.objects.order_by("name_pinyin"))
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        spotlights = Spotlight.objects.visible_to(self.request.roles).select_related("company")
        if self.query:
            spotlights = spotlights.search(self.query)
        context.update(
            form=self.form,
            query=self.query,
            query_string=urlencode({"q": self.query}) if self.query else "",
            spotlights=list(spotlights[:12]),
        )
        return context


class JournalIssueDetailView(DetailView):
    template_name = "notices/journal_issue.html"
    context_object_name = "issue"

    def get_queryset(self):
        roles = self.request.roles
        return JournalIssue.objects.visible_to(roles).prefetch_related(
            Prefetch("featured_companies", queryset=Company.objects.order_by("name_pinyin")),
            Prefetch(
                "spotlights",
                queryset=Spotlight.objects.visible_to(roles).select_related("company"),
            ),
        )


@require_GET
def journal_pdf(request, pk):
    issue = get_object_or_404(JournalIssue.objects.visible_to(request.roles), pk=pk)
    if not issue.pdf:
        raise Http404
    filename = _("Yuanju issue %(number)s.pdf") % {"number": issue.number}
    return serve_private(request, issue.pdf, filename=filename, as_attachment=False)


class SpotlightDetailView(DetailView):
    template_name = "notices/spotlight_detail.html"
    context_object_name = "spotlight"

    def get_queryset(self):
        return (
            Spotlight.objects.visible_to(self.request.roles)
            .select_related("company", "journal_issue")
            .prefetch_related(
                Prefetch("photos", queryset=SpotlightPhoto.objects.order_by("order", "pk"))
            )
        )


@require_GET
def spotlight_photo(request, pk):
    """A spotlight's photo, for those who may read the spotlight (drafts: the secretariat)."""
    photo = get_object_or_404(
        SpotlightPhoto.objects.filter(spotlight__in=Spotlight.objects.visible_to(request.roles)),
        pk=pk,
    )
    return serve_private(request, photo.image)


# --- Sharing -------------------------------------------------------------------------------


@require_GET
def share_poster(request, kind, pk):
    """The share poster (PNG) of a notice, spotlight or event the person may see."""
    share_kind = KINDS.get(kind)
    if share_kind is None:
        raise Http404
    obj = get_object_or_404(share_kind.visible(request.roles), pk=pk)
    # A poster of an item with a public page leads to that page, with its summary: it is
    # posted where people without a login see it.
    if is_shared(obj):
        url = request.build_absolute_uri(public_path(kind, obj.pk))
        description = public_summary(obj, kind)
    else:
        url, description = request.build_absolute_uri(obj.get_absolute_url()), None
    png = poster_for(obj, share_kind, url, who=f"user:{request.user.pk}", description=description)
    if png is None:
        return HttpResponse(
            _("Too many posters were drawn for you in the last minute. Try again in a minute."),
            status=429,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "private, max-age=600"
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="{kind}-{pk}-poster.png"'
    return response


# --- Search --------------------------------------------------------------------------------


class SearchView(TemplateView):
    """One box over companies, events, notices, rules, the journal and spotlights: only what
    the person may see, one query per kind, at most a few results each."""

    template_name = "notices/search.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = SearchForm(self.request.GET or None)
        query = form.cleaned_data["q"] if form.is_valid() else ""
        groups = search_everything(self.request.roles, query) if query else []
        context.update(
            form=form,
            query=query,
            groups=groups,
            total=sum(len(group["results"]) for group in groups),
        )
        return context


def _limited(queryset, limit=SEARCH_LIMIT):
    rows = list(queryset[: limit + 1])
    return rows[:limit], len(rows) > limit


def search_everything(roles, query: str) -> list[dict]:
    """The results grouped by kind, each group at most SEARCH_LIMIT long (and whether there
    are more), for the kinds the person may see."""
    groups = []

    def add(key, label, queryset, more_url=""):
        results, more = _limited(queryset)
        groups.append(
            {"key": key, "label": label, "results": results, "more": more, "more_url": more_url}
        )

    if allows("members.see_directory", roles):
        companies = (
            Company.objects.all()
            if allows("members.keep_registry", roles)
            else Company.objects.active()
        )
        companies = companies.search(query).trade_name_first(query)
        add(
            "companies",
            _("Member companies"),
            companies.order_by("search_rank", "name_pinyin", "pk"),
            more_url="members:company_list",
        )
    events = Event.objects.visible_to(roles).filter(
        Q(title__icontains=query) | Q(description__icontains=query) | Q(venue__icontains=query)
    )
    add("events", _("Events"), events.order_by("-starts_at", "-pk"))
    notices = Notice.objects.visible_to(roles).search(query)
    add("notices", _("Notices"), notices.order_by("-publish_at", "-pk"))
    rules = Document.objects.visible_to(roles).filter(
        Q(title__icontains=query) | Q(body__icontains=query)
    )
    add("rules", _("Rules"), rules.defer("body").order_by("order", "title"))
    add(
        "journal",
        _("Yuanju journal"),
        JournalIssue.objects.visible_to(roles).search(query).order_by("-published_on"),
    )
    add(
        "spotlights",
        _("Enterprise spotlights"),
        Spotlight.objects.visible_to(roles)
        .search(query)
        .select_related("company")
        .order_by("-published_on", "-pk"),
    )
    return groups
