from django.urls import path

from picketline.campaigns import views

app_name = "campaigns"

urlpatterns = [
    path("", views.home, name="home"),
    path("actions/<slug:slug>/", views.action, name="action"),
    path("share/mastodon/", views.share_mastodon, name="share_mastodon"),
    path("card.png", views.campaign_card, name="card"),
    path("actions/<slug:slug>/card.png", views.action_card, name="action_card"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
]
