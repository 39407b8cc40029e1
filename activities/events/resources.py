"""Events and sign-ups in and out of Excel (xlsx), through django-import-export.

The year's plan of events imports from a sheet, one event a row, with the same rule as the
company import: a file with any bad row is refused whole, each problem named by its
spreadsheet row (``core.spreadsheets.SpreadsheetResource``). A row updates the event with the
same title on the same day, so importing a corrected plan again changes what changed and adds
nothing twice. Sign-ups and attendance export, one sign-up a row. Column headers and the labels
of types and audiences are the chamber's fixed Chinese vocabulary, not translations.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export import fields, widgets

from core.spreadsheets import (
    ChoiceLabelWidget,
    SpreadsheetResource,
    TextWidget,
    cell_value,
    column,
    parse_date,
)
from core.time import SHANGHAI

from ..models import Event, Registration
from . import services

COLUMNS = (
    "活动名称",
    "活动类型",
    "开始时间",
    "结束时间",
    "地点",
    "名额",
    "面向",
    "主办单位",
    "协办单位",
    "活动简介",
    "每年举办",
)

KIND_LABELS = {
    Event.Kind.PARTY: "党建/红色课堂",
    Event.Kind.POLICY: "政策宣讲",
    Event.Kind.LEGAL: "法律咨询",
    Event.Kind.HEALTH: "健康讲座/体检",
    Event.Kind.TALENT: "人才/居住证积分",
    Event.Kind.EDUCATION: "教育",
    Event.Kind.SOCIAL: "联谊/体育",
    Event.Kind.ENVIRONMENT: "环保志愿",
    Event.Kind.CHARITY: "公益",
    Event.Kind.SHARING: "季度例会暨经验分享会",
    Event.Kind.OTHER: "其他",
}
AUDIENCE_LABELS = {
    Event.Audience.MEMBERS: "全体会员",
    Event.Audience.LEADERSHIP: "班子成员",
    Event.Audience.STAFF: "秘书处",
}
RECURRENCE_LABELS = {
    Event.Recurrence.NONE: "否",
    Event.Recurrence.YEARLY: "每年同日",
    Event.Recurrence.DOUBLE_NINTH: "每年重阳节",
}
STATUS_LABELS = {
    Registration.Status.REGISTERED: "已报名",
    Registration.Status.WAITLISTED: "候补",
    Registration.Status.CANCELLED: "已取消",
}

TIME_RE = re.compile(r"^(\d{1,2})[:：](\d{2})(?:[:：]\d{2})?$")
DATE_TIME_RE = re.compile(r"^(.+?)[\sT]+(\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)$")


def parse_time(text: str) -> datetime.time:
    match = TIME_RE.match(text.strip())
    if match:
        hour, minute = int(match.group(1)), int(match.group(2))
        if hour < 24 and minute < 60:
            return datetime.time(hour, minute)
    raise ValueError(
        gettext("“%(value)s” is not a time; write it as 9:30 or 14:00.") % {"value": text}
    )


def parse_date_time(value, *, day: datetime.date | None = None) -> datetime.datetime | None:
    """A time in Shanghai from an Excel date-time cell or text such as 2026-03-05 9:30,
    2026/3/5 9:30 or 2026年3月5日 9:30; a time alone (11:30) is on ``day``."""
    value = cell_value(value)
    if value == "":
        return None
    if isinstance(value, datetime.datetime):
        moment = value.replace(tzinfo=None)
        return moment.replace(tzinfo=SHANGHAI)
    if isinstance(value, datetime.time):
        value = value.strftime("%H:%M")
    if isinstance(value, datetime.date):
        raise ValueError(
            gettext("“%(value)s” has no time of day; write it as 2026-03-05 9:30.")
            % {"value": value.isoformat()}
        )
    text = str(value).strip()
    if day is not None and TIME_RE.match(text):
        return datetime.datetime.combine(day, parse_time(text), tzinfo=SHANGHAI)
    match = DATE_TIME_RE.match(text)
    if not match:
        raise ValueError(
            gettext("“%(value)s” is not a date and time; write it as 2026-03-05 9:30.")
            % {"value": text}
        )
    try:
        date = parse_date(match.group(1))
    except ValidationError as error:
        raise ValueError(" ".join(error.messages)) from None
    return datetime.datetime.combine(date, parse_time(match.group(2)), tzinfo=SHANGHAI)


class DateTimeWidget(widgets.Widget):
    """A date and time in Shanghai; written as 2026-03-05 09:30."""

    def clean(self, value, row=None, **kwargs):
        return parse_date_time(value)

    def render(self, value, obj=None, **kwargs):
        return timezone.localtime(value, SHANGHAI).strftime("%Y-%m-%d %H:%M") if value else ""


class EndWidget(DateTimeWidget):
    """The end: a full date and time, or only the time on the start's day."""

    def clean(self, value, row=None, **kwargs):
        try:
            start = parse_date_time((row or {}).get("开始时间"))
        except ValueError:
            # The start is wrong (and said so); an end given as a time alone is left unread.
            if TIME_RE.match(str(cell_value(value))):
                return None
            start = None
        return parse_date_time(value, day=start.date() if start else None)


class CapacityWidget(widgets.Widget):
    """A number of places; empty for no limit."""

    def clean(self, value, row=None, **kwargs):
        text = str(cell_value(value))
        if not text or text in ("不限", "无限制"):
            return None
        if not text.isdigit() or int(text) == 0:
            raise ValueError(
                gettext("“%(value)s” is not a number of places; leave it empty for no limit.")
                % {"value": text}
            )
        return int(text)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class RecurrenceWidget(ChoiceLabelWidget):
    """每年同日 / 每年重阳节, or empty (否) for a one-off event."""

    def __init__(self):
        super().__init__(RECURRENCE_LABELS)
        self.lookup.update({"": "", "是": Event.Recurrence.YEARLY, "每年": "yearly"})

    def clean(self, value, row=None, **kwargs):
        if str(cell_value(value)) == "":
            return ""
        return super().clean(value, row, **kwargs)


class EventResource(SpreadsheetResource):
    """One event a row: the year's plan of events."""

    columns = COLUMNS
    sheet_title = "活动计划"
    # The import template (core.templates_xlsx).
    template_example = {
        "活动名称": "2026年第一季度例会暨经验分享会",
        "活动类型": KIND_LABELS[Event.Kind.SHARING],
        "开始时间": "2026-03-05 14:00",
        "结束时间": "2026-03-05 16:30",
        "地点": "商会三楼会议室",
        "名额": 60,
        "面向": AUDIENCE_LABELS[Event.Audience.MEMBERS],
        "主办单位": "示例镇商会",
        "协办单位": "",
        "活动简介": "会员企业交流一季度经营情况",
        "每年举办": RECURRENCE_LABELS[Event.Recurrence.NONE],
    }
    synonyms = {"活动": "活动名称", "活动主题": "活动名称", "活动地点": "地点", "人数": "名额"}
    # The check-in code and the calendar sequence are the event's own, not the file's; the
    # creator is the user importing.
    unchecked_fields = ("check_in_code", "sequence", "created_by")
    # Its one constraint, that an event ends after it starts, is checked in check_instance().
    validate_in_database = False

    title = column("title", "活动名称", TextWidget(empty=""))
    kind = column("kind", "活动类型", ChoiceLabelWidget(KIND_LABELS), saves_null_values=False)
    starts_at = column("starts_at", "开始时间", DateTimeWidget())
    ends_at = column("ends_at", "结束时间", EndWidget())
    venue = column("venue", "地点", TextWidget(empty=""))
    capacity = column("capacity", "名额", CapacityWidget())
    audience = column(
        "audience", "面向", ChoiceLabelWidget(AUDIENCE_LABELS), saves_null_values=False
    )
    organisers = column("organisers", "主办单位", TextWidget(empty=""))
    partners = column("partners", "协办单位", TextWidget(empty=""))
    description = column("description", "活动简介", TextWidget(empty=""))
    recurrence = column("recurrence", "每年举办", RecurrenceWidget())

    class Meta:
        model = Event
        import_id_fields = ("title", "starts_at")

    def find_duplicates(self, dataset):
        """Rows that repeat the title and day of an earlier row of the file."""

        def key(row):
            title = str(cell_value(row["活动名称"]))
            try:
                start = parse_date_time(row["开始时间"])
            except ValueError:
                return None
            return (title, start.date()) if title and start else None

        return self.repeats(
            dataset,
            key,
            "title",
            _("Row %(row)s of this file has the same event on the same day."),
        )

    def before_import(self, dataset, **kwargs):
        """Read, in one query, the events with a title of the file: each row's event is then
        found in memory."""
        titles = {str(cell_value(value)) for value in dataset["活动名称"]} - {""}
        self.events_by_day = {}
        for event in Event.objects.filter(title__in=titles).order_by("pk"):
            day = timezone.localtime(event.starts_at, SHANGHAI).date()
            self.events_by_day.setdefault((event.title, day), event)

    def get_instance(self, instance_loader, row):
        """The event with the same title on the same day in Shanghai, if there is one."""
        title = str(cell_value(row.get("活动名称")))
        try:
            start = parse_date_time(row.get("开始时间"))
        except ValueError:
            return None
        if not title or start is None:
            return None
        return self.events_by_day.get((title, start.date()))

    def after_init_instance(self, instance, new, row, **kwargs):
        super().after_init_instance(instance, new, row, **kwargs)
        if new and self.history_user is not None:
            instance.created_by = self.history_user

    def check_instance(self, instance, errors):
        """The title, the start and the end are needed, and the end comes after the start."""
        for name, column_name in (("title", "活动名称"), ("starts_at", "开始时间")):
            if name not in errors and not getattr(instance, name):
                errors[name] = [
                    ValidationError(gettext("%(column)s is needed.") % {"column": column_name})
                ]
        if "ends_at" not in errors and not instance.ends_at and instance.starts_at:
            errors["ends_at"] = [
                ValidationError(gettext("%(column)s is needed.") % {"column": "结束时间"})
            ]
        if (
            not errors
            and instance.starts_at
            and instance.ends_at
            and instance.ends_at <= instance.starts_at
        ):
            errors["ends_at"] = [ValidationError(gettext("An event must end after it starts."))]
        return errors

    def before_save_instance(self, instance, row, **kwargs):
        # Subscribed calendars pick up a change of time or place (the sequence is written
        # with the row's fields: core.bulk_imports).
        services.event_changed(instance, self.changed_fields(instance))


class RegistrationResource(SpreadsheetResource):
    """One sign-up a row, for the secretariat's lists: who came to what."""

    sheet_title = "报名与签到"

    event = fields.Field(column_name="活动", dehydrate_method="dehydrate_event")
    date = fields.Field(column_name="活动时间", dehydrate_method="dehydrate_date")
    person = fields.Field(column_name="姓名", dehydrate_method="dehydrate_person")
    company = fields.Field(column_name="企业", dehydrate_method="dehydrate_company")
    title = fields.Field(column_name="职务", dehydrate_method="dehydrate_title")
    mobile = fields.Field(column_name="手机", dehydrate_method="dehydrate_mobile")
    status = fields.Field(column_name="报名状态", dehydrate_method="dehydrate_status")
    signed_up = fields.Field(column_name="报名时间", dehydrate_method="dehydrate_signed_up")
    checked_in = fields.Field(column_name="签到时间", dehydrate_method="dehydrate_checked_in")

    class Meta:
        model = Registration
        fields = export_order = (
            "event",
            "date",
            "person",
            "company",
            "title",
            "mobile",
            "status",
            "signed_up",
            "checked_in",
        )

    @staticmethod
    def local(moment):
        return timezone.localtime(moment, SHANGHAI).strftime("%Y-%m-%d %H:%M") if moment else ""

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("event", "person__company").order_by(
            "event__starts_at", "event_id", "status", "created_at", "pk"
        )

    def dehydrate_event(self, registration):
        return registration.event.title

    def dehydrate_date(self, registration):
        return self.local(registration.event.starts_at)

    def dehydrate_person(self, registration):
        return registration.person.name

    def dehydrate_company(self, registration):
        company = registration.person.company
        return company.name if company else ""

    def dehydrate_title(self, registration):
        return registration.person.title

    def dehydrate_mobile(self, registration):
        return registration.person.mobile

    def dehydrate_status(self, registration):
        return STATUS_LABELS.get(registration.status, registration.status)

    def dehydrate_signed_up(self, registration):
        return self.local(registration.created_at)

    def dehydrate_checked_in(self, registration):
        return self.local(registration.checked_in_at)
