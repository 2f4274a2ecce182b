from django.urls import path

from picketline.jobs import views

app_name = "jobs"

urlpatterns = [
    path("readyz", views.readyz, name="readyz"),
]
