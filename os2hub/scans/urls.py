from django.urls import path

from . import views

app_name = "scans"

urlpatterns = [
    path("products/<slug:slug>/scans/", views.product_scans, name="product"),
    path("products/<slug:slug>/scans/start/", views.scan_start, name="start"),
    path("products/<slug:slug>/scans/<int:pk>/", views.scan_detail, name="detail"),
    path("products/<slug:slug>/self-assessment/proposals/", views.proposals, name="proposals"),
    path("products/<slug:slug>/self-assessment/proposals/<int:pk>/", views.proposal_decide, name="proposal_decide"),
]
