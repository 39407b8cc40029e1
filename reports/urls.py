from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path("reports/four-goods/<int:year>/", views.FourGoodsView.as_view(), name="four_goods"),
    path(
        "reports/four-goods/<int:year>/export/",
        views.FourGoodsExportView.as_view(),
        name="four_goods_export",
    ),
    path("reports/summary/<int:year>/", views.SummaryView.as_view(), name="summary"),
]
