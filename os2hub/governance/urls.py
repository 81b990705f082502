from django.urls import path

from . import evaluation_views, views

app_name = "governance"

urlpatterns = [
    # Public: the model, a product's level and its history, the badge, published reports.
    path("governance/criteria/", views.criteria, name="criteria"),
    path("products/<slug:slug>/level/", views.level, name="level"),
    path("products/<slug:slug>/badge.svg", views.badge, name="badge"),
    path("products/<slug:slug>/follow-or-explain/", views.practices, name="practices"),
    path("products/<slug:slug>/follow-or-explain/<int:pk>/", views.practice_edit, name="practice_edit"),
    path("products/<slug:slug>/follow-or-explain/<int:pk>/delete/", views.practice_delete, name="practice_delete"),
    # The coordinator and the steering group.
    path("products/<slug:slug>/self-assessment/", views.self_assessment, name="self_assessment"),
    path(
        "products/<slug:slug>/self-assessment/themes/<str:theme>/",
        views.self_assessment_theme,
        name="self_assessment_theme",
    ),
    path("products/<slug:slug>/self-assessment/submit/", views.self_assessment_submit, name="self_assessment_submit"),
    path("products/<slug:slug>/self-assessment/import/", views.self_assessment_import, name="self_assessment_import"),
    path(
        "products/<slug:slug>/self-assessment/export.json", views.self_assessment_export, name="self_assessment_export"
    ),
    # The secretariat (published evaluations are public).
    path("products/<slug:slug>/evaluations/new/", evaluation_views.evaluation_start, name="evaluation_start"),
    path("products/<slug:slug>/evaluations/<int:pk>/", evaluation_views.evaluation, name="evaluation"),
    path("products/<slug:slug>/evaluations/<int:pk>/edit/", evaluation_views.evaluation_edit, name="evaluation_edit"),
    path(
        "products/<slug:slug>/evaluations/<int:pk>/publish/",
        evaluation_views.evaluation_publish,
        name="evaluation_publish",
    ),
    path(
        "products/<slug:slug>/evaluations/<int:pk>/report.md",
        evaluation_views.evaluation_markdown,
        name="evaluation_markdown",
    ),
    path("products/<slug:slug>/decisions/new/", evaluation_views.decision_create, name="decision_create"),
    path("governance/rounds/", evaluation_views.rounds, name="rounds"),
    path("governance/rounds/<int:pk>/", evaluation_views.round_dashboard, name="round"),
    path("governance/rounds/<int:pk>/remind/", evaluation_views.round_remind, name="round_remind"),
    path("governance/rounds/<int:pk>/close/", evaluation_views.round_close, name="round_close"),
]
