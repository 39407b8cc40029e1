"""The secretariat's back office for events: the year's plan from xlsx, sign-up exports,
yearly copies, and changes that calendars and the waiting list must follow."""

import datetime
import io
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from import_export.formats.base_formats import XLSX

from activities.events import services
from activities.events.resources import COLUMNS, EventResource
from activities.models import Event, EventPhoto, Registration
from tests.factories import CompanyFactory, PersonFactory

from ..conftest import photo_upload
from .factories import EventFactory, RegistrationFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
Status = Registration.Status
pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:activities_event_import")
PROCESS_URL = reverse("admin:activities_event_process_import")
REGISTRATION_EXPORT_URL = reverse("admin:activities_registration_export")


def row(title, **cells):
    values = {
        "活动名称": title,
        "活动类型": "政策宣讲",
        "开始时间": "2030-03-05 9:30",
        "结束时间": "11:30",
        "地点": "徐泾镇商会会议室",
        "名额": "60",
        "面向": "全体会员",
        "主办单位": "徐泾镇商会",
        "协办单位": "经发办",
        "活动简介": "解读最新政策。",
        "每年举办": "",
        **cells,
    }
    return [values[column] for column in COLUMNS]


def workbook(*rows, headers=COLUMNS) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(headers))
    for values in rows:
        sheet.append(list(values))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def read_workbook(content: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [[cell.value for cell in cells] for cells in sheet.iter_rows()]


def upload(client, content: bytes, name="plan.xlsx"):
    return client.post(
        IMPORT_URL,
        {"import_file": SimpleUploadedFile(name, content), "format": "0", "resource": "0"},
    )


def confirm(client, checked):
    return client.post(PROCESS_URL, checked.context["confirm_form"].initial, follow=True)


@pytest.fixture
def secretary_client(client, secretary):
    client.force_login(secretary)
    return client


PLAN = [
    row("银行行长政策宣讲会"),
    row(
        "重阳节慰问老年人",
        活动类型="公益",
        # Excel date-time cells, which carry no time zone: read as Shanghai time.
        开始时间=datetime.datetime(2030, 10, 5, 9, 0),  # noqa: DTZ001
        结束时间=datetime.datetime(2030, 10, 5, 11, 30),  # noqa: DTZ001
        名额="",
        面向="班子成员",
        每年举办="每年重阳节",
    ),
    row(
        "秘书处工作会",
        活动类型="其他",
        开始时间="2030年4月1日 14:00",
        结束时间="2030/4/1 16:00",
        面向="秘书处",
    ),
]


def test_the_years_plan_imports_from_xlsx_after_a_check(secretary_client, secretary):
    checked = upload(secretary_client, workbook(*PLAN))
    assert "confirm_form" in checked.context
    assert not Event.objects.exists()

    done = confirm(secretary_client, checked)

    assert "新增 3 项活动" in done.content.decode()
    briefing = Event.objects.get(title="银行行长政策宣讲会")
    assert briefing.local_start == datetime.datetime(2030, 3, 5, 9, 30, tzinfo=SHANGHAI)
    assert briefing.local_end == datetime.datetime(2030, 3, 5, 11, 30, tzinfo=SHANGHAI)
    assert (briefing.kind, briefing.capacity, briefing.audience) == ("policy", 60, "members")
    assert briefing.partners == "经发办" and briefing.created_by == secretary
    assert briefing.history.first().history_user == secretary
    visit = Event.objects.get(title="重阳节慰问老年人")
    assert visit.capacity is None and visit.audience == "leadership"
    assert visit.recurrence == Event.Recurrence.DOUBLE_NINTH
    assert Event.objects.get(title="秘书处工作会").audience == "staff"


def test_a_plan_with_bad_rows_is_refused_whole_and_each_bad_row_is_named(secretary_client):
    content = workbook(
        row("好的一行"),
        row("类型不对", 活动类型="座谈会"),
        row("时间不对", 开始时间="下周三"),
        row("结束早于开始", 结束时间="8:00"),
        row("", 名额="很多"),
        row("好的一行"),
    )
    checked = upload(secretary_client, content)
    page = checked.content.decode()

    assert "confirm_form" not in checked.context
    assert not Event.objects.exists()
    assert "有问题的行数：5" in page
    assert "第 3 行：活动类型：“座谈会”不是可选的值" in page
    assert "第 5 行：结束时间：活动的结束时间必须晚于开始时间。" in page
    problems = {(p.row, p.column) for p in checked.context["problems"]}
    assert {
        (3, "活动类型"),
        (4, "开始时间"),
        (5, "结束时间"),
        (6, "名额"),
        (6, "活动名称"),
    } <= problems
    assert any(p.row == 7 and "第 2 行" in p.message for p in checked.context["problems"])


def test_a_plan_that_fails_at_confirm_changes_nothing(secretary_client, monkeypatch):
    """All or nothing at the second step too: a row that passed the check but fails at
    confirm (here its validation fails then) leaves every event as it was, the rows before it
    included, and the page names the row."""
    year = timezone.localdate().year + 1
    existing = EventFactory(
        title="季度例会",
        venue="徐泾镇商会会议室",
        starts_at=datetime.datetime(year, 3, 5, 9, 30, tzinfo=SHANGHAI),
        ends_at=datetime.datetime(year, 3, 5, 11, 30, tzinfo=SHANGHAI),
    )
    content = workbook(
        row("年度新会员见面会", 开始时间=f"{year}-03-02 9:30"),
        row("季度例会", 开始时间=f"{year}-03-05 9:30", 地点="徐泾镇社区文化活动中心"),
        row("后来出错的一行", 开始时间=f"{year}-03-09 9:30"),
        row("排在出错行之后", 开始时间=f"{year}-03-12 9:30"),
    )
    checked = upload(secretary_client, content)
    assert "confirm_form" in checked.context
    before = list(Event.objects.order_by("pk").values())

    full_clean = Event.full_clean

    def fails_for_one_row(self, *args, **kwargs):
        if self.title == "后来出错的一行":
            raise ValidationError({"venue": ["这个地点已停用。"]})
        return full_clean(self, *args, **kwargs)

    monkeypatch.setattr(Event, "full_clean", fails_for_one_row)
    done = confirm(secretary_client, checked)

    page = done.content.decode()
    assert "第 4 行" in page and "这个地点已停用。" in page
    assert list(Event.objects.order_by("pk").values()) == before
    assert not Event.objects.filter(title__in=["年度新会员见面会", "排在出错行之后"]).exists()
    existing.refresh_from_db()
    assert existing.venue == "徐泾镇商会会议室" and existing.sequence == 0
    assert existing.history.count() == 1


def test_importing_the_same_plan_again_adds_nothing_and_a_change_updates_and_bumps_sequence(
    secretary_client,
):
    confirm(secretary_client, upload(secretary_client, workbook(*PLAN)))
    again = confirm(secretary_client, upload(secretary_client, workbook(*PLAN)))
    assert "3 项无变化" in again.content.decode()
    assert Event.objects.count() == 3

    moved = [row("银行行长政策宣讲会", 开始时间="2030-03-05 10:00", 地点="徐泾镇社区文化活动中心")]
    confirm(secretary_client, upload(secretary_client, workbook(*moved)))
    briefing = Event.objects.get(title="银行行长政策宣讲会")
    assert briefing.venue == "徐泾镇社区文化活动中心"
    assert briefing.local_start.hour == 10
    assert briefing.sequence == 1
    assert Event.objects.count() == 3


def test_a_plan_missing_a_column_is_refused_naming_it(secretary_client):
    headers = [column for column in COLUMNS if column != "面向"]
    checked = upload(secretary_client, workbook(["某活动"] * len(headers), headers=headers))

    assert "confirm_form" not in checked.context
    [problem] = checked.context["problems"]
    assert problem.row is None and "面向" in problem.message
    assert not Event.objects.exists()


def test_an_exported_plan_imports_back_unchanged(secretary_client):
    EventFactory(title="=1+1 公式样的标题", capacity=None, recurrence=Event.Recurrence.YEARLY)
    exported = secretary_client.post(
        reverse("admin:activities_event_export") + "?when=all", {"format": "0", "resource": "0"}
    )
    rows = read_workbook(exported.content)
    assert rows[0] == list(COLUMNS)
    assert rows[1][0] == "'=1+1 公式样的标题"
    assert rows[1][10] == "每年同日"

    result = EventResource().import_data(XLSX().create_dataset(exported.content), dry_run=True)
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["skip"] == 1


def test_sign_ups_and_attendance_export_with_chinese_headers(secretary_client):
    event = EventFactory(title="法律服务咨询日")
    person = PersonFactory(name="王小明", company=CompanyFactory(name="上海导出测试有限公司"))
    RegistrationFactory(event=event, person=person, checked_in_at=event.starts_at)
    RegistrationFactory(event=event, status=Status.WAITLISTED)

    response = secretary_client.post(REGISTRATION_EXPORT_URL, {"format": "0", "resource": "0"})

    rows = read_workbook(response.content)
    assert rows[0] == [
        "活动",
        "活动时间",
        "姓名",
        "企业",
        "职务",
        "手机",
        "报名状态",
        "报名时间",
        "签到时间",
    ]
    assert rows[1][:4] == [
        "法律服务咨询日",
        event.local_start.strftime("%Y-%m-%d %H:%M"),
        "王小明",
        "上海导出测试有限公司",
    ]
    assert rows[1][6] == "已报名" and rows[1][8]
    assert rows[2][6] == "候补" and not rows[2][8]


def test_the_export_action_writes_the_sign_ups_of_the_chosen_events(secretary_client):
    chosen, other = EventFactory(title="选中的活动"), EventFactory(title="其他活动")
    RegistrationFactory(event=chosen)
    RegistrationFactory(event=other)
    response = secretary_client.post(
        reverse("admin:activities_event_changelist"),
        {"action": "export_sign_ups", "_selected_action": [chosen.pk]},
    )
    rows = read_workbook(response.content)
    assert [r[0] for r in rows[1:]] == ["选中的活动"]


def test_supervisors_may_not_export_sign_ups(client, supervisor):
    client.force_login(supervisor)
    assert client.get(REGISTRATION_EXPORT_URL).status_code == 403
    assert client.get(IMPORT_URL).status_code == 403
    assert client.get(reverse("admin:activities_event_changelist")).status_code == 200


def test_the_copy_action_copies_yearly_events_to_next_year(secretary_client):
    chongyang = EventFactory(
        title="重阳节慰问老年人",
        starts_at=datetime.datetime(2026, 10, 18, 9, tzinfo=SHANGHAI),
        ends_at=datetime.datetime(2026, 10, 18, 11, tzinfo=SHANGHAI),
        recurrence=Event.Recurrence.DOUBLE_NINTH,
    )
    response = secretary_client.post(
        reverse("admin:activities_event_changelist") + "?when=all",
        {"action": "copy_to_next_year", "_selected_action": [chongyang.pk]},
        follow=True,
    )
    assert "已复制：重阳节慰问老年人，2027-10-08。" in response.content.decode()
    assert chongyang.next_copy.local_start.date() == datetime.date(2027, 10, 8)


def admin_form(event, **changes):
    data = {
        "title": event.title,
        "kind": event.kind,
        "starts_at_0": event.local_start.strftime("%Y-%m-%d"),
        "starts_at_1": event.local_start.strftime("%H:%M:%S"),
        "ends_at_0": event.local_end.strftime("%Y-%m-%d"),
        "ends_at_1": event.local_end.strftime("%H:%M:%S"),
        "venue": event.venue,
        "capacity": event.capacity or "",
        "audience": event.audience,
        "registration_open": "on",
        "organisers": event.organisers,
        "partners": event.partners,
        "description": event.description,
        "recurrence": event.recurrence,
        "minutes": event.minutes,
    }
    for prefix, count in (
        ("registrations", event.registrations.count()),
        ("talks", 0),
        ("photos", 0),
    ):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": str(count),
                f"{prefix}-INITIAL_FORMS": str(count),
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    for index, registration in enumerate(event.registrations.order_by("created_at", "pk")):
        data.update(
            {
                f"registrations-{index}-id": str(registration.pk),
                f"registrations-{index}-event": str(event.pk),
                f"registrations-{index}-person": str(registration.person_id),
                f"registrations-{index}-status": registration.status,
                f"registrations-{index}-created_at_0": timezone_date(registration.created_at),
                f"registrations-{index}-created_at_1": timezone_time(registration.created_at),
            }
        )
    data.update(changes)
    return data


def timezone_date(moment):
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d")


def timezone_time(moment):
    return moment.astimezone(SHANGHAI).strftime("%H:%M:%S")


def test_more_places_saved_in_the_admin_move_people_up_and_a_new_venue_bumps_the_sequence(
    secretary_client, mailoutbox, django_capture_on_commit_callbacks
):
    event = EventFactory(capacity=1)
    for person in [PersonFactory() for _ in range(3)]:
        services.register(event=event, person=person)
    url = reverse("admin:activities_event_change", args=[event.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = secretary_client.post(
            url, admin_form(event, capacity="2", venue="徐泾镇社区文化活动中心"), follow=True
        )

    assert response.status_code == 200
    assert "1 人从候补名单递补" in response.content.decode()
    event.refresh_from_db()
    assert event.capacity == 2 and event.sequence == 1
    assert Registration.objects.registered().filter(event=event).count() == 2
    assert len(mailoutbox) == 1


def test_minutes_alone_do_not_bump_the_sequence(secretary_client):
    event = EventFactory()
    url = reverse("admin:activities_event_change", args=[event.pk])
    secretary_client.post(url, admin_form(event, minutes="会议顺利举行。"))
    event.refresh_from_db()
    assert event.minutes == "会议顺利举行。" and event.sequence == 0


def test_a_photo_added_in_the_admin_is_scaled_and_gets_a_thumbnail(secretary_client):
    event = EventFactory()
    data = admin_form(event)
    data.update({"photos-TOTAL_FORMS": "1", "photos-0-caption": "合影"})
    response = secretary_client.post(
        reverse("admin:activities_event_change", args=[event.pk]),
        {**data, "photos-0-image": photo_upload(size=(3000, 2000))},
    )
    assert response.status_code == 302
    photo = EventPhoto.objects.get(event=event)
    assert max(photo.image.width, photo.image.height) == EventPhoto.MAX_SIDE
    assert max(photo.thumbnail.width, photo.thumbnail.height) == EventPhoto.THUMBNAIL_SIDE


def test_a_file_that_is_not_an_image_is_refused_with_a_message(secretary_client):
    event = EventFactory()
    data = admin_form(event)
    data.update({"photos-TOTAL_FORMS": "1"})
    response = secretary_client.post(
        reverse("admin:activities_event_change", args=[event.pk]),
        {**data, "photos-0-image": SimpleUploadedFile("x.jpg", b"not an image")},
    )
    assert response.status_code == 200
    assert "该文件不是 JPEG、PNG 或 WebP 图片" in response.content.decode()
    assert not EventPhoto.objects.exists()


def test_the_event_list_in_the_admin_costs_the_same_queries_for_few_or_many(secretary_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("admin:activities_event_changelist")

    def measure(events):
        secretary_client.get(url)  # anything cached on the first visit, at both sizes
        with CaptureQueriesContext(connection) as context:
            response = secretary_client.get(url)
        assert response.status_code == 200
        page = response.content.decode()
        assert all(event.title in page for event in events)
        return len(context.captured_queries)

    events = []
    for _ in range(2):
        events.append(EventFactory())
        RegistrationFactory(event=events[-1])
    few = measure(events)
    for _ in range(28):
        events.append(EventFactory())
        RegistrationFactory(event=events[-1])
    assert measure(events) == few <= 15
