from django.urls import path

from picketline.events import views
from picketline.supporters.embed import embeddable

app_name = "events_embed"

urlpatterns = [
    path("<slug:partner>/events/<slug:slug>/", embeddable(views.event_detail), name="detail"),
]
