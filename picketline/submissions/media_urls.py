"""Published submission files, outside the language prefix; served only while public."""

from django.urls import path

from picketline.submissions import views

app_name = "submissions_media"

urlpatterns = [
    path("videos/<str:token>.mp4", views.video_file, name="video"),
    path("captions/<str:token>.vtt", views.captions_file, name="captions"),
    path("posters/<str:token>.jpg", views.poster_file, name="poster"),
    path("logos/<str:token>", views.logo_file, name="logo"),
    path("photos/<str:token>", views.photo_file, name="photo"),
]
