from django.urls import path

from . import views

app_name = "dues"

urlpatterns = [
    path("dues/", views.DuesOverviewView.as_view(), name="overview"),
    path("dues/totals.xlsx", views.DuesTotalsExportView.as_view(), name="totals_export"),
    path("dues/arrears/", views.ArrearsView.as_view(), name="arrears"),
    path("dues/arrears.xlsx", views.ArrearsExportView.as_view(), name="arrears_export"),
    path("dues/arrears/<int:pk>/remind/", views.remind_company, name="remind"),
    path("dues/receipts/<int:pk>/", views.ReceiptView.as_view(), name="receipt"),
]
