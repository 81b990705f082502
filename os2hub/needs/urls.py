from django.urls import path

from . import views

app_name = "needs"

urlpatterns = [
    path("needs/", views.need_list, name="list"),
    path("needs/new/", views.need_new, name="new"),
    path("needs/<int:pk>/", views.need_detail, name="detail"),
    path("needs/<int:pk>/edit/", views.need_edit, name="edit"),
    # cosign, uncosign, follow, unfollow, clarify, to-product, to-request, to-tender, close
    path("needs/<int:pk>/<slug:step>/", views.need_step, name="step"),
    path("pitches/", views.pitch_list, name="pitches"),
    path("pitches/new/", views.pitch_new, name="pitch_new"),
    path("pitches/<int:pk>/mark/", views.pitch_mark, name="pitch_mark"),
    path("calls/", views.call_list, name="calls"),
    path("calls/new/", views.call_start, name="call_new"),
    path("calls/<int:pk>/", views.call_detail, name="call"),
    path("calls/<int:pk>/offer/", views.offer_save, name="offer"),
    path("calls/<int:pk>/award/", views.call_award, name="award"),
    path("calls/<int:pk>/cancel/", views.call_cancel, name="call_cancel"),
    path("donations/", views.donation_list, name="donations"),
    path("donations/new/", views.donation_new, name="donation_new"),
    path("donations/<int:pk>/", views.donation_detail, name="donation"),
    path("donations/<int:pk>/<slug:step>/", views.donation_step, name="donation_step"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/digest/", views.digest, name="digest"),
]
