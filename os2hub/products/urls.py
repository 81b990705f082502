from django.urls import include, path

from . import group_views, suggestion_views, views

app_name = "products"

urlpatterns = [
    path("products/", views.catalogue, name="catalogue"),
    path("products/new/", views.product_create, name="create"),
    path("products/<slug:slug>/", views.detail, name="detail"),
    path("products/<slug:slug>/edit/", views.product_edit, name="edit"),
    path("products/<slug:slug>/publiccode.yml", views.publiccode_export, name="publiccode"),
    path("products/<slug:slug>/publiccode/import/", views.publiccode_import, name="publiccode_import"),
    path("products/<slug:slug>/publiccode/import/<int:pk>/", views.publiccode_diff, name="publiccode_diff"),
    path("products/<slug:slug>/repositories/", views.repositories, name="repositories"),
    path("products/<slug:slug>/repositories/<int:pk>/delete/", views.repository_delete, name="repository_delete"),
    path("products/<slug:slug>/suppliers/", views.supplier_roles, name="supplier_roles"),
    path("products/<slug:slug>/suppliers/<int:pk>/end/", views.supplier_role_end, name="supplier_role_end"),
    path("products/<slug:slug>/adoption/", views.adoption, name="adoption"),
    path("products/<slug:slug>/agreements/", views.agreements, name="agreements"),
    path("products/<slug:slug>/agreements/<int:pk>/document/", views.agreement_document, name="agreement_document"),
    path("products/<slug:slug>/groups/", views.groups, name="groups"),
    path("products/<slug:slug>/groups/<int:pk>/", group_views.group_detail, name="group"),
    path("products/<slug:slug>/groups/<int:pk>/edit/", views.group_edit, name="group_edit"),
    path("products/<slug:slug>/groups/<int:pk>/join/", group_views.group_join, name="group_join"),
    path(
        "products/<slug:slug>/groups/<int:pk>/join/withdraw/",
        group_views.group_join_withdraw,
        name="group_join_withdraw",
    ),
    path(
        "products/<slug:slug>/groups/<int:pk>/requests/<int:request_pk>/",
        group_views.group_join_decide,
        name="group_join_decide",
    ),
    path("products/<slug:slug>/groups/<int:pk>/leave/", group_views.group_leave, name="group_leave"),
    path(
        "products/<slug:slug>/groups/<int:pk>/chair/", group_views.group_chair_hand_over, name="group_chair_hand_over"
    ),
    path("products/<slug:slug>/suggestions/", suggestion_views.suggestion_list, name="suggestions"),
    path("products/<slug:slug>/suggestions/new/", suggestion_views.suggestion_new, name="suggestion_new"),
    path("products/<slug:slug>/suggestions/<int:pk>/", suggestion_views.suggestion_detail, name="suggestion"),
    path(
        "products/<slug:slug>/suggestions/<int:pk>/decide/",
        suggestion_views.suggestion_decide,
        name="suggestion_decide",
    ),
    path(
        "products/<slug:slug>/groups/<int:pk>/members/<int:member_pk>/delete/",
        views.group_member_delete,
        name="group_member_delete",
    ),
    path("", include("os2hub.products.content_urls")),
]
