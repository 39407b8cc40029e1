from django import forms
from django.utils.translation import gettext_lazy as _

from .models import DocumentComment


class RuleCommentForm(forms.ModelForm):
    """A member's comment on a draft rule."""

    class Meta:
        model = DocumentComment
        fields = ["body"]
        labels = {"body": _("Your comment")}
        help_texts = {
            "body": _(
                "Name the article you mean (e.g. 第五条) and what you would change. Only the "
                "secretariat, the president and the supervisors read the comments."
            )
        }
        widgets = {"body": forms.Textarea(attrs={"rows": 5, "maxlength": 2000})}
