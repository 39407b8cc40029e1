"""The spreadsheet resource every import and export builds on, tried with a small sheet of
people: the header check, blank rows, all-or-nothing, Chinese headers, escaped cells and the
column order."""

import pytest
import tablib
from django.utils import translation

from core.spreadsheets import ChoiceLabelWidget, SpreadsheetResource, TextWidget, column
from members.models import Person

pytestmark = pytest.mark.django_db

COLUMNS = ("姓名", "职务", "手机")


class PersonSheet(SpreadsheetResource):
    """People by name, title and mobile."""

    columns = COLUMNS
    sheet_title = "人员"

    name = column("name", "姓名", TextWidget(empty=""))
    title = column("title", "职务", TextWidget(empty=""))
    mobile = column("mobile", "手机", TextWidget(empty=""))

    class Meta:
        model = Person
        import_id_fields = ("name",)

    def find_duplicates(self, dataset):
        return self.repeats(
            dataset, lambda row: str(row["姓名"] or "").strip(), "name", "Row %(row)s: same name."
        )


class MobileFirstSheet(PersonSheet):
    columns = ("手机", "姓名", "职务")

    class Meta:
        model = Person
        import_id_fields = ("name",)


def sheet(*rows, headers=COLUMNS) -> tablib.Dataset:
    return tablib.Dataset(*rows, headers=list(headers))


def import_sheet(resource, dataset, **kwargs):
    return resource.import_data(dataset, dry_run=False, file_name="people.xlsx", **kwargs)


def test_a_sheet_imports_with_a_history_that_names_the_file(secretary):
    result = import_sheet(
        PersonSheet(), sheet((" 王丽 ", "经理", 13812345678.0), ("李强", "", "")), user=secretary
    )
    assert not result.has_errors() and not result.has_validation_errors()
    people = Person.objects.filter(name__in=["王丽", "李强"])
    assert sorted(people.values_list("name", "title", "mobile")) == [
        ("李强", "", ""),
        ("王丽", "经理", "13812345678"),
    ]
    record = Person.history.get(name="王丽")
    assert record.history_user == secretary
    assert "people.xlsx" in record.history_change_reason


def test_headers_are_read_as_written_around_spaces_and_a_missing_one_is_named():
    resource = PersonSheet()
    with translation.override("en"):
        result = import_sheet(resource, sheet(("王丽", "13812345678"), headers=(" 姓名 ", "手机")))
    [problem] = resource.describe_problems(result)
    assert problem.row is None
    first, *columns = problem.message.splitlines()
    assert first.endswith("missing: 职务. The columns are, in this order:")
    assert columns == ["姓名", "职务", "手机"]  # one per line, as a choice's values
    assert not Person.objects.filter(name="王丽").exists()


def test_blank_rows_are_no_rows():
    result = import_sheet(
        PersonSheet(),
        sheet(
            ("王丽", "经理", "13812345678"),
            (None, None, None),
            ("", "  ", ""),
            ("李强", "", ""),
            (None, "", None),
        ),
    )
    assert not result.has_validation_errors()
    # Neither counted nor shown; the blank row at the end is not even read.
    assert (result.totals["new"], result.totals["skip"]) == (2, 0)
    assert len(result.rows) == 4
    assert sorted(Person.objects.values_list("name", flat=True)) == ["李强", "王丽"]


def test_one_bad_row_writes_nothing_and_each_problem_is_named_by_row_and_column():
    resource = PersonSheet()
    result = import_sheet(
        resource,
        sheet(
            ("王丽", "经理", "13812345678"),
            ("张" * 51, "", "12345"),
            ("王丽", "", ""),
        ),
    )
    assert result.has_validation_errors()
    assert not Person.objects.exists()
    assert [(p.row, p.column) for p in resource.describe_problems(result)] == [
        (3, "姓名"),
        (3, "手机"),
        (4, "姓名"),
    ]
    assert resource.describe_problems(result)[2].message == "Row 2: same name."


def test_the_columns_order_the_problems_of_a_row():
    resource = MobileFirstSheet()
    result = import_sheet(resource, sheet(("张" * 51, "", "12345")))
    assert [(p.row, p.column) for p in resource.describe_problems(result)] == [
        (2, "手机"),
        (2, "姓名"),
    ]


def test_an_export_has_the_chinese_headers_and_escapes_what_a_spreadsheet_would_run():
    Person.objects.create(name='=HYPERLINK("http://x","y")', title="+1", mobile="")
    Person.objects.create(name="@SUM(A1)", title="-1", mobile="13812345678")
    dataset = PersonSheet().export(Person.objects.order_by("pk"))
    assert dataset.title == "人员"
    assert dataset.headers == list(COLUMNS)
    assert list(dataset) == [
        ('\'=HYPERLINK("http://x","y")', "'+1", ""),
        ("'@SUM(A1)", "'-1", "13812345678"),
    ]


def test_the_columns_order_the_export_and_only_they_are_written():
    Person.objects.create(name="王丽", title="经理", mobile="13812345678", email="w@example.com")
    dataset = MobileFirstSheet().export(Person.objects.all())
    assert dataset.headers == ["手机", "姓名", "职务"]
    assert list(dataset) == [("13812345678", "王丽", "经理")]


def test_an_exported_sheet_imports_back_unchanged():
    Person.objects.create(name="=王丽", title="经理", mobile="13812345678")
    exported = PersonSheet().export(Person.objects.all())
    result = import_sheet(PersonSheet(), exported)
    assert not result.has_validation_errors()
    assert result.totals["skip"] == 1
    assert Person.objects.get().name == "=王丽"


class NotingSheet(PersonSheet):
    """People, with a note on each one without a title."""

    class Meta:
        model = Person
        import_id_fields = ("name",)

    def import_row(self, row, instance_loader, **kwargs):
        if not row.get("职务"):
            self.note(kwargs["row_number"], "职务", f"{row['姓名']} has no title.")
        return super().import_row(row, instance_loader, **kwargs)


def test_notes_are_named_by_row_and_are_no_problems():
    resource = NotingSheet()
    result = import_sheet(resource, sheet(("王丽", "经理", ""), ("李强", "", ""), ("赵敏", "", "")))

    assert not result.has_validation_errors()
    assert resource.describe_problems(result) == []
    assert [tuple(note) for note in NotingSheet().describe_notes(result)] == [
        (3, "职务", "李强 has no title."),
        (4, "职务", "赵敏 has no title."),
    ]
    assert Person.objects.count() == 3


def test_a_choice_close_to_a_label_gets_a_suggestion():
    tiers = ChoiceLabelWidget(
        {"president": "会长单位", "vice_president": "副会长单位", "member": "会员单位"}
    )
    statuses = ChoiceLabelWidget({"active": "在册", "suspended": "暂停", "left": "退会"})

    assert tiers.suggest("付会长单位") == "副会长单位"
    assert tiers.suggest("会长") == "会长单位"
    assert statuses.suggest("再册") == "在册"
    assert statuses.suggest("退出") == "退会"
    assert statuses.suggest("注销") is None
    assert tiers.suggest("钻石会员") is None
    with translation.override("zh-hans"):
        with pytest.raises(ValueError, match="您是不是要写“副会长单位”？"):
            tiers.clean("付会长单位")
        with pytest.raises(ValueError) as refused:
            tiers.clean("钻石会员")
    assert "您是不是" not in str(refused.value)
