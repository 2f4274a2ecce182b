from django.urls import path

from picketline.supporters import embed_views, views
from picketline.supporters.embed import embeddable

app_name = "embed"

urlpatterns = [
    path("<slug:partner>/check-your-mail/", embed_views.check_mail, name="check_mail"),
    path("<slug:partner>/logo-<str:version>.img", embed_views.logo, name="logo"),
    path(
        "<slug:partner>/count-me/",
        embeddable(views.count_support, methods=("POST",)),
        name="count_support",
    ),
]
