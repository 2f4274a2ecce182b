from django.urls import path

from picketline.submissions import views

app_name = "submissions"

urlpatterns = [
    path("video/", views.video_form, name="video_form"),
    path("videos/", views.videos, name="videos"),
    path("videos/<int:pk>/", views.video, name="video"),
    path("endorse/", views.endorse_form, name="endorse_form"),
    path("endorsements/", views.endorsements, name="endorsements"),
    path("report/", views.report_form, name="report_form"),
    path("reports/", views.reports, name="reports"),
    path("reports/<int:pk>/", views.report, name="report"),
    path("change/<str:token>/", views.change, name="change"),
    path("confirmed/<str:kind>/", views.confirmed, name="confirmed"),
    path(
        "confirmed/<str:kind>/already/",
        views.confirmed,
        {"newly": False},
        name="already_confirmed",
    ),
]
