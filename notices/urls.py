from django.urls import path

from . import public, views

app_name = "notices"

urlpatterns = [
    path("notices/", views.NoticeListView.as_view(), name="notice_list"),
    path("notices/<int:pk>/", views.NoticeDetailView.as_view(), name="notice_detail"),
    path(
        "notices/<int:pk>/attachments/<int:attachment_pk>/",
        views.notice_attachment,
        name="attachment",
    ),
    path("notices/pictures/<int:pk>/", views.editor_image, name="editor_image"),
    path("notices/<int:pk>/remind/", views.notice_remind, name="notice_remind"),
    path("journal/", views.JournalView.as_view(), name="journal"),
    path("journal/<int:pk>/", views.JournalIssueDetailView.as_view(), name="journal_issue"),
    path("journal/<int:pk>/pdf/", views.journal_pdf, name="journal_pdf"),
    path(
        "journal/spotlights/<int:pk>/",
        views.SpotlightDetailView.as_view(),
        name="spotlight_detail",
    ),
    path("journal/spotlights/photos/<int:pk>/", views.spotlight_photo, name="spotlight_photo"),
    path("share/<slug:kind>/<int:pk>/poster.png", views.share_poster, name="share_poster"),
    path("s/<str:token>/", public.public_share, name="public_share"),
    path("s/<str:token>/poster.png", public.public_poster, name="public_poster"),
    path("search/", views.SearchView.as_view(), name="search"),
]
