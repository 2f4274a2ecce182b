from django.urls import path, re_path

from picketline.api import views

app_name = "api"

urlpatterns = [
    path("v1/", views.index, name="index"),
    path("v1/openapi.json", views.openapi, name="openapi"),
    path("v1/prisoners", views.prisoners, name="prisoners"),
    path("v1/prisoners/<str:slug>", views.prisoner, name="prisoner"),
    path("v1/companies", views.companies, name="companies"),
    path("v1/companies/<str:slug>", views.company, name="company"),
    path("v1/procedures", views.procedures, name="procedures"),
    path("v1/campaigns", views.campaigns, name="campaigns"),
    path("v1/campaigns/<str:slug>", views.campaign, name="campaign"),
    path("v1/actions", views.actions, name="actions"),
    path("v1/events", views.events, name="events"),
    path("v1/events/<str:slug>", views.event, name="event"),
    path("v1/endorsements", views.endorsements, name="endorsements"),
    path("v1/reports", views.reports, name="reports"),
    path("v1/videos", views.videos, name="videos"),
    # Last: any other address of the API is a JSON 404 too, not the site's HTML page.
    re_path(r"^v1/", views.not_found, name="not_found"),
]
