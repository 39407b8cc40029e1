from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:pk>/", views.message_detail, name="message"),
    path("inbox/read-all/", views.read_all, name="read_all"),
    path("inbox/channels/", views.save_channels, name="channels"),
]
