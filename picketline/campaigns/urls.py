from django.urls import path

from picketline.campaigns import views

app_name = "campaigns"

urlpatterns = [
    path("", views.home, name="home"),
    path("actions/<slug:slug>/", views.action, name="action"),
    path("share/mastodon/", views.share_mastodon, name="share_mastodon"),
]
