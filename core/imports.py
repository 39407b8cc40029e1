"""The admin side of the all-or-nothing xlsx imports every app offers (companies, assignments,
events, donations): the page that lists the columns and every problem by its row, and the
workbook reader that remembers a file's rows between the check and the confirm."""

import hashlib
import os
import re
import tempfile

from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.response import TemplateResponse
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _

from core.limits import LimitedXLSX, XlsxRefused
from core.templates_xlsx import ImportTemplateMixin
from core.workbooks import sheets_dataset


class RememberedXLSX(LimitedXLSX):
    """xlsx whose rows, once read, are kept a while in the cache: the import's confirm step
    reads again the very file its check read a minute before, and reading a workbook of
    10,000 rows takes seconds. The key is the file's SHA-256, so a changed file is read."""

    timeout = 30 * 60

    def create_dataset(self, in_stream):
        key = f"core:xlsx-sheets:{hashlib.sha256(in_stream).hexdigest()}"
        remembered = cache.get(key)
        if remembered is None:
            remembered = self.read_sheets(in_stream)
            cache.set(key, remembered, self.timeout)
        return sheets_dataset(*remembered)


class AllOrNothingImportMixin(ImportTemplateMixin):
    """The admin's all-or-nothing xlsx imports (companies, people, assignments, events,
    donations), each with its template to fill in (core.templates_xlsx).

    The page (``admin/import_all_or_nothing.html``) lists the columns, and after a check every
    problem by its row; a file that cannot be read says how to save it, and a file that fails
    at confirm (the data changed since the check) changes nothing and is shown again with its
    problems. The columns and the problems are the resource's (a
    ``core.spreadsheets.SpreadsheetResource``); an admin sets the two sentences that say what
    stays as it is, in ``import_rows_problem`` (with ``%(count)s``) and ``import_file_problem``.
    """

    import_rows_problem = ""
    import_file_problem = ""

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None)
        if context is not None:
            context.update(self.import_page_context(context.get("result")))
            context.update(self.reading_context(context.get("form")))
        return response

    # Reading the workbook: which sheet ----------------------------------------------------

    def get_import_data_kwargs(self, **kwargs):
        """The sheet the secretary picked on the check page, carried on to the confirm."""
        request = kwargs.get("request")
        kwargs = super().get_import_data_kwargs(**kwargs)
        if request is not None:
            kwargs["sheet"] = request.POST.get("sheet", "")
        return kwargs

    def get_import_form_kwargs(self, request):
        """Reading another sheet of the file just checked takes the stored file again
        rather than asking for it anew."""
        kwargs = super().get_import_form_kwargs(request)
        stored = self.stored_upload(request)
        if stored is not None:
            kwargs["files"] = MultiValueDict({"import_file": [stored]})
        return kwargs

    def stored_upload(self, request):
        """The file a check stored (``stored_file``: its temporary name), as an upload; None
        unless the post names one and uploads none."""
        name = request.POST.get("stored_file", "") if request.method == "POST" else ""
        directory, base = os.path.split(name)
        if request.FILES or not re.fullmatch(r"\w+", base):
            return None
        if directory not in ("", tempfile.gettempdir()):
            return None
        storage = self.get_tmp_storage_class()(
            name=name, read_mode="rb", **self.get_tmp_storage_class_kwargs()
        )
        try:
            data = storage.read()
        except (OSError, TypeError):
            return None
        if not data:
            return None
        original = os.path.basename(request.POST.get("original_file_name", "")) or "import.xlsx"
        return SimpleUploadedFile(original, data)

    @staticmethod
    def reading_context(form) -> dict:
        """What the page needs to read another sheet of the file it checked."""
        if form is None or not form.is_bound or form.errors:
            return {}
        upload = form.cleaned_data.get("import_file")
        name = getattr(upload, "tmp_storage_name", None)
        if not name:
            return {}
        return {
            "import_stored": {
                "stored_file": name,
                "original_file_name": upload.name,
                "format": form.cleaned_data.get("format", ""),
                "resource": form.cleaned_data.get("resource", ""),
            }
        }

    def import_page_context(self, result=None) -> dict:
        """The columns (also when the upload could not be read) and the problems found."""
        resource_class = self.resource_classes[0]
        context = {
            "fields_list": [(resource_class.get_display_name(), list(resource_class.columns))]
        }
        if result is not None:
            context["notes"] = resource_class().describe_notes(result)
            context["import_reading"] = getattr(result, "reading", None)
            problems = resource_class().describe_problems(result)
            rows = len({problem.row for problem in problems if problem.row})
            context.update(
                problems=problems,
                problem_row_count=rows,
                import_problem_summary=(
                    self.import_rows_problem % {"count": rows} if rows else self.import_file_problem
                ),
            )
        return context

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, XlsxRefused):  # Too large to read: the message says what to do.
            form.add_error("import_file", e)
            return
        form.add_error(
            "import_file",
            _(
                "This file cannot be read as an Excel workbook. Save it in Excel as "
                "“Excel workbook (*.xlsx)” and upload it again."
            ),
        )

    def process_result(self, result, request):
        # Data may have changed since the check: a file that now fails changes nothing
        # (the resource rolled it back) and is shown again with its problems.
        if result.has_errors() or result.has_validation_errors():
            context = self.admin_site.each_context(request)
            context.update(
                title=_("Import"),
                opts=self.model._meta,
                form=self.get_import_form_class(request)(
                    self.get_import_formats(), self.get_import_resource_classes(request)
                ),
                result=result,
                import_error_display=self.import_error_display,
                **self.import_page_context(result),
            )
            request.current_app = self.admin_site.name
            return TemplateResponse(request, [self.import_template_name], context)
        return super().process_result(result, request)
