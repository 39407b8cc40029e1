from django.urls import path

from . import me_views, views

app_name = "members"

urlpatterns = [
    path("companies/", views.CompanyListView.as_view(), name="company_list"),
    path("companies/<int:pk>/", views.CompanyDetailView.as_view(), name="company_detail"),
    path("me/", views.MeView.as_view(), name="me"),
    path("me/company/", me_views.company_edit, name="me_company"),
    path("me/company/people/new/", me_views.person_add, name="me_person_add"),
    path("me/company/people/<int:pk>/", me_views.person_edit, name="me_person_edit"),
    path("me/company/people/<int:pk>/left/", me_views.person_left, name="me_person_left"),
    path("me/company/request/", me_views.change_request, name="me_change_request"),
]
