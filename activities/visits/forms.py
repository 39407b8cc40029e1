import io
import zipfile
from pathlib import PurePosixPath

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from chamber.models import Position, Term
from core.images import process_image
from members.models import Company, Person

from ..models import Assignment, Problem, Proposal, VisitPhoto, leaders_in_term

MAX_PHOTOS = 9
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024


def apply_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its fields where the form has them."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def today_input() -> DateInput:
    return DateInput(attrs={"max": timezone.localdate().isoformat()})


# --- Files --------------------------------------------------------------------------------


photos_help_text = lazy(
    lambda: (
        _("JPEG, PNG or WebP, up to %(count)s photos of at most 5 MB each.") % {"count": MAX_PHOTOS}
    ),
    str,
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.Field):
    """Several photos at once, each checked and scaled down like a logo (but larger)."""

    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", photos_help_text())
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("accept", "image/jpeg,image/png,image/webp")

    def clean(self, value):
        """A list of (name, processed file or ValidationError): the form decides what to keep."""
        uploads = [upload for upload in (value or []) if upload]
        if len(uploads) > MAX_PHOTOS:  # Refused before any is decoded.
            raise ValidationError(
                _("At most %(count)s photos at a time."), params={"count": MAX_PHOTOS}
            )
        results = []
        for upload in uploads:
            try:
                results.append((upload.name, process_image(upload, max_side=VisitPhoto.MAX_SIDE)))
            except ValidationError as error:
                results.append((upload.name, error))
        return results


class AttachmentField(forms.FileField):
    """A file a company sends with its problem: PDF, Word, Excel or an image, at most 10 MB.

    The type is read from the file's first bytes, not its name; images are re-encoded (which
    also drops their location data).
    """

    EXTENSIONS = {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".jpg", ".jpeg", ".png", ".webp"}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("Optional: PDF, Word, Excel or a photo, at most 10 MB."))
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("accept", ",".join(sorted(self.EXTENSIONS)))

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is None:
            return None
        refused = ValidationError(
            _("Attach a PDF, Word or Excel file or a photo (JPEG, PNG or WebP)."),
            code="attachment_type",
        )
        if upload.size > ATTACHMENT_MAX_BYTES:
            raise ValidationError(
                _("The file is %(size)s; the limit is %(limit)s."),
                code="attachment_too_large",
                params={
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(ATTACHMENT_MAX_BYTES),
                },
            )
        suffix = PurePosixPath(upload.name).suffix.lower()
        if suffix not in self.EXTENSIONS:
            raise refused
        upload.seek(0)
        head = upload.read(8)
        upload.seek(0)
        if suffix in {".jpg", ".jpeg", ".png", ".webp"}:
            return process_image(upload, max_side=2400)
        if suffix == ".pdf" and head.startswith(b"%PDF-"):
            return upload
        if suffix in {".doc", ".xls"} and head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
            return upload
        if suffix in {".docx", ".xlsx"} and head.startswith(b"PK\x03\x04"):
            folder = "word/" if suffix == ".docx" else "xl/"
            try:
                with zipfile.ZipFile(io.BytesIO(upload.read())) as archive:
                    names = archive.namelist()
            except zipfile.BadZipFile:
                raise refused from None
            finally:
                upload.seek(0)
            if any(name.startswith(folder) for name in names):
                return upload
        raise refused


# --- Visits -------------------------------------------------------------------------------


class GroupedCompanyField(forms.ChoiceField):
    """A member company, with the leader's own companies in a group of their own at the top."""

    def __init__(self, *args, **kwargs):
        self.companies = {}
        super().__init__(*args, **kwargs)

    def set_companies(self, companies, assigned_ids):
        self.companies = {str(company.pk): company for company in companies}
        mine = [(str(c.pk), c.name) for c in companies if c.pk in assigned_ids]
        others = [(str(c.pk), c.name) for c in companies if c.pk not in assigned_ids]
        choices = [("", _("Choose a company"))]
        if mine:
            choices += [
                (_("Companies I am responsible for"), mine),
                (_("Other member companies"), others),
            ]
        else:
            choices += others
        self.choices = choices

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return None
        return self.companies[value]


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A multiple choice of records whose ids a posted form may make up: an id too large for
    the database's integer (SQLite raises OverflowError on ``pk__in``) is not a choice."""

    def _check_values(self, value):
        try:
            return super()._check_values(value)
        except OverflowError:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": ""}
            ) from None


class VisitForm(forms.Form):
    """A visit: where, when, who came, what was said, photos. The problems heard come in a
    formset beside it."""

    leader = forms.ModelChoiceField(
        label=_("Leadership member"),
        queryset=Person.objects.none(),
        help_text=_("The leadership member who made the visit."),
    )
    company = GroupedCompanyField(label=_("Company visited"))
    visited_on = forms.DateField(label=_("Date of the visit"), widget=DateInput)
    companions = BoundedModelMultipleChoiceField(
        label=_("Fellow leaders who came along"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    with_economic_office = forms.BooleanField(
        label=_("Economic development office (经发办)"), required=False
    )
    with_community_centre = forms.BooleanField(
        label=_("Community affairs service centre (社区事务受理中心)"), required=False
    )
    other_partners = forms.CharField(
        label=_("Other offices"),
        required=False,
        max_length=200,
        help_text=_("E.g. 镇人社所; separate several with 、"),
    )
    summary = forms.CharField(
        label=_("Summary"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Whom you met, what the company is doing, what it needs."),
    )
    photos = PhotosField(label=_("Photos"))

    def __init__(self, *args, roles, visit=None, today=None, **kwargs):
        self.roles = roles
        self.visit = visit
        today = self.today = today or timezone.localdate()
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("visited_on", today)
        super().__init__(*args, **kwargs)
        self.good_photos = []
        self.fields["visited_on"].widget = DateInput(attrs={"max": today.isoformat()})
        term = Term.objects.current(today)
        leaders = list(leaders_in_term(term).order_by("name"))
        if visit is not None:
            leader = visit.leader
            del self.fields["leader"]
        elif roles.is_leader:
            leader = roles.person
            del self.fields["leader"]
        else:
            # The secretariat logs a visit for a leader.
            leader = None
            self.fields["leader"].queryset = leaders_in_term(term).order_by("name")
            self.fields["leader"].label_from_instance = lambda person: person.name
        self.visit_leader = leader
        self.fields["companions"].queryset = leaders_in_term(term).order_by("name")
        self.fields["companions"].choices = [
            (person.pk, person.name) for person in leaders if leader is None or person != leader
        ]
        companies = list(
            Company.objects.active().only("name", "name_pinyin").order_by("name_pinyin")
        )
        if visit is not None and visit.company not in companies:
            companies.insert(0, visit.company)
        assigned = set()
        if leader is not None and term is not None:
            assigned = set(
                Assignment.objects.filter(term=term, leader=leader).values_list(
                    "company_id", flat=True
                )
            )
        self.fields["company"].set_companies(companies, assigned)

    def clean_visited_on(self):
        visited_on = self.cleaned_data["visited_on"]
        if visited_on > self.today:
            raise ValidationError(_("The date of a visit cannot be in the future."))
        return visited_on

    def clean_photos(self):
        results = self.cleaned_data.get("photos") or []
        errors = []
        self.good_photos = []
        for name, result in results:
            if isinstance(result, ValidationError):
                errors += [
                    _("Photo %(name)s: %(reason)s") % {"name": name, "reason": message}
                    for message in result.messages
                ]
            else:
                self.good_photos.append(result)
        if errors:
            raise ValidationError(errors)
        if len(self.good_photos) > MAX_PHOTOS:
            raise ValidationError(
                _("At most %(count)s photos at a time."), params={"count": MAX_PHOTOS}
            )
        return self.good_photos

    def clean(self):
        data = super().clean()
        if self.visit_leader is None:
            self.visit_leader = data.get("leader")
        return data

    def partner_data(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in ("with_economic_office", "with_community_centre", "other_partners")
        }


class ProblemDraftForm(forms.Form):
    """A problem heard on the visit; a row left empty is no problem."""

    category = forms.ChoiceField(
        label=_("Category"),
        choices=[("", _("Choose a category")), *Problem.Category.choices],
        required=False,
    )
    description = forms.CharField(
        label=_("What the company needs"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        data = super().clean()
        if data.get("description", "").strip() and not data.get("category"):
            self.add_error("category", _("Choose a category for this problem."))
        if data.get("category") and not data.get("description", "").strip():
            self.add_error("description", _("Describe the problem, or clear its category."))
        return data


ProblemFormSet = forms.formset_factory(
    ProblemDraftForm, extra=3, max_num=20, validate_max=True, absolute_max=40
)


# --- Problems -----------------------------------------------------------------------------


class ProblemRaiseForm(forms.Form):
    """企业诉求直通车: a member company raises a problem itself."""

    category = forms.ChoiceField(
        label=_("Category"), choices=[("", _("Choose a category")), *Problem.Category.choices]
    )
    description = forms.CharField(
        label=_("What do you need?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The more concrete, the faster it can be taken up."),
    )
    attachment = AttachmentField(label=_("Attachment"))


class StartForm(forms.Form):
    action = "start"
    to_status = Problem.Status.IN_PROGRESS
    note = forms.CharField(
        label=_("Note for the company (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SolveForm(forms.Form):
    action = "solve"
    to_status = Problem.Status.SOLVED
    resolution = forms.CharField(
        label=_("How it was solved"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The company reads this when it confirms."),
    )
    resolved_on = forms.DateField(label=_("Solved on"), widget=DateInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("resolved_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["resolved_on"].widget = today_input()


class DeclineForm(forms.Form):
    action = "decline"
    to_status = Problem.Status.DECLINED
    decline_reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The company reads this."),
    )


class LinkProposalForm(forms.Form):
    action = "link_proposal"
    to_status = Problem.Status.PROPOSAL
    proposal = forms.ModelChoiceField(label=_("Proposal"), queryset=Proposal.objects.none())

    def __init__(self, *args, proposals=None, **kwargs):
        super().__init__(*args, **kwargs)
        if proposals is not None:
            self.fields["proposal"].queryset = proposals


class ReopenForm(forms.Form):
    action = "reopen"
    to_status = Problem.Status.IN_PROGRESS
    note = forms.CharField(label=_("Why reopen it"), widget=forms.Textarea(attrs={"rows": 2}))


class NoteForm(forms.Form):
    action = "note"
    to_status = None
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}))
    is_internal = forms.BooleanField(
        label=_("Internal: not shown to the company"), required=False, initial=True
    )


class AssignForm(forms.Form):
    action = "assign"
    to_status = None
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=Person.objects.none())
    due_on = forms.DateField(label=_("Due by"), widget=DateInput)
    note = forms.CharField(label=_("Note (internal)"), required=False)

    def __init__(self, *args, problem=None, **kwargs):
        if problem is not None:
            kwargs.setdefault("initial", {}).update(owner=problem.owner_id, due_on=problem.due_on)
        super().__init__(*args, **kwargs)
        term = Term.objects.current()
        owners = Position.objects.filter(
            term=term,
            title__in=[*Position.LEADERSHIP_TITLES, Position.Title.SECRETARY_GENERAL],
        ).values("person_id")
        self.fields["owner"].queryset = Person.objects.filter(pk__in=owners).order_by("name")
        self.fields["owner"].label_from_instance = lambda person: person.name


PROBLEM_ACTIONS = {
    form.action: form
    for form in (StartForm, SolveForm, DeclineForm, LinkProposalForm, ReopenForm, NoteForm)
}
PROBLEM_ACTIONS[AssignForm.action] = AssignForm


class ConfirmForm(forms.Form):
    """The company confirms a solved problem (销号)."""

    satisfaction = forms.ChoiceField(
        label=_("How satisfied are you with the solution?"),
        choices=Problem.Satisfaction.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("If you are not satisfied, say what is still missing: it is reopened."),
    )


class ProblemFilterForm(forms.Form):
    """The ledger's filters."""

    UNSETTLED = "unsettled"
    AWAITING = "awaiting"

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("All statuses")),
            (UNSETTLED, _("Unsettled (to do and in progress)")),
            *Problem.Status.choices,
            (AWAITING, _("Solved, awaiting the company's confirmation")),
        ],
    )
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=[("", _("All categories")), *Problem.Category.choices],
    )
    owner = forms.ModelChoiceField(
        label=_("Owner"), required=False, queryset=Person.objects.none(), empty_label=_("Anyone")
    )
    company = forms.CharField(
        label=_("Company"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("Name or pinyin initials")}),
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        if owners is not None:
            self.fields["owner"].queryset = owners
        self.fields["owner"].label_from_instance = lambda person: person.name


# --- Proposals ----------------------------------------------------------------------------


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Proposal.Kind.choices)
    session = forms.CharField(
        label=_("Session"), max_length=100, help_text=_("E.g. 青浦区政协十五届三次会议")
    )
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 10}))
    status = forms.ChoiceField(label=_("Status"), choices=Proposal.Status.choices)
    submitted_on = forms.DateField(
        label=_("Submitted on"),
        required=False,
        widget=DateInput,
        help_text=_("Today if left empty once it is submitted."),
    )
    response = forms.CharField(
        label=_("Response received"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    problems = BoundedModelMultipleChoiceField(
        label=_("Problems it takes up"),
        queryset=Problem.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, problems=None, carrier=None, creating=True, **kwargs):
        super().__init__(*args, **kwargs)
        if creating:
            del self.fields["response"]
            self.fields["problems"].queryset = problems
            self.fields["problems"].label_from_instance = lambda problem: (
                f"{problem.company.name} · {problem.get_category_display()} · "
                f"{problem.description[:60]}"
            )
        else:
            del self.fields["problems"]
        if carrier is not None and creating:
            if carrier.is_npc_deputy and not carrier.is_cppcc_member:
                self.fields["kind"].initial = Proposal.Kind.MOTION


def problems_as_text(problems) -> str:
    """A first draft of a proposal's text from the problems it takes up."""
    lines = []
    for number, problem in enumerate(problems, start=1):
        lines.append(
            f"{number}. {problem.company.name}（{problem.get_category_display()}）："
            f"{problem.description}"
        )
    return "\n".join(lines)
