import itertools

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.db.models import Case, Count, Prefetch, Value, When
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import DetailView, ListView, TemplateView

from members.models import Company
from members.sections import sections_for

from .models import Document, GroupMembership, Honor, Position, Term, WorkingGroup

MEMBERSHIP_ROLE_ORDER = Case(
    When(role=GroupMembership.Role.LEAD, then=Value(0)),
    When(role=GroupMembership.Role.DEPUTY, then=Value(1)),
    default=Value(2),
)


def home(request):
    """The home page for the user's role."""
    roles = request.roles
    term = Term.objects.current()
    context = {"term": term}
    if roles.sees_everything:
        status_counts = dict(
            Company.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
        )
        context["company_counts"] = [
            (label, status_counts.get(value, 0)) for value, label in Company.Status.choices
        ]
        context["leader_count"] = (
            Position.objects.filter(term=term, title__in=Position.LEADERSHIP_TITLES).count()
            if term
            else 0
        )
        context["recent_companies"] = Company.objects.order_by("-created_at")[:5]
    if roles.person is not None and term is not None:
        context["my_positions"] = [
            Position(title=title, term=term).get_title_display()
            for title in sorted(roles.titles, key=lambda t: Position.TITLE_RANK.get(t, 99))
        ]
    context["honors"] = Honor.objects.filter(company__isnull=True)[:6]
    context["rules"] = Document.objects.published().only("title", "kind", "effective_on")[:8]
    context["sections"] = sections_for("home", request)
    return render(request, "chamber/home.html", context)


class LeadershipView(TemplateView):
    """The current term's org chart and the working groups, for everyone logged in."""

    template_name = "chamber/leadership.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        term = Term.objects.current()
        positions = []
        groups = []
        if term is not None:
            positions = sorted(
                Position.objects.filter(term=term).select_related("person__company"),
                key=lambda p: (Position.TITLE_RANK.get(p.title, 99), p.order, p.person.name),
            )
            groups = WorkingGroup.objects.prefetch_related(
                Prefetch(
                    "memberships",
                    queryset=GroupMembership.objects.filter(term=term)
                    .select_related("person__company")
                    # 组长 first, then 副组长, then members (the role values do not sort that way).
                    .order_by(MEMBERSHIP_ROLE_ORDER, "person__name"),
                    to_attr="term_memberships",
                )
            )
        by_title = [
            (Position.Title(title).label, list(seats))
            for title, seats in itertools.groupby(positions, key=lambda p: p.title)
        ]
        context.update(term=term, seats_by_title=by_title, groups=groups)
        return context


class DocumentListView(ListView):
    """The published rules (章程 and 制度)."""

    def get_queryset(self):
        return Document.objects.published().defer("body")


class DocumentDetailView(DetailView):
    def get_queryset(self):
        if self.request.roles.is_secretariat:
            return Document.objects.all()
        return Document.objects.published()


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
