from django.urls import path

from . import events_checkin_views, events_views, views

app_name = "activities"

urlpatterns = [
    path("visits/", views.VisitListView.as_view(), name="visit_list"),
    path("visits/new/", views.VisitCreateView.as_view(), name="visit_create"),
    path("visits/compliance/", views.ComplianceView.as_view(), name="visit_compliance"),
    path(
        "visits/compliance/export/",
        views.ComplianceExportView.as_view(),
        name="visit_compliance_export",
    ),
    path("visits/<int:pk>/", views.VisitDetailView.as_view(), name="visit_detail"),
    path("visits/<int:pk>/edit/", views.VisitUpdateView.as_view(), name="visit_update"),
    path("visits/photos/<int:pk>/", views.visit_photo, name="visit_photo"),
    path(
        "visits/photos/<int:pk>/thumbnail/",
        views.visit_photo,
        {"thumbnail": True},
        name="visit_photo_thumbnail",
    ),
    path("visits/kept/<str:token>/", views.kept_photo, name="kept_photo"),
    path("problems/", views.ProblemListView.as_view(), name="problem_list"),
    path("problems/export/", views.ProblemExportView.as_view(), name="problem_export"),
    path("problems/raise/", views.ProblemRaiseView.as_view(), name="problem_raise"),
    path("problems/<int:pk>/", views.ProblemDetailView.as_view(), name="problem_detail"),
    path("problems/<int:pk>/update/", views.problem_update, name="problem_update"),
    path("problems/<int:pk>/confirm/", views.problem_confirm, name="problem_confirm"),
    path("problems/<int:pk>/attachment/", views.problem_attachment, name="problem_attachment"),
    path("proposals/", views.ProposalListView.as_view(), name="proposal_list"),
    path("proposals/new/", views.ProposalCreateView.as_view(), name="proposal_create"),
    path("proposals/<int:pk>/", views.ProposalDetailView.as_view(), name="proposal_detail"),
    path("proposals/<int:pk>/edit/", views.ProposalUpdateView.as_view(), name="proposal_update"),
    # Events: the calendar, sign-up, check-in, feeds and the quarterly sharing meetings.
    path("calendar/", events_views.CalendarView.as_view(), name="calendar"),
    path("calendar/feed/<str:token>.ics", events_views.calendar_feed, name="calendar_feed"),
    path("calendar/feed/reset/", events_views.calendar_feed_reset, name="calendar_feed_reset"),
    path("meetings/", events_views.MeetingListView.as_view(), name="meetings"),
    path("events/participation/", events_views.ParticipationView.as_view(), name="participation"),
    path("events/<int:pk>/", events_views.EventDetailView.as_view(), name="event_detail"),
    path("events/photos/<int:pk>/", events_views.event_photo, name="event_photo"),
    path(
        "events/photos/<int:pk>/thumbnail/",
        events_views.event_photo,
        {"thumbnail": True},
        name="event_photo_thumbnail",
    ),
    path("events/<int:pk>/sign-up/", events_views.event_register, name="event_register"),
    path("events/<int:pk>/cancel/", events_views.event_cancel, name="event_cancel"),
    path("events/<int:pk>/event.ics", events_views.event_ics, name="event_ics"),
    path(
        "events/<int:pk>/check-in/<str:code>/",
        events_checkin_views.EventCheckInView.as_view(),
        name="event_check_in",
    ),
    path("events/<int:pk>/door/", events_checkin_views.EventDoorView.as_view(), name="event_door"),
    path(
        "events/pass/<str:token>/", events_checkin_views.EventPassView.as_view(), name="event_pass"
    ),
    path(
        "events/<int:pk>/attendance/",
        events_checkin_views.EventAttendanceView.as_view(),
        name="event_attendance",
    ),
]
