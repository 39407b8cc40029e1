"""At the event's door: a person's check-in (door code and pass), the staff's door page and
attendance list. Checking in means being there (README, "Check-in at events")."""

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from core.limits import hit
from core.rules import RuleRequiredMixin, allows, require
from members.models import Person

from ..models import Registration
from . import services
from .forms import AttendanceForm, PassForm, WalkInForm
from .views import _say, _visible_event_or_404, check_in_qr_svg

Status = Registration.Status

# Check-in attempts (count, seconds): a person at the door code or on their pass, and staff
# at the desk, each counted apart.
CHECK_IN_LIMIT = ("self", 20, 300)
DESK_LIMIT = ("desk", 300, 300)


def _too_many(request, limit) -> HttpResponse | None:
    scope, count, period = limit
    if hit(f"check-in:{scope}:{request.user.pk}", count, period):
        return None
    return HttpResponse(
        _("Too many check-in attempts: wait a few minutes and try again."),
        status=429,
        content_type="text/plain; charset=utf-8",
    )


class EventCheckInView(TemplateView):
    """What a member's phone opens on scanning the door code shown at the venue: one button
    to check in, for people with a confirmed place, while check-in is open."""

    template_name = "activities/events/check_in.html"

    def dispatch(self, request, *args, **kwargs):
        refused = _too_many(request, CHECK_IN_LIMIT)
        if refused:
            return refused
        self.event = _visible_event_or_404(request, kwargs["pk"])
        if kwargs["code"] != self.event.check_in_code:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        context.update(
            event=self.event,
            mine=services.active_registration(self.event, self.request.roles.person),
            check_in_open=self.event.check_in_is_open(now),
            too_early=now < self.event.check_in_opens_at,
            has_person=self.request.roles.person is not None,
        )
        return context

    def post(self, request, *args, **kwargs):
        try:
            registration = services.check_in(event=self.event, person=request.roles.person)
        except services.SignUpError as error:
            _say(request, error)
            return redirect(request.path)
        messages.success(
            request,
            _("Checked in at %(time)s. Welcome!")
            % {"time": timezone.localtime(registration.checked_in_at).strftime("%H:%M")},
        )
        return redirect(self.event)


class EventAttendanceView(RuleRequiredMixin, TemplateView):
    """The attendance list to tick on a phone at the door: the secretariat ticks, the
    president and supervisors look."""

    template_name = "activities/events/attendance.html"
    rule = "activities.see_attendance"

    def dispatch(self, request, *args, **kwargs):
        require(self.rule, request.roles)
        self.event = _visible_event_or_404(request, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        registrations = list(
            Registration.objects.active()
            .filter(event=self.event)
            .select_related("person__company")
            .order_by("status", "person__company__name_pinyin", "person__name", "pk")
        )
        registered = [r for r in registrations if r.status == Status.REGISTERED]
        context.update(
            event=self.event,
            registered=registered,
            waiting=[r for r in registrations if r.status == Status.WAITLISTED],
            attended=sum(1 for r in registered if r.checked_in_at),
            can_tick=allows("activities.manage_events", self.request.roles)
            and timezone.now() >= self.event.check_in_opens_at,
            manages=allows("activities.manage_events", self.request.roles),
        )
        return context

    def post(self, request, *args, **kwargs):
        require("activities.manage_events", request.roles)
        form = AttendanceForm(request.POST, event=self.event)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect(request.path)
        registration = form.cleaned_data["registration"]
        try:
            services.mark_attendance(
                registration=registration,
                present=form.cleaned_data["present"],
                acting_user=request.user,
            )
        except services.SignUpError as error:
            _say(request, error)
        return redirect(f"{request.path}#registration-{registration.pk}")


class EventDoorView(TemplateView):
    """The staff's page at the door: scan (or type) a person's pass, find someone who came
    without a place and check them in."""

    template_name = "activities/events/door.html"
    WALK_IN_RESULTS = 20

    def dispatch(self, request, *args, **kwargs):
        require("activities.manage_events", request.roles)
        self.event = _visible_event_or_404(request, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # PostgreSQL refuses a NUL in a string: typed junk finds nobody rather than a 500.
        query = self.request.GET.get("q", "").replace("\x00", "").strip()[:50]
        found = []
        if query:
            people = (
                Person.objects.filter(Q(name__icontains=query) | Q(company__name__icontains=query))
                .select_related("company")
                .order_by("name", "pk")[: self.WALK_IN_RESULTS]
            )
            theirs = {
                registration.person_id: registration
                for registration in Registration.objects.active().filter(
                    event=self.event, person__in=people
                )
            }
            found = [(person, theirs.get(person.pk)) for person in people]
        context.update(
            event=self.event,
            pass_form=kwargs.get("pass_form") or PassForm(event=self.event),
            query=query,
            found=found,
            check_in_open=self.event.check_in_is_open(),
            attended=Registration.objects.attended().filter(event=self.event).count(),
        )
        return context

    def post(self, request, *args, **kwargs):
        refused = _too_many(request, DESK_LIMIT)
        if refused:
            return refused
        if "person" in request.POST:
            form = WalkInForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Choose the person from the list."))
                return redirect(request.path)
            person = form.cleaned_data["person"]
            try:
                services.walk_in(event=self.event, person=person, acting_user=request.user)
            except services.SignUpError as error:
                _say(request, error)
            else:
                messages.success(request, _("%(name)s is checked in.") % {"name": person.name})
            return redirect(request.path)
        form = PassForm(request.POST, event=self.event)
        if form.is_valid():
            registration = form.cleaned_data["code"]
            return redirect("activities:event_pass", services.pass_token(registration))
        return self.render_to_response(self.get_context_data(pass_form=form))


class EventPassView(TemplateView):
    """A person's pass. Staff who scan it get the person's name and one button to check them
    in; the person themselves gets the QR code to show; anyone else a 404."""

    template_name = "activities/events/pass.html"

    def dispatch(self, request, *args, **kwargs):
        refused = _too_many(
            request,
            DESK_LIMIT if allows("activities.manage_events", request.roles) else CHECK_IN_LIMIT,
        )
        if refused:
            return refused
        self.registration = services.registration_for_pass(kwargs["token"])
        if self.registration is None:
            raise Http404
        self.is_staff = allows("activities.manage_events", request.roles)
        if not self.is_staff and self.registration.person_id != getattr(
            request.roles.person, "pk", None
        ):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        registration, now = self.registration, timezone.now()
        context.update(
            registration=registration,
            event=registration.event,
            is_staff=self.is_staff,
            can_check_in=self.is_staff
            and not registration.checked_in_at
            and now >= registration.event.check_in_opens_at,
            too_early=now < registration.event.check_in_opens_at,
        )
        if not self.is_staff:
            url = services.pass_url(registration, self.request)
            context["pass_qr_svg"] = check_in_qr_svg(url, title=_("My check-in pass"))
        return context

    def post(self, request, *args, **kwargs):
        require("activities.manage_events", request.roles)
        registration = self.registration
        try:
            services.mark_attendance(
                registration=registration, present=True, acting_user=request.user
            )
        except services.SignUpError as error:
            _say(request, error)
            return redirect(request.path)
        messages.success(request, _("%(name)s is checked in.") % {"name": registration.person.name})
        return redirect("activities:event_door", registration.event_id)
