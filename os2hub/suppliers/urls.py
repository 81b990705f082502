from django.urls import path

from . import views

app_name = "suppliers"

urlpatterns = [
    path("leverandoerer/", views.directory, name="directory"),
    path("leverandoerer/<slug:slug>/", views.profile, name="profile"),
    path("leverandoerer/<slug:slug>/logo", views.logo, name="logo"),
    path("leverandoerer/<slug:slug>/logo.svg", views.vector_logo, name="vector_logo"),
    path("partnerskab/", views.application, name="application"),
    path("partnerskab/start/", views.application_start, name="application_start"),
    path("partnerskab/virksomhed/", views.company, name="company"),
    path("partnerskab/kontaktpersoner/", views.contacts, name="contacts"),
    path("partnerskab/kontaktpersoner/<int:pk>/", views.contact_edit, name="contact_edit"),
    path("partnerskab/kontaktpersoner/<int:pk>/slet/", views.contact_delete, name="contact_delete"),
    path("partnerskab/priser/", views.prices, name="prices"),
    path("partnerskab/filer/", views.files, name="files"),
    path("partnerskab/code-of-conduct/", views.code_of_conduct, name="code_of_conduct"),
    path("partnerskab/indsend/", views.submit, name="submit"),
    path("partnerskab/domaener/", views.commit_domains, name="commit_domains"),
    path("partnerskab/domaener/<int:pk>/fjern/", views.commit_domain_remove, name="commit_domain_remove"),
    path("sekretariat/ansoegninger/", views.review_queue, name="review_queue"),
    path("sekretariat/ansoegninger/<int:pk>/", views.review, name="review"),
    path(
        "sekretariat/ansoegninger/<int:pk>/domaener/<int:domain_pk>/bekraeft/",
        views.commit_domain_verify,
        name="commit_domain_verify",
    ),
    path(
        "sekretariat/ansoegninger/<int:pk>/domaener/<int:domain_pk>/fjern/",
        views.review_commit_domain_remove,
        name="review_commit_domain_remove",
    ),
    path("ansoegninger/<int:pk>/aftale.pdf", views.agreement, name="agreement"),
    path("sekretariat/nyhedsbrev-modtagere.csv", views.newsletter_csv, name="newsletter_csv"),
]
