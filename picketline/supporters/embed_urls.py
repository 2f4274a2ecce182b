from django.urls import path

from picketline.supporters import embed_views

app_name = "embed"

urlpatterns = [
    path("check-your-mail/", embed_views.check_mail, name="check_mail"),
    path("logo-<str:version>.img", embed_views.logo, name="logo"),
]
