from django.urls import path

from . import join_views, views

app_name = "development"

urlpatterns = [
    path("join/", join_views.join, name="join"),
    path("join/code/<str:token>/", join_views.join_code, name="join_code"),
    path("join/confirm/<str:token>/", join_views.join_confirm, name="join_confirm"),
    path("join/track/<str:token>/", join_views.track, name="track"),
    path("development/", views.PipelineView.as_view(), name="pipeline"),
    path("development/new/", views.ProspectCreateView.as_view(), name="prospect_create"),
    path("development/<int:pk>/", views.ProspectDetailView.as_view(), name="prospect_detail"),
    path("development/<int:pk>/edit/", views.prospect_update, name="prospect_update"),
    path("development/<int:pk>/notes/", views.note_add, name="note_add"),
    path(
        "development/<int:pk>/recommend/",
        views.application_recommend,
        name="application_recommend",
    ),
    path(
        "development/<int:pk>/check/",
        views.application_check,
        name="application_check",
    ),
    path("development/<int:pk>/decision/", views.application_decide, name="application_decide"),
    path("development/applications/<int:pk>/licence/", views.licence, name="licence"),
]
