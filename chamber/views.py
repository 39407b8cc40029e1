import itertools

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import DatabaseError, connection
from django.db.models import Case, Count, Prefetch, Q, Value, When
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import DetailView, ListView, TemplateView

from core.counts import count_of
from core.files import normalised_extension, serve_private
from core.rules import allows, require, rule_required
from core.sections import sections_with
from core.templatetags.fragments import Fragment
from members.models import Company, Person

from . import services
from .forms import RuleCommentForm
from .models import (
    Document,
    DocumentComment,
    DocumentVersion,
    GroupMembership,
    Honor,
    Position,
    Term,
    WorkingGroup,
)

MEMBERSHIP_ROLE_ORDER = Case(
    When(role=GroupMembership.Role.LEAD, then=Value(0)),
    When(role=GroupMembership.Role.DEPUTY, then=Value(1)),
    default=Value(2),
)


@count_of(Term, Company, Position)
def at_a_glance(today) -> tuple:
    """The term in force, the companies by status and the term's leadership seats, for the
    home page of those who see everything: kept in the shared cache until a term, a company
    or a seat changes (core.counts; counting a city federation's 20,000 companies takes a
    while). Three queries afresh, one cache query once computed."""
    term = Term.objects.current(today)
    status_counts = dict(Company.objects.order_by().values_list("status").annotate(n=Count("pk")))
    leaders = (
        Position.objects.filter(term=term, title__in=Position.LEADERSHIP_TITLES).count()
        if term
        else 0
    )
    return term, status_counts, leaders


@count_of(Term, Document, Honor)
def chamber_at_home(today, company_id) -> tuple:
    """The term in force, the published rules, the chamber's honours and the viewer's company's,
    for the homes of members and leaders: one query afresh, one cache read once computed, and
    kept until a term, a rule or an honour changes (core.counts)."""
    term = Term.objects.current(today)
    rules = list(Document.objects.published().only("title", "kind", "effective_on")[:8])
    honors = list(Honor.objects.filter(Q(company__isnull=True) | Q(company_id=company_id)))
    chamber_honors = [honor for honor in honors if honor.company_id is None][:6]
    company_honors = [honor for honor in honors if honor.company_id is not None][:5]
    return term, rules, chamber_honors, company_honors


def home(request):
    """The home page for the user's role: its cached parts (the chamber's figures or rules,
    and every section kept in the cache) read in one cache query."""
    roles = request.roles
    today = timezone.localdate()
    if roles.sees_everything:
        call = (at_a_glance, f"chamber:at-a-glance:{today}", today)
    else:
        company_id = roles.company.pk if roles.company is not None else None
        call = (chamber_at_home, f"chamber:at-home:{today}:{company_id}", today, company_id)
    sections, (chamber,) = sections_with("home", request, call)
    if roles.sees_everything:
        term, status_counts, leader_count = chamber
        context = {
            "term": term,
            "leader_count": leader_count,
            "company_counts": [
                (label, status_counts.get(value, 0)) for value, label in Company.Status.choices
            ],
        }
    else:
        term, rules, honors, company_honors = chamber
        context = {"term": term}
    if roles.person is not None and term is not None:
        context["my_positions"] = [
            Position(title=title, term=term).get_title_display()
            for title in sorted(roles.titles, key=lambda t: Position.TITLE_RANK.get(t, 99))
        ]
    if not roles.sees_everything:
        # The president, secretariat and supervisors get the dashboard here instead; the
        # rules are a click away for them, and the page stays within its query budget.
        context["rules"] = rules
        # The chamber's honours are every member's pride too (the 四好 title): members and
        # leaders see them beside the rules; their own company's are in its card.
        context["honors"] = honors
        context["company_honors"] = company_honors
    context["sections"] = sections
    return render(request, "chamber/home.html", context)


class LeadershipView(TemplateView):
    """The current term's org chart and the working groups, for everyone logged in."""

    template_name = "chamber/leadership.html"
    seats_per_tier = 60
    seats_per_page = 100

    def get_context_data(self, **kwargs):
        """The same for everyone: rendered once per day, tier and page, and kept in the shared
        cache until a term, seat, working group or one of their people or companies changes
        (a city federation's leadership has hundreds of seats)."""
        context = super().get_context_data(**kwargs)
        shown_title = self.request.GET.get("title", "")[:40]
        page = self.request.GET.get("page", "")[:12]
        context["leadership"] = Fragment(
            f"leadership:{timezone.localdate()}:{shown_title}:{page}",
            (Term, Position, WorkingGroup, GroupMembership, Person, Company),
            lambda: self.leadership_context(shown_title),
        )
        return context

    def leadership_context(self, shown_title) -> dict:
        context = {}
        term = Term.objects.current()
        positions = []
        groups = []
        if term is not None:
            positions = sorted(
                Position.objects.filter(term=term).select_related("person__company"),
                key=lambda p: (Position.TITLE_RANK.get(p.title, 99), p.order, p.person.name),
            )
            groups = list(
                WorkingGroup.objects.prefetch_related(
                    Prefetch(
                        "memberships",
                        queryset=GroupMembership.objects.filter(term=term)
                        .select_related("person__company")
                        # 组长 first, then 副组长, then members (the role values do not sort
                        # that way).
                        .order_by(MEMBERSHIP_ROLE_ORDER, "person__name"),
                        to_attr="term_memberships",
                    )
                )
            )
        by_title = [
            (Position.Title(title).label, list(seats))
            for title, seats in itertools.groupby(positions, key=lambda p: p.title)
        ]
        # A city federation has hundreds of 执委: a long tier shows its first seats and links
        # to a page of that tier alone, a hundred at a time.
        tiers = []
        for label, seats in by_title:
            title = seats[0].title
            if shown_title:
                if title != shown_title:
                    continue
                page = Paginator(seats, self.seats_per_page).get_page(self.request.GET.get("page"))
                tiers.append((label, list(page.object_list), len(seats)))
                context.update(page_obj=page, query_string=f"title={title}")
            else:
                tiers.append((label, seats[: self.seats_per_tier], len(seats)))
        context.update(term=term, seats_by_title=tiers, shown_title=shown_title, groups=groups)
        return context


class DocumentListView(ListView):
    """The published rules (章程 and 制度), and the drafts open for comment."""

    def get_queryset(self):
        return Document.objects.published().defer("body")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        consultations = []
        if self.request.roles.sees_directory:
            today = timezone.localdate()
            consultations = list(
                DocumentVersion.objects.filter(
                    published_at__isnull=True,
                    comment_starts_on__lte=today,
                    comment_ends_on__gte=today,
                )
                .select_related("document")
                .only(
                    "label",
                    "comment_starts_on",
                    "comment_ends_on",
                    "document__title",
                    "document__kind",
                )
                .order_by("comment_ends_on", "pk")
            )
        context["consultations"] = consultations
        return context


class DocumentDetailView(DetailView):
    """A rule: the text in force, its versions with their dates, and a draft put out for
    comment with the comment form while the period is open. The secretariat, president and
    supervisors read the comments; the secretariat publishes a version."""

    def get_queryset(self):
        return Document.objects.visible_to(self.request.roles)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        roles = self.request.roles
        today = timezone.localdate()
        versions = list(
            self.object.versions.annotate(comment_count=Count("comments")).order_by(
                "-published_at", "-created_at", "-pk"
            )
        )
        published = [v for v in versions if not v.is_draft]
        drafts = [v for v in versions if v.is_draft]
        if not allows("chamber.publish_rules", roles):
            # Others see a draft once it is put out for comment.
            drafts = [v for v in drafts if v.comment_state(today) in ("open", "closed")]
        draft_ids = [v.pk for v in drafts]
        comments = DocumentComment.objects.filter(version__in=draft_ids).select_related(
            "person__company"
        )
        if allows("chamber.read_comments", roles):
            comments = list(comments)
        elif roles.person is not None:
            comments = list(comments.filter(person=roles.person))
        else:
            comments = []
        for draft in drafts:
            draft.state = draft.comment_state(today)
            draft.comment_list = [c for c in comments if c.version_id == draft.pk]
        context.update(
            published_versions=published,
            drafts=drafts,
            can_comment=allows("chamber.comment_on_drafts", roles),
            comment_form=RuleCommentForm(),
            sees_comments=allows("chamber.read_comments", roles),
            can_publish=allows("chamber.publish_rules", roles),
        )
        return context


@require_POST
def rule_comment(request, pk, version_pk):
    """A member's comment on a draft rule during its comment period."""
    roles = request.roles
    require("chamber.comment_on_drafts", roles)
    document = get_object_or_404(Document.objects.visible_to(roles), pk=pk)
    version = get_object_or_404(
        DocumentVersion.objects.filter(published_at__isnull=True), pk=version_pk, document=document
    )
    form = RuleCommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_on_draft(
                version=version,
                person=roles.person,
                author=request.user,
                body=form.cleaned_data["body"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Thank you: your comment has reached the secretariat."))
            return redirect(document)
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    # Show the page again with what was written, so that nothing is lost.
    view = DocumentDetailView.as_view()
    request.method = "GET"
    response = view(request, pk=pk)
    response.context_data["comment_form"] = form
    response.context_data["comment_version_pk"] = version.pk
    return response


def _download_name(stem: str, fieldfile) -> str:
    extension = normalised_extension(fieldfile.name)
    return f"{stem}.{extension}" if extension else stem


@require_GET
def rule_file(request, pk):
    """A rule's own file: for those who see the rule once it is published; before, the
    secretariat (as on the rule's page)."""
    roles = request.roles
    document = get_object_or_404(Document.objects.visible_to(roles), pk=pk)
    if not (document.is_published or allows("chamber.publish_rules", roles)):
        raise Http404
    filename = _download_name(document.title, document.file)
    return serve_private(request, document.file, filename=filename, as_attachment=True)


@require_GET
def rule_version_file(request, pk, version_pk):
    """A version's file: a version in force for those who see the rule; a draft for the
    secretariat, and for the others once it is put out for comment (as on the rule's page)."""
    roles = request.roles
    document = get_object_or_404(Document.objects.visible_to(roles), pk=pk)
    version = get_object_or_404(document.versions, pk=version_pk)
    if version.is_draft and not allows("chamber.publish_rules", roles):
        if version.comment_state(timezone.localdate()) not in ("open", "closed"):
            raise Http404
    filename = _download_name(f"{document.title} {version.label}", version.file)
    return serve_private(request, version.file, filename=filename, as_attachment=True)


@require_POST
@rule_required("chamber.publish_rules")
def rule_version_publish(request, pk, version_pk):
    """Make a version the rule in force (the secretariat)."""
    version = get_object_or_404(
        DocumentVersion.objects.select_related("document"), pk=version_pk, document_id=pk
    )
    try:
        services.publish_version(version=version, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(version)s is now the rule in force.") % {"version": version.label},
        )
    return redirect(version.document)


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """Liveness and database check for load balancers and monitoring."""
    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        # Django closes the broken connection when the request ends (close_old_connections),
        # so the next request connects afresh once the database is back.
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
