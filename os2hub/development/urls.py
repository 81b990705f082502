from django.urls import path

from . import views

app_name = "development"

urlpatterns = [
    path("development-requests/", views.request_list, name="list"),
    path("development-requests/<int:pk>/", views.request_detail, name="detail"),
    path("development-requests/<int:pk>/edit/", views.request_edit, name="edit"),
    path("development-requests/<int:pk>/submit/", views.request_submit, name="submit"),
    path(
        "development-requests/<int:pk>/pledges/<int:pledge_pk>/withdraw/",
        views.pledge_withdraw,
        name="pledge_withdraw",
    ),
    # estimate, order, open_funding, reject, pledge, start, deliver, accept, send_back, withdraw
    path("development-requests/<int:pk>/<slug:step>/", views.request_step, name="step"),
    path("products/<slug:slug>/development-requests/", views.product_requests, name="product_list"),
    path("products/<slug:slug>/development-requests/new/", views.request_new, name="new"),
    path("products/<slug:slug>/development-requests/board/", views.board, name="board"),
    path("products/<slug:slug>/development-requests/sprints/", views.sprint_new, name="sprint_new"),
    path(
        "products/<slug:slug>/development-requests/from-criterion/<str:code>/",
        views.from_criterion,
        name="from_criterion",
    ),
]
