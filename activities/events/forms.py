"""The calendar's filters, and the forms at the event's door."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import Person

from ..models import Event, Registration
from .guest_passes import registration_for_guest_pass
from .services import registration_for_pass


def parse_month(value: str | None) -> datetime.date | None:
    """``2026-11`` as the first day of that month; None if it is not a month."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        if 1900 <= year <= 2999:
            return datetime.date(year, month, 1)
    except ValueError:
        pass
    return None


class CalendarFilterForm(forms.Form):
    month = forms.CharField(required=False)
    type = forms.MultipleChoiceField(
        label=_("Types"),
        choices=Event.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean_month(self):
        value = self.cleaned_data["month"]
        if not value:
            return timezone.localdate().replace(day=1)
        month = parse_month(value)
        if month is None:
            raise forms.ValidationError(
                _("Give the month as year and month, e.g. 2026-11."), code="invalid"
            )
        return month


class AttendanceForm(forms.Form):
    """A tick on the attendance list: one of the event's sign-ups, present or not."""

    registration = forms.ModelChoiceField(queryset=Registration.objects.none())
    present = forms.TypedChoiceField(
        choices=[("1", "1"), ("0", "0")], coerce=lambda value: value == "1"
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["registration"].queryset = Registration.objects.active().filter(event=event)
        self.fields["registration"].error_messages["invalid_choice"] = _(
            "That sign-up is not on this event's list."
        )


class PassForm(forms.Form):
    """At the door: the address a person's pass scans to, or the code under it."""

    code = forms.CharField(
        label=_("Scanned pass or code"),
        max_length=300,
        help_text=_("Scan the person's pass, or type the code printed under it."),
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event

    def clean_code(self):
        code = self.cleaned_data["code"]
        # A member's pass, or the code a guest was sent (they have no account to show one).
        registration = registration_for_pass(code) or registration_for_guest_pass(code)
        if registration is None:
            raise forms.ValidationError(
                _("This is not a valid pass, or its sign-up was cancelled."), code="invalid"
            )
        if registration.event_id != self.event.pk:
            raise forms.ValidationError(
                _("This pass is for another event: %(event)s."),
                code="other_event",
                params={"event": registration.event},
            )
        return registration


class WalkInForm(forms.Form):
    """At the door: someone who came without a place, chosen from the roster."""

    person = forms.ModelChoiceField(queryset=Person.objects.all())


class CompanySignUpForm(forms.Form):
    """A colleague from the company's people, or a guest by name and mobile."""

    colleague = forms.ModelChoiceField(
        label=_("A colleague"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("— a guest, below —"),
    )
    guest_name = forms.CharField(label=_("Guest's name"), max_length=50, required=False)
    guest_mobile = forms.CharField(
        label=_("Guest's mobile"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )

    def __init__(self, *args, event, company, **kwargs):
        super().__init__(*args, **kwargs)
        signed_up = Registration.objects.active().filter(event=event).values("person")
        self.fields["colleague"].queryset = (
            Person.objects.current()
            .filter(company=company)
            .exclude(pk__in=signed_up)
            .order_by("name")
        )
