from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Company, Industry, Tag


class CompanyFilterForm(forms.Form):
    """Search and filters of the member directory."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.SearchInput(attrs={"placeholder": _("Name or pinyin initials, e.g. shj")}),
    )
    industry = forms.ChoiceField(
        label=_("Industry"), required=False, choices=[("", _("All industries")), *Industry.choices]
    )
    tier = forms.ChoiceField(
        label=_("Tier"), required=False, choices=[("", _("All tiers")), *Company.Tier.choices]
    )
    tag = forms.ModelChoiceField(
        label=_("Tag"), required=False, queryset=Tag.objects.all(), empty_label=_("All tags")
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *Company.Status.choices],
    )

    def __init__(self, *args, show_status: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not show_status:
            del self.fields["status"]
