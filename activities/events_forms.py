"""The calendar's filters."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Event


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
