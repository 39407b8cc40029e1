"""The members' pages: the calendar, sign-up, check-in, feeds and the quarterly sharing meetings."""

from django.urls import path

from . import calendar_views, checkin_views, company_views, guest_views, views

urlpatterns = [
    path("calendar/", calendar_views.CalendarView.as_view(), name="calendar"),
    path("calendar/feed/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("calendar/feed/reset/", views.calendar_feed_reset, name="calendar_feed_reset"),
    path("meetings/", views.MeetingListView.as_view(), name="meetings"),
    path("events/participation/", views.ParticipationView.as_view(), name="participation"),
    path("events/<int:pk>/", views.EventDetailView.as_view(), name="event_detail"),
    path("events/photos/<int:pk>/", views.event_photo, name="event_photo"),
    path(
        "events/photos/<int:pk>/thumbnail/",
        views.event_photo,
        {"thumbnail": True},
        name="event_photo_thumbnail",
    ),
    path("events/<int:pk>/sign-up/", views.event_register, name="event_register"),
    path("events/<int:pk>/cancel/", views.event_cancel, name="event_cancel"),
    path(
        "events/<int:pk>/company/sign-up/",
        company_views.event_company_register,
        name="event_company_register",
    ),
    path(
        "events/<int:pk>/company/<int:registration_pk>/cancel/",
        company_views.event_company_cancel,
        name="event_company_cancel",
    ),
    path("events/<int:pk>/event.ics", views.event_ics, name="event_ics"),
    path(
        "events/<int:pk>/check-in/<str:code>/",
        checkin_views.EventCheckInView.as_view(),
        name="event_check_in",
    ),
    path("events/<int:pk>/door/", checkin_views.EventDoorView.as_view(), name="event_door"),
    path("events/pass/<str:token>/", checkin_views.EventPassView.as_view(), name="event_pass"),
    path("events/guest/<str:token>/", guest_views.guest_pass, name="event_guest_pass"),
    path(
        "events/<int:pk>/attendance/",
        checkin_views.EventAttendanceView.as_view(),
        name="event_attendance",
    ),
]
