from django.urls import path

from picketline.letters import views
from picketline.supporters.embed import embeddable

app_name = "letters_embed"

urlpatterns = [
    path("<slug:partner>/letters/<slug:slug>/", embeddable(views.action_page), name="action"),
    path(
        "<slug:partner>/letters/<slug:slug>/count-me/",
        embeddable(views.count_support, methods=("POST",), offered="letters:action"),
        name="count_support",
    ),
]
