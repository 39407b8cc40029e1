"""The forms a member keeps their company's record with, from /me/."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MOBILE_TAKEN, Company, CompanyChangeRequest, Person
from .validators import normalize_credit_code, normalize_mobile


class CompanyProfileForm(forms.ModelForm):
    """What a member changes directly: what the directory shows of the company."""

    class Meta:
        model = Company
        fields = ["profile", "address", "logo"]
        widgets = {"profile": forms.Textarea(attrs={"rows": 5})}


class ColleagueForm(forms.ModelForm):
    """A colleague on the company's record: name, job title, mobile, email."""

    mobile = forms.CharField(
        label=_("Mobile"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )

    class Meta:
        model = Person
        fields = ["name", "title", "mobile", "email"]

    def clean_mobile(self):
        """A mobile logs in one account (as in the admin's person form): refuse one that
        another person with an account has already."""
        mobile = normalize_mobile(self.cleaned_data["mobile"])
        person = self.instance
        if mobile and mobile != person.mobile:
            person.mobile = mobile
            if person.mobile_taken():
                raise forms.ValidationError(MOBILE_TAKEN, params={"mobile": mobile})
        return mobile


class ChangeRequestForm(forms.ModelForm):
    """A request to change the register's facts; empty fields stay as they are."""

    credit_code = forms.CharField(
        label=_("New unified social credit code"), max_length=30, required=False
    )

    class Meta:
        model = CompanyChangeRequest
        fields = ["name", "credit_code", "tier", "status", "reason"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"reason": _("E.g. the new business licence was issued on 1 March.")}

    def __init__(self, *args, company: Company, **kwargs):
        super().__init__(*args, **kwargs)
        self.company = company
        self.instance.company = company
        self.fields["tier"].choices = [("", _("Unchanged")), *Company.Tier.choices]
        self.fields["status"].choices = [("", _("Unchanged")), *Company.Status.choices]

    def clean_credit_code(self):
        return normalize_credit_code(self.cleaned_data["credit_code"])

    def clean(self):
        cleaned = super().clean()
        for name in CompanyChangeRequest.FACTS:
            if cleaned.get(name) and cleaned[name] == getattr(self.company, name):
                cleaned[name] = ""  # the same as registered: no change
                setattr(self.instance, name, "")
        if not any(cleaned.get(name) for name in CompanyChangeRequest.FACTS):
            raise forms.ValidationError(
                _("Say what should change: at least one of name, credit code, tier or status."),
                code="nothing",
            )
        return cleaned
