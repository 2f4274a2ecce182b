from django.urls import path

from picketline.submissions import views
from picketline.supporters.embed import embeddable

app_name = "submissions_embed"

urlpatterns = [
    path("<slug:partner>/video/", embeddable(views.video_form), name="video_form"),
    path("<slug:partner>/endorse/", embeddable(views.endorse_form), name="endorse_form"),
]
