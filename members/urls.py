from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("companies/", views.CompanyListView.as_view(), name="company_list"),
    path("companies/<int:pk>/", views.CompanyDetailView.as_view(), name="company_detail"),
    path("me/", views.MeView.as_view(), name="me"),
]
