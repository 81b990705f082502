from django.urls import path

from . import export_views, views

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
    path("development-requests/<int:pk>/attachments/", views.attachment_add, name="attachment_add"),
    path(
        "development-requests/<int:pk>/attachments/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment",
    ),
    path(
        "development-requests/<int:pk>/attachments/<int:attachment_pk>/delete/",
        views.attachment_delete,
        name="attachment_delete",
    ),
    path("development-requests/<int:pk>/github-issue.md", export_views.github_issue, name="github_issue"),
    path("development-requests/<int:pk>/jira.csv", export_views.jira_csv, name="jira_csv"),
    path("development-requests/<int:pk>/links/", export_views.links, name="links"),
    # estimate, order, open_funding, reject, pledge, start, deliver, accept, send_back, withdraw
    path("development-requests/<int:pk>/<slug:step>/", views.request_step, name="step"),
    path("products/<slug:slug>/development-requests/", views.product_requests, name="product_list"),
    path("products/<slug:slug>/development-requests/new/", views.request_new, name="new"),
    path("products/<slug:slug>/development-requests/board/", views.board, name="board"),
    path("products/<slug:slug>/development-requests/jira.csv", export_views.product_jira_csv, name="product_jira_csv"),
    path("products/<slug:slug>/development-requests/sprints/", views.sprint_new, name="sprint_new"),
    path(
        "products/<slug:slug>/development-requests/from-criterion/<str:code>/",
        views.from_criterion,
        name="from_criterion",
    ),
]
