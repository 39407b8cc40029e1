"""The leadership's pages: visits, the problem ledger and proposals."""

from django.urls import path

from . import problem_views, proposal_views, views

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
    path("problems/", problem_views.ProblemListView.as_view(), name="problem_list"),
    path("problems/export/", problem_views.ProblemExportView.as_view(), name="problem_export"),
    path("problems/raise/", problem_views.ProblemRaiseView.as_view(), name="problem_raise"),
    path("problems/<int:pk>/", problem_views.ProblemDetailView.as_view(), name="problem_detail"),
    path("problems/<int:pk>/update/", problem_views.problem_update, name="problem_update"),
    path("problems/<int:pk>/confirm/", problem_views.problem_confirm, name="problem_confirm"),
    path(
        "problems/<int:pk>/attachment/", problem_views.problem_attachment, name="problem_attachment"
    ),
    path("proposals/", proposal_views.ProposalListView.as_view(), name="proposal_list"),
    path("proposals/new/", proposal_views.ProposalCreateView.as_view(), name="proposal_create"),
    path(
        "proposals/<int:pk>/", proposal_views.ProposalDetailView.as_view(), name="proposal_detail"
    ),
    path(
        "proposals/<int:pk>/edit/",
        proposal_views.ProposalUpdateView.as_view(),
        name="proposal_update",
    ),
]
