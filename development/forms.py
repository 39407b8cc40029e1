import time

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from members.industries import place
from members.models import Company, Industry, Person, Prospect
from members.validators import normalize_credit_code, normalize_mobile

from .models import Application

STARTED_SALT = "development.join-started"
# A person needs longer than this to fill the form; a script posting at once is refused.
MIN_FILL_SECONDS = 3
MAX_FILL_SECONDS = 24 * 3600


def started_token() -> str:
    return signing.dumps(time.time(), salt=STARTED_SALT)


class JoinForm(forms.ModelForm):
    """入会申请: what a company tells the chamber when it asks to join."""

    # Typed with spaces or dashes at times: normalised, then checked as the model's fields.
    credit_code = forms.CharField(
        label=_("Unified social credit code"),
        max_length=30,
        help_text=_("18 characters, as on the business licence."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}),
    )
    contact_mobile = forms.CharField(
        label=_("Mobile"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    industry_words = forms.CharField(
        label=_("Industry"),
        max_length=50,
        help_text=_("In your own words, e.g. 物流, 汽配 or 软件开发."),
    )
    # Left empty by people (it is hidden from them); robots fill every field they find.
    website = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)
    started = forms.CharField(widget=forms.HiddenInput, max_length=200)
    consent = forms.BooleanField(
        label=_(
            "I agree that the chamber keeps these details to process this application, and "
            "only for that."
        ),
    )

    class Meta:
        model = Application
        fields = [
            "company_name",
            "credit_code",
            "industry_words",
            "address",
            "tier",
            "profile",
            "licence",
            "contact_name",
            "contact_title",
            "contact_mobile",
            "contact_email",
        ]
        widgets = {
            "profile": forms.Textarea(attrs={"rows": 4}),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "licence": forms.ClearableFileInput(
                attrs={"accept": "image/jpeg,image/png,image/webp"}
            ),
            "contact_name": forms.TextInput(attrs={"autocomplete": "name"}),
        }
        help_texts = {
            "profile": _("A few sentences: what the company does, since when, how many staff."),
            "licence": _("A photo of the business licence: JPEG, PNG or WebP, at most 5 MB."),
        }

    def __init__(self, *args, email_required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact_email"].required = email_required
        self.fields["licence"].required = True
        self.fields["tier"].choices = Company.Tier.choices
        if not self.is_bound:
            self.initial["started"] = started_token()
        if email_required:
            self.fields["contact_email"].help_text = _(
                "We email you a link to confirm the application."
            )
        else:
            self.fields["contact_mobile"].help_text = _(
                "We text a code to this number to confirm the application."
            )

    def clean_credit_code(self):
        return normalize_credit_code(self.cleaned_data["credit_code"])

    def clean_contact_mobile(self):
        return normalize_mobile(self.cleaned_data["contact_mobile"])

    def clean_company_name(self):
        return " ".join(self.cleaned_data["company_name"].split())

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise forms.ValidationError(
                _("This application could not be accepted. Please try again."), code="honeypot"
            )
        try:
            started = float(signing.loads(cleaned.get("started", ""), salt=STARTED_SALT))
        except (signing.BadSignature, TypeError, ValueError):
            started = None
        elapsed = time.time() - started if started is not None else -1
        if not MIN_FILL_SECONDS <= elapsed <= MAX_FILL_SECONDS:
            # A fresh start time, so that the person's next try counts from now.
            self.data = self.data.copy()
            self.data["started"] = started_token()
            raise forms.ValidationError(
                _(
                    "This form was sent too quickly, or was open for more than a day. "
                    "Check what you typed and send it again."
                ),
                code="timing",
            )
        words = cleaned.get("industry_words", "")
        if words:
            self.instance.industry = place(words) or Industry.OTHER
            self.instance.industry_text = words.strip()[:50]
        return cleaned


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the text message"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]*"}
        ),
    )


class ProspectForm(forms.ModelForm):
    """The group's own fields of a prospect: who follows it, where it stands, what comes next."""

    class Meta:
        model = Prospect
        fields = [
            "company_name",
            "source",
            "stage",
            "owner",
            "contact",
            "next_step",
            "next_step_on",
        ]
        widgets = {"next_step_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners if owners is not None else Person.objects.none()
        # Joining goes through the recorded decision, never through this form.
        self.fields["stage"].choices = [
            (value, label)
            for value, label in Prospect.Stage.choices
            if value != Prospect.Stage.JOINED or self.instance.stage == Prospect.Stage.JOINED
        ]
        if self.instance.pk and hasattr(self.instance, "application"):
            del self.fields["company_name"]


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Add a note"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class DecisionForm(forms.Form):
    """The executive committee's decision, as the secretariat records it."""

    decision = forms.ChoiceField(
        label=_("Decision of the executive committee"),
        choices=[
            (Application.Status.APPROVED, _("Approved")),
            (Application.Status.DECLINED, _("Not approved")),
        ],
        widget=forms.RadioSelect,
    )
    decided_on = forms.DateField(
        label=_("Date of the meeting"), widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(
        label=_("Notes on the decision"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
