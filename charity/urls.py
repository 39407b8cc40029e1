from django.urls import path

from . import views

app_name = "charity"

urlpatterns = [
    path("charity/", views.CharityOverviewView.as_view(), name="overview"),
    path("charity/campaigns/", views.CampaignListView.as_view(), name="campaign_list"),
    path(
        "charity/campaigns/<int:pk>/",
        views.CampaignDetailView.as_view(),
        name="campaign_detail",
    ),
    path("charity/pairings/", views.PairingListView.as_view(), name="pairing_list"),
    path("charity/pairings/<int:pk>/", views.PairingDetailView.as_view(), name="pairing_detail"),
    path("charity/photos/<int:pk>/", views.photo, name="photo"),
    path("charity/contributors/", views.ContributorListView.as_view(), name="contributor_list"),
    path("charity/donations/", views.DonationListView.as_view(), name="donation_list"),
    path(
        "charity/donations/<int:pk>/acknowledgement/",
        views.DonationAcknowledgementView.as_view(),
        name="donation_acknowledgement",
    ),
    path("charity/listing/", views.ContributorListingView.as_view(), name="contributor_listing"),
]
