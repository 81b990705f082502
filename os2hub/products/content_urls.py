"""URLs of a product's documents and wiki pages (included at the site root, in the "products" namespace)."""

from django.urls import path

from . import content_views as views

urlpatterns = [
    path("products/<slug:slug>/documents/", views.documents, name="documents"),
    path("products/<slug:slug>/documents/<int:pk>/download/", views.document_download, name="document_download"),
    path("products/<slug:slug>/documents/<int:pk>/delete/", views.document_delete, name="document_delete"),
    path("products/<slug:slug>/wiki/", views.wiki_index, name="wiki"),
    # Before the page URL: wiki.RESERVED_SLUGS keeps any page from being called "new".
    path("products/<slug:slug>/wiki/new/", views.wiki_new, name="wiki_new"),
    path("products/<slug:slug>/wiki/<slug:page_slug>/", views.wiki_page, name="wiki_page"),
    path("products/<slug:slug>/wiki/<slug:page_slug>/edit/", views.wiki_edit, name="wiki_edit"),
    path("products/<slug:slug>/wiki/<slug:page_slug>/history/", views.wiki_history, name="wiki_history"),
    path("products/<slug:slug>/wiki/<slug:page_slug>/diff/<int:rev_pk>/", views.wiki_diff, name="wiki_diff"),
    path("products/<slug:slug>/wiki/<slug:page_slug>/revert/<int:rev_pk>/", views.wiki_revert, name="wiki_revert"),
]
