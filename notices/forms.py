from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django_prose_editor.widgets import AdminProseEditorWidget

from core.images import ValidatedImageFormField

from .models import Notice, NoticeAttachment, Spotlight


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        max_length=100,
        required=False,
        widget=forms.SearchInput(
            attrs={"placeholder": _("Companies, events, notices, rules, journal…")}
        ),
    )


class JournalSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search the journal"),
        max_length=100,
        required=False,
        widget=forms.SearchInput(attrs={"placeholder": _("Title or company, e.g. 虹泾 or hj")}),
    )


# The editor offers what notices.html keeps, and nothing it would strip on saving.
EDITOR_CONFIG = {
    "extensions": {
        "Bold": True,
        "Italic": True,
        "Underline": True,
        "Heading": {"levels": [2, 3, 4]},
        "BulletList": True,
        "OrderedList": True,
        "ListItem": True,
        "Blockquote": True,
        "HardBreak": True,
        "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto", "tel"]},
        "Image": True,
        "Figure": True,
        "Caption": True,
        "Table": True,
        "TableRow": True,
        "TableHeader": True,
        "TableCell": True,
        "History": True,
        "HTML": True,
    }
}
EDITOR_HELP = _(
    "Write as in a word processor: paragraphs, headings, bold, lists, links, tables. Insert a "
    "picture with 上传图片 (JPEG, PNG or WebP, at most 5 MB). The text is cleaned when it is "
    "saved: scripts, styles and pictures from other sites are removed."
)


class EditorWidget(AdminProseEditorWidget):
    """The editor of notices and spotlights, with the 上传图片 button of
    js/editor-images.js, which sends pictures to ``upload_url``."""

    def __init__(self, *args, upload_url: str = "", **kwargs):
        kwargs.setdefault("config", EDITOR_CONFIG)
        kwargs.setdefault("preset", "configurable")
        super().__init__(*args, **kwargs)
        self.upload_url = upload_url

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if self.upload_url:
            context["widget"]["attrs"]["data-image-upload-url"] = str(self.upload_url)
        return context


def editor_widget():
    return EditorWidget(upload_url=reverse_lazy("admin:notices_editor_image_upload"))


class EditorImageForm(forms.Form):
    """A picture uploaded from the editor: checked and scaled down by ``core.images``."""

    image = ValidatedImageFormField(
        label=_("picture"),
        max_side=1600,
        error_messages={"required": _("Choose a picture to upload.")},
    )


class NoticeAdminForm(forms.ModelForm):
    class Meta:
        model = Notice
        fields = ["title", "body", "audience", "group", "is_pinned", "publish_at", "expires_at"]
        widgets = {"body": editor_widget()}
        help_texts = {"body": EDITOR_HELP}

    class Media:
        js = ["js/prose-editor-zh.js", "js/editor-images.js"]

    def clean(self):
        cleaned = super().clean()
        audience = cleaned.get("audience")
        group = cleaned.get("group")
        if audience == Notice.Audience.GROUP and group is None:
            self.add_error("group", _("Choose the working group this notice is for."))
        elif audience != Notice.Audience.GROUP and group is not None:
            self.add_error(
                "group", _("A working group is chosen only for a notice to a working group.")
            )
        publish_at, expires_at = cleaned.get("publish_at"), cleaned.get("expires_at")
        if publish_at and expires_at and expires_at <= publish_at:
            self.add_error("expires_at", _("A notice must expire after it is published."))
        return cleaned


class AttachmentInlineForm(forms.ModelForm):
    class Meta:
        model = NoticeAttachment
        fields = ["file", "name", "order"]

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload and not cleaned.get("name") and hasattr(upload, "content_type"):
            # A fresh upload: keep the name it had on the sender's computer for readers.
            cleaned["name"] = upload.name.rsplit("/", 1)[-1][:200]
            self.instance.name = cleaned["name"]
        return cleaned


class SpotlightAdminForm(forms.ModelForm):
    class Meta:
        model = Spotlight
        fields = [
            "company",
            "title",
            "summary",
            "story",
            "published_on",
            "journal_issue",
            "is_published",
        ]
        widgets = {"story": editor_widget()}
        help_texts = {"story": EDITOR_HELP}

    class Media:
        js = ["js/prose-editor-zh.js", "js/editor-images.js"]
